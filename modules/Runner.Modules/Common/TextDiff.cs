using System.Text;
using Runner.Engine.Values;

namespace Runner.Modules.Common;

/// <summary>
/// Ansible's text diff dict for file content (action/__init__.py _get_diff_data): before/after text,
/// before_header (the existing destination) and after_header; binary sides become dst_binary/src_binary,
/// and sides over 104448 bytes (MAX_FILE_SIZE_FOR_DIFF) dst_larger/src_larger.
/// </summary>
internal static class TextDiff
{
    public const int MaxSize = 104448;

    /// <summary>The diff of <paramref name="before"/> (null: no file; with <paramref name="beforeTooLarge"/> not read) and <paramref name="after"/>.</summary>
    public static Dict Build(byte[]? before, string beforeHeader, byte[] after, string afterHeader, bool beforeTooLarge = false)
    {
        var d = new Dict();
        if (beforeTooLarge) d["dst_larger"] = (long)MaxSize;
        else if (before is null) d["before"] = "";
        else if (before.Contains((byte)0)) d["dst_binary"] = 1L;
        else if (before.Length > MaxSize) d["dst_larger"] = (long)MaxSize;
        else { d["before_header"] = beforeHeader; d["before"] = Encoding.UTF8.GetString(before); }
        if (after.Length > MaxSize) d["src_larger"] = (long)MaxSize;
        else if (after.Contains((byte)0)) d["src_binary"] = 1L;
        else { d["after_header"] = afterHeader; d["after"] = Encoding.UTF8.GetString(after); }
        return d;
    }
}

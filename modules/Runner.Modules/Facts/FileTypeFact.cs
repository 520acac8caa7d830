using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// What stat reports beside the inode (ansible.builtin.stat's get_mime and get_attributes): the mime type and charset
/// from `file --mime-type --mime-encoding` (null without file), the version and ext2 flags from `lsattr -vd`
/// (null without lsattr). Read only for what is asked.
/// </summary>
public sealed class FileTypeFact : Fact<FileTypeFact.Info>
{
    /// <summary>The mime type and charset (both or neither), lsattr's version and flags string ("----e---").</summary>
    public sealed record Info(string? MimeType, string? Charset, string? Version, string? Flags);

    private readonly string _path;
    private readonly bool _mime;
    private readonly bool _attributes;

    /// <summary>The mime type (with <paramref name="mime"/>) and attributes (with <paramref name="attributes"/>) of <paramref name="path"/>.</summary>
    public FileTypeFact(string path, bool mime, bool attributes) => (_path, _mime, _attributes) = (path, mime, attributes);

    /// <inheritdoc/>
    public override string Key => $"filetype:{(_mime ? "m" : "-")}{(_attributes ? "a" : "-")}:{_path}";

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var q = ShellQuote.Quote(_path);
            return (_mime ? $"command -v file >/dev/null 2>&1 && printf 'M%s\\n' \"$(file --mime-type --mime-encoding -- {q} 2>/dev/null)\"\n" : "") +
                   (_attributes ? $"command -v lsattr >/dev/null 2>&1 && printf 'L%s\\n' \"$(lsattr -vd -- {q} 2>/dev/null)\"\n" : "") + "exit 0\n";
        }
    }

    /// <inheritdoc/>
    public override Info Parse(CommandResult output)
    {
        string? mime = null, charset = null, version = null, flags = null;
        foreach (var line in output.Stdout.Split('\n'))
        {
            if (line.StartsWith('M') && line.LastIndexOf(':') is var c and > 0)
            {
                var parts = line[(c + 1)..].Split(';');
                if (parts.Length == 2 && parts[1].Split('=') is { Length: 2 } cs) (mime, charset) = (parts[0].Trim(), cs[1].Trim());
            }
            else if (line.StartsWith('L') && line[1..].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries) is { Length: >= 2 } f)
                (version, flags) = (f[0], f[1]);
        }
        return new Info(mime, charset, version, flags);
    }
}

using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.copy (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/copy_module.html):
/// content (a dict/list is written as json.dumps, other non-strings as Python str) or src (a controller file
/// found in files/ and the search folders; a folder is copied recursively, its contents only when src ends
/// with "/"; remote_src=yes reads src on the target) to dest, with force, backup, validate, mode/owner/group
/// (mode=preserve copies the source file's mode).
/// </summary>
public sealed class CopyModule : IModule
{
    public string Name => "copy";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("src", OptionType.Path), new("content", OptionType.Raw), new("remote_src", OptionType.Bool, Default: false),
        new("local_follow", OptionType.Bool, Default: true), new("decrypt", OptionType.Bool, Default: true), new("checksum"), new("_original_basename"),
    }.Concat(ContentWriter.Options).Concat(FileAttrs.Options).ToArray());

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var dest = a.Str("dest")!;
        var hasContent = a.ContainsKey("content");
        if (hasContent && a.Has("src")) return Results.Fail("src and content are mutually exclusive");
        if (hasContent)
        {
            if (dest.EndsWith('/')) return Results.Fail("can not use content with a dir as dest");
            return await ContentWriter.WriteAsync(ctx, dest, ContentBytes(a.Get("content")), null, ct);
        }
        var src = a.Str("src");
        if (src is null) return Results.Fail("src (or content) is required");
        var preserve = a.Str("mode") == "preserve";
        if (a.Bool("remote_src"))
        {
            if (preserve)
            {
                var srcState = await FileProbe.ProbeAsync(ctx, src, true, false, ct);
                if (srcState.Exists) a["mode"] = Convert.ToString(srcState.Mode, 8).PadLeft(4, '0');
            }
            var bytes = await ctx.Connection.GetFileAsync(src, ctx.Exec, ct);
            if (bytes is null) return Results.Fail($"Source {src} not found");
            return await ContentWriter.WriteAsync(ctx, dest, bytes, Path.GetFileName(src), ct);
        }
        var local = ctx.FindFile(src, "files");
        if (local is null) return Results.Fail($"Could not find or access '{src}' on the Ansible Controller.");
        // mode=preserve gives dest the source file's permission bits.
        if (preserve && File.Exists(local)) a["mode"] = Convert.ToString((int)File.GetUnixFileMode(local) & 0xFFF, 8).PadLeft(4, '0');
        if (Directory.Exists(local)) return await CopyTreeAsync(ctx, local, src.EndsWith('/') ? dest : JoinPath(dest, Path.GetFileName(local.TrimEnd('/'))), ct);
        return await ContentWriter.WriteAsync(ctx, dest, await File.ReadAllBytesAsync(local, ct), Path.GetFileName(local), ct, local);
    }

    /// <summary>The bytes copy writes for a `content` value (Ansible's copy action: json.dumps for dict/list).</summary>
    internal static byte[] ContentBytes(object? content) => Encoding.UTF8.GetBytes(content switch
    {
        string s => s,
        Dict or List<object?> => AsciiJson(PyStr.JsonDumps(content)),
        _ => PyStr.Str(content),
    });

    /// <summary>json.dumps' default ensure_ascii=True: non-ASCII characters as \uXXXX escapes.</summary>
    private static string AsciiJson(string json)
    {
        var sb = new StringBuilder(json.Length);
        foreach (var c in json) { if (c > 0x7E && c != 0x7F) sb.Append($"\\u{(int)c:x4}"); else sb.Append(c); }
        return sb.ToString();
    }

    private static string JoinPath(string dir, string name) => dir.TrimEnd('/') + "/" + name;

    /// <summary>Copies a controller folder's files below dest (folders created as needed); changed when any file changed.</summary>
    private static async Task<Dict> CopyTreeAsync(ModuleContext ctx, string local, string dest, CancellationToken ct)
    {
        var changed = false;
        var files = Directory.GetFiles(local, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var dirs = Directory.GetDirectories(local, "*", SearchOption.AllDirectories).Select(d => JoinPath(dest, Path.GetRelativePath(local, d))).Prepend(dest).ToList();
        var mk = await ctx.ShAsync(string.Join("\n", dirs.Select(d => $"[ -d {ShellQuote.Quote(d)} ] || echo missing")), ct);
        if (mk.Stdout.Contains("missing"))
        {
            changed = true;
            if (!ctx.CheckMode)
            {
                var r = await ctx.ShAsync($"mkdir -p -- {ShellQuote.Join(dirs)}", ct);
                if (r.ExitCode != 0) return Results.Fail(r.Stderr.Trim(), new Dict { ["dest"] = dest });
            }
        }
        foreach (var f in files)
        {
            var target = JoinPath(dest, Path.GetRelativePath(local, f));
            var r = await ContentWriter.WriteAsync(ctx, target, await File.ReadAllBytesAsync(f, ct), null, ct, f);
            if (Results.IsFailed(r)) return r;
            changed |= r.Get("changed") is true;
        }
        return new Dict { ["changed"] = changed, ["dest"] = dest.TrimEnd('/') + "/" };
    }
}

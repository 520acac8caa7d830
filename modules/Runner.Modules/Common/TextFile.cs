using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Common;

/// <summary>
/// Read-modify-write of a target text file for lineinfile and blockinfile: load (null when missing),
/// write (creating parent folders for create=yes, backup first), then Ansible's check_file_attrs
/// ("ownership, perms or SE linux context changed").
/// </summary>
internal static class TextFile
{
    /// <summary>The file's text, or null when it does not exist. Fails (Error set) when the path is a folder.</summary>
    public static async Task<(string? Text, FileState State)> LoadAsync(ModuleContext ctx, string path, CancellationToken ct)
    {
        var st = await FileProbe.ProbeAsync(ctx, path, follow: true, checksum: false, ct);
        if (!st.Exists || st.Type == "directory") return (null, st);
        var bytes = await ctx.Connection.GetFileAsync(path, ctx.Exec, ct);
        return (bytes is null ? null : Encoding.UTF8.GetString(bytes), st);
    }

    /// <summary>Python's readlines()/splitlines(True) on "\n": lines keep their endings.</summary>
    public static List<string> Lines(string? text)
    {
        var lines = new List<string>();
        if (string.IsNullOrEmpty(text)) return lines;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    /// <summary>Writes the new text (unless check mode), then applies attributes; fills changed/msg/backup into <paramref name="r"/>.</summary>
    public static async Task<Dict> FinishAsync(ModuleContext ctx, string path, FileState st, string newText, bool changed,
        string msg, Dict r, string backupKey, CancellationToken ct)
    {
        var backup = "";
        if (changed && !ctx.CheckMode)
        {
            if (ctx.Args.Bool("backup") && st.Exists && await Backup.MakeAsync(ctx, path, ct) is { } b) backup = b;
            if (!st.Exists)
            {
                var dir = Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(dir))
                {
                    var mk = await ctx.ShAsync($"mkdir -p -- {ShellQuote.Quote(dir)}", ct);
                    if (mk.ExitCode != 0) return Results.Fail($"Error creating {dir} ({mk.Stderr.Trim()})");
                }
            }
            var target = st.IsLink && st.LinkResolved is { Length: > 0 } real ? real : path;
            var failure = await ContentWriter.PutAsync(ctx, target, Encoding.UTF8.GetBytes(newText), ctx.Args.Str("validate"), st.Exists, ct);
            if (failure is not null) return Results.Fail(failure.Msg, failure.Extra);
        }
        if (ctx.CheckMode && !st.Exists)
        {
            r["changed"] = changed; r["msg"] = msg;
            if (backupKey == "backup") r["backup"] = backup;
            return r;
        }
        var now = ctx.CheckMode ? st : await FileProbe.ProbeAsync(ctx, path, true, false, ct);
        var attrBefore = new Dict();
        var attrAfter = new Dict();
        var (attrChanged, err) = await FileAttrs.ApplyAsync(ctx, now, attrBefore, attrAfter, ct);
        if (err is not null) return Results.Fail(err, new Dict { ["path"] = path }, changed);
        if (attrChanged)
        {
            msg += (changed ? " and " : "") + "ownership, perms or SE linux context changed";
            changed = true;
        }
        r["changed"] = changed;
        r["msg"] = msg;
        if (backupKey == "backup") r["backup"] = backup;
        else if (backup.Length > 0) r[backupKey] = backup;
        if (ctx.DiffMode && r.Get("diff") is Dict content)
        {
            attrBefore["before_header"] = $"{path} (file attributes)";
            attrAfter["after_header"] = $"{path} (file attributes)";
            var attr = new Dict(attrBefore.Concat(attrAfter));
            r["diff"] = new List<object?> { content, attr };
        }
        return r;
    }

    /// <summary>Python re match.expand(template): \1..\99, \g&lt;n&gt;, \g&lt;name&gt; and the usual escapes.</summary>
    public static string Expand(Match m, string template)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '\\' || i + 1 >= template.Length) { sb.Append(c); continue; }
            var n = template[++i];
            if (char.IsAsciiDigit(n))
            {
                var num = n - '0';
                if (i + 1 < template.Length && char.IsAsciiDigit(template[i + 1])) num = num * 10 + (template[++i] - '0');
                sb.Append(m.Groups[num].Value);
            }
            else if (n == 'g' && i + 1 < template.Length && template[i + 1] == '<' && template.IndexOf('>', i) is var end and > 0)
            {
                var name = template[(i + 2)..end];
                sb.Append(int.TryParse(name, out var g) ? m.Groups[g].Value : m.Groups[name].Value);
                i = end;
            }
            else sb.Append(n switch { 'n' => "\n", 't' => "\t", 'r' => "\r", '\\' => "\\", _ => "\\" + n });
        }
        return sb.ToString();
    }
}

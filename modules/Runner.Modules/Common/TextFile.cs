using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Facts;

namespace Runner.Modules.Common;

/// <summary>
/// Read-modify-write of a target text file for lineinfile and blockinfile: load (<see cref="FileStatFact"/> and
/// <see cref="FileContentFact"/> in one round trip; null text when missing), then the plan that writes the new text
/// (parent folders first for create=yes, validate, backup, the atomic write) and applies Ansible's check_file_attrs
/// ("ownership, perms or SE linux context changed"), with the content diff and the attributes diff.
/// </summary>
internal static class TextFile
{
    /// <summary>The file's text, or null when it does not exist or is a folder (State tells which).</summary>
    public static async Task<(string? Text, FileState State)> LoadAsync(PlanContext ctx, string path, CancellationToken ct)
    {
        var stat = new FileStatFact(path, follow: true);
        var content = new FileContentFact(path);
        await ctx.Facts.GetAsync(ct, stat, content);
        var st = await ctx.Facts.GetAsync(stat, ct);
        if (!st.Exists || st.Type == "directory") return (null, st);
        var bytes = await ctx.Facts.GetAsync(content, ct);
        return (bytes is null ? null : Encoding.UTF8.GetString(bytes), st);
    }

    /// <summary>Python's readlines()/splitlines(True) on "\n": lines keep their endings.</summary>
    public static List<string> Lines(string? text) => PyLines.ReadLines(text);

    /// <summary>
    /// The plan that writes <paramref name="newText"/> when <paramref name="changed"/>, then fixes attributes. The result
    /// gets <paramref name="result"/>'s fields, msg (with the attributes' note when they change) and the backup made under
    /// <paramref name="backupKey"/> ("backup": always, "" for none; else only when one was made); the diff is
    /// <paramref name="diff"/>, followed by the attributes diff while the file exists.
    /// </summary>
    public static Plan Finish(PlanContext ctx, string path, FileState st, string newText, bool changed,
        string msg, Dict result, Dict diff, string backupKey)
    {
        var plan = new Plan { Result = result, Diff = diff };
        RunStep? backup = null;
        var backupPath = "";
        if (changed)
        {
            if (ctx.Args.Bool("backup") && st.Exists) (backup, backupPath) = Backup.Of(path);
            var dir = Path.GetDirectoryName(path);
            if (!st.Exists && !string.IsNullOrEmpty(dir))
                plan.Add(new RunStep(Argv.Of("mkdir", "-p", "--", dir)) { FailMessage = $"Error creating {dir} ({{stderr}})" });
            var target = st.IsLink && st.LinkResolved is { Length: > 0 } real ? real : path;
            plan.Steps.AddRange(ContentWriter.WriteSteps(target, Encoding.UTF8.GetBytes(newText), ctx.Args.Str("validate"), backup));
        }
        plan.Then = async (outcomes, ct) =>
        {
            var r = new Dict { ["msg"] = msg };
            var made = backup is not null && outcomes.Any(o => ReferenceEquals(o.Step, backup) && o.Ran);
            if (backupKey == "backup") r["backup"] = made ? backupPath : "";
            else if (made) r[backupKey] = backupPath;
            // the file as it is now: written, or in check mode as it was (a file still to be created has no attributes yet)
            var now = await ctx.Facts.GetAsync(new FileStatFact(path, follow: true), ct);
            if (!now.Exists) return Plan.Ok(r);
            var before = new Dict();
            var after = new Dict();
            var (steps, error) = FileAttrs.Compare(ctx.Args, now, before, after);
            var attrs = new Plan { Result = r };
            attrs.Steps.AddRange(steps);
            if (error is not null)
            {
                attrs.Then = (_, _) => Task.FromResult(Plan.Fail(error, new Dict { ["path"] = path }, changed));
                return attrs;
            }
            if (steps.Count > 0) r["msg"] = msg + (changed ? " and " : "") + "ownership, perms or SE linux context changed";
            before["before_header"] = $"{path} (file attributes)";
            after["after_header"] = $"{path} (file attributes)";
            attrs.Diff = new Dict(before.Concat(after));
            return attrs;
        };
        return plan;
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

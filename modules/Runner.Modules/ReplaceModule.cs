using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.replace (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/replace_module.html):
/// replaces every match of a Python multiline regexp (within the after/before section when given) in an existing
/// file; the replacement takes \1, \g&lt;name&gt; and escapes as re.sub. Result: {"changed", "msg": "N replacements
/// made" or "", "rc": 0, "backup_file" (backup=yes, when written)}; diff {before_header, before, after_header, after}
/// only when the text changes. mode/owner/group apply as check_file_attrs ("... and ownership, perms or SE linux
/// context changed"). Failures as Ansible's: "Path X is a directory !" (rc 256), "Path X does not exist !" (rc 257).
/// </summary>
public sealed class ReplaceModule : PlanningModule
{
    public override string Name => "replace";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("path", OptionType.Path, Required: true, Aliases: new[] { "dest", "destfile", "name" }),
        new("regexp", Required: true), new("replace", Default: ""), new("after"), new("before"),
        new("backup", OptionType.Bool, Default: false), new("validate"), new("encoding", Default: "utf-8"),
    }.Concat(FileAttrs.Options).ToArray());

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = a.Str("path")!;
        Encoding encoding;
        try { encoding = Encoding.GetEncoding(a.Str("encoding")!); }
        catch (ArgumentException) { return Plan.Fail($"unknown encoding: {a.Str("encoding")}"); }
        var stat = new FileStatFact(path, follow: true);
        var content = new FileContentFact(path);
        await ctx.Facts.GetAsync(ct, stat, content);
        var st = await ctx.Facts.GetAsync(stat, ct);
        if (st.Type == "directory") return Plan.Fail($"Path {path} is a directory !", new Dict { ["rc"] = 256L });
        var bytes = await ctx.Facts.GetAsync(content, ct);
        if (!st.Exists || bytes is null) return Plan.Fail($"Path {path} does not exist !", new Dict { ["rc"] = 257L });
        var text = encoding.GetString(bytes);

        var (after, before) = (a.Str("after"), a.Str("before"));
        var pattern = after is { Length: > 0 } && before is { Length: > 0 } ? $"{after}(?P<subsection>.*?){before}"
            : after is { Length: > 0 } ? $"{after}(?P<subsection>.*)"
            : before is { Length: > 0 } ? $"(?P<subsection>.*){before}" : "";
        var (start, end) = (0, text.Length);
        if (pattern.Length > 0)
        {
            var section = PyRegex.Compile(pattern, RegexOptions.Singleline, out var err);
            if (section is null) return Plan.Fail($"Invalid regexp {pattern}: {err}");
            var m = section.Match(text);
            if (!m.Success)
                return Plan.Ok(new Dict { ["rc"] = 0L, ["msg"] = $"Pattern for before/after params did not match the given file: {pattern}" });
            (start, end) = (m.Groups["subsection"].Index, m.Groups["subsection"].Index + m.Groups["subsection"].Length);
        }
        var re = PyRegex.Compile(a.Str("regexp")!, RegexOptions.Multiline, out var error);
        if (re is null) return Plan.Fail($"Invalid regexp {a.Str("regexp")}: {error}");
        var old = text[start..end];
        var count = 0;
        var replacement = a.Str("replace") ?? "";
        var replaced = re.Replace(old, m => { count++; return TextFile.Expand(m, replacement); });
        var changed = count > 0 && replaced != old;
        var newText = text[..start] + replaced + text[end..];

        var plan = new Plan { Result = new Dict { ["rc"] = 0L } };
        var msg = "";
        var target = st.IsLink && st.LinkResolved is { Length: > 0 } real ? real : path;
        string? backup = null;
        if (changed)
        {
            msg = $"{count} replacements made";
            plan.Diff = new Dict { ["before_header"] = path, ["before"] = text, ["after_header"] = path, ["after"] = newText };
            if (a.Bool("backup"))
            {
                (var copy, backup) = Backup.Of(path);
                plan.Add(copy);
            }
            if (PlannedWrite.Steps(target, encoding.GetBytes(newText), a.Str("validate"), out var failure) is { } steps)
                foreach (var s in steps) plan.Add(s);
            else return Plan.Fail(failure!);
        }
        var attrs = PlannedAttrs.For(a, path, st);
        if (attrs.Error is not null) return Plan.Fail(attrs.Error);
        foreach (var s in attrs.Steps) plan.Add(s);
        if (attrs.Steps.Count > 0) msg += (changed ? " and " : "") + "ownership, perms or SE linux context changed";
        plan.Result["msg"] = msg;
        if (backup is not null)
            plan.Then = (outcomes, _) => Task.FromResult(outcomes.Any(o => o.Ran) ? Plan.Ok(new Dict { ["backup_file"] = backup }) : Plan.Ok());
        return plan;
    }
}

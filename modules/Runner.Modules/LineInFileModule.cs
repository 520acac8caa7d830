using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.lineinfile (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/lineinfile_module.html):
/// ensures one line is present (replacing the last line matching regexp/search_string, else inserting
/// after/before insertafter/insertbefore incl. BOF/EOF) or absent (every matching line). Messages:
/// "line added", "line replaced", "N line(s) removed", "file not present"; diff before/after text
/// (headers "PATH (content)") plus the attributes diff, as a two-item list.
/// </summary>
public sealed class LineInFileModule : PlanningModule
{
    public override string Name => "lineinfile";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("path", OptionType.Path, Required: true, Aliases: new[] { "dest", "destfile", "name" }),
        new("state", Default: "present", Choices: new[] { "absent", "present" }),
        new("regexp", Aliases: new[] { "regex" }), new("search_string"), new("line", Aliases: new[] { "value" }),
        new("insertafter"), new("insertbefore"), new("backrefs", OptionType.Bool, Default: false),
        new("create", OptionType.Bool, Default: false), new("backup", OptionType.Bool, Default: false),
        new("firstmatch", OptionType.Bool, Default: false), new("validate"),
    }.Concat(FileAttrs.Options).ToArray());

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = a.Str("path")!;
        var regexp = a.Str("regexp");
        var search = a.Str("search_string");
        var line = a.Str("line");
        var present = a.Str("state") != "absent";
        if (regexp is not null && search is not null) return Plan.Fail("parameters are mutually exclusive: regexp|search_string");
        if (a.Has("insertafter") && a.Has("insertbefore")) return Plan.Fail("parameters are mutually exclusive: insertbefore|insertafter");
        if (a.Bool("backrefs") && regexp is null) return Plan.Fail("regexp is required with backrefs=true");
        if (present && line is null) return Plan.Fail("line is required with state=present");
        if (!present && regexp is null && search is null && line is null)
            return Plan.Fail("one of line, search_string, or regexp is required with state=absent");

        var (text, st) = await TextFile.LoadAsync(ctx, path, ct);
        if (st.Type == "directory") return Plan.Fail($"Path {path} is a directory !", new Dict { ["rc"] = 256L });
        Regex? re;
        try { re = regexp is null ? null : new Regex(regexp); }
        catch (ArgumentException e) { return Plan.Fail($"Invalid regexp {regexp}: {e.Message}"); }

        var diff = new Dict { ["before"] = "", ["after"] = "", ["before_header"] = $"{path} (content)", ["after_header"] = $"{path} (content)" };
        if (!present)
        {
            if (text is null && !st.Exists) return Plan.Ok(new Dict { ["msg"] = "file not present" });
            var lines0 = TextFile.Lines(text);
            var kept = lines0.Where(l => !(re?.IsMatch(l) ?? (search is not null ? l.Contains(search, StringComparison.Ordinal) : l.TrimEnd('\r', '\n') == line))).ToList();
            var found = lines0.Count - kept.Count;
            var after0 = string.Concat(kept);
            diff["before"] = text ?? "";
            diff["after"] = after0;
            return TextFile.Finish(ctx, path, st, after0, found > 0, found > 0 ? $"{found} line(s) removed" : "",
                new Dict { ["found"] = (long)found }, diff, "backup");
        }

        if (text is null && !a.Bool("create"))
            return Plan.Fail($"Destination {path} does not exist !", new Dict { ["rc"] = 257L });
        var lines = TextFile.Lines(text);
        Regex? ins;
        try
        {
            var ia = a.Str("insertafter");
            var ib = a.Str("insertbefore");
            ins = ia is not null and not ("BOF" or "EOF") ? new Regex(ia) : ib is not null and not "BOF" ? new Regex(ib) : null;
        }
        catch (ArgumentException e) { return Plan.Fail($"Invalid regexp: {e.Message}"); }
        var (msg, changed) = Present(lines, re, search, line!, a.Str("insertafter"), a.Str("insertbefore"), ins,
            a.Bool("backrefs"), a.Bool("firstmatch"));
        var newText = string.Concat(lines);
        diff["before"] = text ?? "";
        diff["after"] = newText;
        return TextFile.Finish(ctx, path, st, newText, changed, msg, new Dict(), diff, "backup");
    }

    /// <summary>Ansible's present(): edits <paramref name="lines"/> in place; returns the message and whether it changed.</summary>
    internal static (string Msg, bool Changed) Present(List<string> lines, Regex? re, string? search, string line,
        string? insertafter, string? insertbefore, Regex? ins, bool backrefs, bool firstmatch)
    {
        var idx0 = -1;
        var idx1 = -1;
        Match? match = null;
        var matched = false;
        var exact = false;
        if (re is not null)
            for (var i = 0; i < lines.Count; i++)
                if (re.Match(lines[i]) is { Success: true } m) { idx0 = i; match = m; matched = true; if (firstmatch) break; }
        if (search is not null)
            for (var i = 0; i < lines.Count; i++)
                if (lines[i].Contains(search, StringComparison.Ordinal)) { idx0 = i; matched = true; if (firstmatch) break; }
        if (!matched)
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].TrimEnd('\r', '\n') == line) { idx0 = i; exact = true; }
                else if (ins is not null && ins.IsMatch(lines[i]))
                {
                    if (insertafter is not null) { idx1 = i + 1; if (firstmatch) break; }
                    if (insertbefore is not null) { idx1 = i; if (firstmatch) break; }
                }
            }

        const string sep = "\n";
        if (idx0 != -1)
        {
            var newLine = backrefs && match is not null ? TextFile.Expand(match, line) : line;
            if (!newLine.EndsWith(sep, StringComparison.Ordinal)) newLine += sep;
            if (re is null && search is null && !matched && !exact)
                return ("", false); // unreachable in practice: idx0 set only by a match
            if (lines[idx0] != newLine) { lines[idx0] = newLine; return ("line replaced", true); }
            return ("", false);
        }
        if (backrefs) return ("", false);
        if (insertbefore == "BOF" || insertafter == "BOF") { lines.Insert(0, line + sep); return ("line added", true); }
        if (insertafter == "EOF" || idx1 == -1)
        {
            if (lines.Count > 0 && !lines[^1].EndsWith('\n') && !lines[^1].EndsWith('\r')) lines.Add(sep);
            lines.Add(line + sep);
            return ("line added", true);
        }
        if (insertafter is not null)
        {
            if (lines.Count == idx1)
            {
                if (lines[idx1 - 1].TrimEnd('\r', '\n') == line) return ("", false);
                lines.Add(line + sep);
                return ("line added", true);
            }
            if (lines[idx1].TrimEnd('\n', '\r') == line) return ("", false);
            lines.Insert(idx1, line + sep);
            return ("line added", true);
        }
        lines.Insert(idx1, line + sep);
        return ("line added", true);
    }
}

using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// community.general.ini_file (https://docs.ansible.com/ansible/latest/collections/community/general/ini_file_module.html):
/// sets, adds or removes an option (value or values; exclusive) in a section of an INI file, or removes a section;
/// the file is created unless create=no. Messages as Ansible's: "OK", "option changed", "option added",
/// "section and option added", "only section added", "section removed"; result {"changed", "msg", "path",
/// "backup_file" (backup=yes, when written)} and diff {before, after, "PATH (content)" headers}.
/// Failures: "Destination X does not exist!" (rc 257), "Parameter 'value(s)' must be defined if state=present and
/// allow_no_value=False.". mode/owner/group are applied as set_fs_attributes_if_different.
/// </summary>
public sealed class IniFileModule : PlanningModule
{
    private const string FakeSection = "ad01e11446efb704fcdbdb21f2c43757423d91c5";

    public override string Name => "ini_file";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("path", OptionType.Path, Required: true, Aliases: new[] { "dest" }),
        new("section"), new("option"), new("value"), new("values", OptionType.List, Elements: OptionType.Str),
        new("backup", OptionType.Bool, Default: false),
        new("state", Default: "present", Choices: new[] { "absent", "present" }),
        new("exclusive", OptionType.Bool, Default: true), new("no_extra_spaces", OptionType.Bool, Default: false),
        new("allow_no_value", OptionType.Bool, Default: false), new("create", OptionType.Bool, Default: true),
    }.Concat(FileAttrs.Options).ToArray())
    {
        MutuallyExclusive = new[] { new[] { "value", "values" } },
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = a.Str("path")!;
        var state = a.Str("state")!;
        var allowNoValue = a.Bool("allow_no_value");
        if (state == "present" && !allowNoValue && !a.Has("value") && a.StrList("values").Count == 0)
            return Plan.Fail("Parameter 'value(s)' must be defined if state=present and allow_no_value=False.");
        var values = new List<string>();
        foreach (var v in a.Has("value") ? new List<string> { a.Str("value")! } : a.StrList("values"))
            if (!values.Contains(v)) values.Add(v);

        var stat = new FileStatFact(path, follow: true);
        var content = new FileContentFact(path);
        await ctx.Facts.GetAsync(ct, stat, content);
        var st = await ctx.Facts.GetAsync(stat, ct);
        var bytes = await ctx.Facts.GetAsync(content, ct);
        if (!st.Exists && !a.Bool("create")) return Plan.Fail($"Destination {path} does not exist!", new Dict { ["rc"] = 257L });
        var text = bytes is null ? "" : Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');

        var (changed, msg, newText) = Edit(text, a.Str("section"), a.Str("option"), values, state, a.Bool("exclusive"),
            a.Bool("no_extra_spaces"), allowNoValue);
        var plan = new Plan
        {
            Result = new Dict { ["msg"] = msg, ["path"] = path },
            Diff = new Dict { ["before"] = text, ["after"] = newText, ["before_header"] = $"{path} (content)", ["after_header"] = $"{path} (content)" },
            Changed = changed,
        };
        string? backup = null;
        if (changed)
        {
            if (a.Bool("backup") && st.Exists)
            {
                (var copy, backup) = Backup.Of(path);
                plan.Add(copy);
            }
            if (!st.Exists && Path.GetDirectoryName(path) is { Length: > 0 } dir) plan.Add(new RunStep(Argv.Of("mkdir", "-p", "--", dir)));
            var target = st.IsLink && st.LinkResolved is { Length: > 0 } real ? real : path;
            plan.Add(new PutFileStep(target, Encoding.UTF8.GetBytes(newText)) { Creates = new Planned.File(path) });
        }
        if (st.Exists || changed)
        {
            var attrs = PlannedAttrs.For(a, path, st);
            if (attrs.Error is not null) return Plan.Fail(attrs.Error);
            foreach (var s in attrs.Steps) plan.Add(s);
        }
        if (backup is not null)
            plan.Then = (outcomes, _) => Task.FromResult(outcomes.Any(o => o.Ran) ? Plan.Ok(new Dict { ["backup_file"] = backup }) : Plan.Ok());
        return plan;
    }

    private static Match OptionLine(string option, string line, bool active) =>
        Regex.Match(line, (active ? "^" : "^[#;]?") + @"( |\t)*(" + Regex.Escape(option) + @")( |\t)*(=|$)( |\t)*(.*)");

    /// <summary>Ansible's do_ini on the file's text: whether it changed, the message and the new text.</summary>
    internal static (bool Changed, string Msg, string Text) Edit(string text, string? section, string? option, List<string> values,
        string state, bool exclusive, bool noExtraSpaces, bool allowNoValue)
    {
        var lines = TextFile.Lines(text);
        var changed = false;
        if (lines.Count == 0) lines.Add("\n");
        if (!lines[^1].EndsWith('\n')) { lines[^1] += "\n"; changed = true; }
        lines.Insert(0, $"[{FakeSection}]");
        lines.Add("[");
        if (string.IsNullOrEmpty(section)) section = FakeSection;
        var within = false;
        int start = 0, end = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith($"[{section}]", StringComparison.Ordinal)) { within = true; start = i; }
            else if (lines[i].StartsWith('[') && within) { end = i; break; }
        }
        var msg = "OK";
        string Assign(string v) => noExtraSpaces ? $"{option}={v}\n" : $"{option} = {v}\n";
        var before = lines.GetRange(0, start);
        var sect = lines.GetRange(start, end - start);
        var after = lines.GetRange(end, lines.Count - end);
        var done = new List<bool>(sect.Select(_ => false));
        var noValuePresent = false;

        void Update(int i, string newline)
        {
            if (sect[i] != newline) { changed = true; msg = "option changed"; }
            sect[i] = newline;
            done[i] = true;
        }

        if (state == "present" && option is not null)
            for (var i = 0; i < sect.Count; i++)
            {
                var m = OptionLine(option, sect[i], false);
                if (!m.Success) continue;
                var value = m.Groups[6].Value;
                if (values.Count > 0 && values.Contains(value))
                {
                    if (value.Length == 0 && allowNoValue) { Update(i, option + "\n"); noValuePresent = true; }
                    else Update(i, Assign(value));
                    values.Remove(value);
                }
                else if (values.Count == 0 && allowNoValue)
                {
                    Update(i, option + "\n");
                    noValuePresent = true;
                    break;
                }
            }
        if (state == "present" && exclusive && !allowNoValue)
        {
            if (values.Count > 0)
                for (var i = 0; i < sect.Count; i++)
                {
                    if (done[i] || !OptionLine(option!, sect[i], false).Success) continue;
                    Update(i, Assign(values[0]));
                    values.RemoveAt(0);
                    if (values.Count == 0) break;
                }
            for (var i = sect.Count - 1; i > 0; i--)
                if (!done[i] && OptionLine(option!, sect[i], false).Success)
                {
                    sect.RemoveAt(i);
                    done.RemoveAt(i);
                    changed = true;
                    msg = "option changed";
                }
        }
        if (state == "present")
            for (var i = sect.Count; i > 0; i--)
            {
                if (Regex.IsMatch(sect[i - 1], @"^[ \t]*([#;].*)?$")) continue;
                if (option is not null && values.Count > 0)
                {
                    for (var k = values.Count - 1; k >= 0; k--) { sect.Insert(i, Assign(values[k])); msg = "option added"; changed = true; }
                }
                else if (option is not null && values.Count == 0 && allowNoValue && !noValuePresent)
                {
                    sect.Insert(i, option + "\n");
                    msg = "option added";
                    changed = true;
                }
                break;
            }
        if (state == "absent")
        {
            if (option is not null)
            {
                var kept = exclusive
                    ? sect.Where(l => !OptionLine(option, l, true).Success).ToList()
                    : values.Count > 0 ? sect.Where(l => OptionLine(option, l, true) is not { Success: true } m || !values.Contains(m.Groups[6].Value)).ToList() : sect;
                if (!kept.SequenceEqual(sect)) { changed = true; msg = "option changed"; sect = kept; }
            }
            else if (sect.Count > 0) { sect = new List<string>(); msg = "section removed"; changed = true; }
        }
        var result = before.Concat(sect).Concat(after).ToList();
        result.RemoveAt(0);
        result.RemoveAt(result.Count - 1);
        if (!within && state == "present")
        {
            result.Add($"[{section}]\n");
            msg = "section and option added";
            if (option is not null && values.Count > 0) result.AddRange(values.Select(Assign));
            else if (option is not null && allowNoValue) result.Add(option + "\n");
            else msg = "only section added";
            changed = true;
        }
        return (changed, msg, string.Concat(result));
    }
}

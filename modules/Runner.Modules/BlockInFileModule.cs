using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.blockinfile (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/blockinfile_module.html):
/// keeps a block of lines between "# BEGIN ANSIBLE MANAGED BLOCK" / "# END ANSIBLE MANAGED BLOCK" markers
/// (marker with {mark}, marker_begin, marker_end). A new block goes after the last line matching insertafter
/// (default EOF) or before the last line matching insertbefore (or BOF). An empty block or state=absent removes
/// it. Messages: "Block inserted", "Block removed", "File created", ""; diff like lineinfile.
/// </summary>
public sealed class BlockInFileModule : PlanningModule
{
    public override string Name => "blockinfile";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("path", OptionType.Path, Required: true, Aliases: new[] { "dest", "destfile", "name" }),
        new("state", Default: "present", Choices: new[] { "absent", "present" }),
        new("marker", Default: "# {mark} ANSIBLE MANAGED BLOCK"), new("block", Default: "", Aliases: new[] { "content" }),
        new("insertafter"), new("insertbefore"), new("create", OptionType.Bool, Default: false),
        new("backup", OptionType.Bool, Default: false), new("marker_begin", Default: "BEGIN"), new("marker_end", Default: "END"),
        new("validate"),
    }.Concat(FileAttrs.Options).ToArray());

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = a.Str("path")!;
        if (a.Has("insertafter") && a.Has("insertbefore")) return Plan.Fail("parameters are mutually exclusive: insertafter|insertbefore");
        var (original, st) = await TextFile.LoadAsync(ctx, path, ct);
        if (st.Type == "directory") return Plan.Fail($"Path {path} is a directory !", new Dict { ["rc"] = 256L });
        if (original is null && !a.Bool("create")) return Plan.Fail($"Path {path} does not exist !", new Dict { ["rc"] = 257L });

        var insertafter = a.Str("insertafter");
        var insertbefore = a.Str("insertbefore");
        if (insertafter is null && insertbefore is null) insertafter = "EOF";
        Regex? insertRe;
        try
        {
            insertRe = insertafter is not null and not "EOF" ? new Regex(insertafter)
                : insertbefore is not null and not "BOF" ? new Regex(insertbefore) : null;
        }
        catch (ArgumentException e) { return Plan.Fail($"Invalid regexp: {e.Message}"); }

        var marker = a.Str("marker") ?? "# {mark} ANSIBLE MANAGED BLOCK";
        var marker0 = marker.Replace("{mark}", a.Str("marker_begin") ?? "BEGIN") + "\n";
        var marker1 = marker.Replace("{mark}", a.Str("marker_end") ?? "END") + "\n";
        var block = a.Str("block") ?? "";
        var blockLines = new List<string>();
        if (a.Str("state") != "absent" && block.Length > 0)
        {
            if (!block.EndsWith('\n') && !block.EndsWith('\r')) block += "\n";
            blockLines.Add(marker0);
            blockLines.AddRange(TextFile.Lines(block));
            blockLines.Add(marker1);
        }

        var lines = TextFile.Lines(original);
        int? n0 = null, n1 = null;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] == marker0) n0 = i;
            if (lines[i] == marker1) n1 = i;
        }
        int at;
        if (n0 is null || n1 is null)
        {
            if (insertRe is not null)
            {
                int? found = null;
                for (var i = 0; i < lines.Count; i++) if (insertRe.IsMatch(lines[i])) found = i;
                at = found is null ? lines.Count : insertafter is not null ? found.Value + 1 : found.Value;
            }
            else at = insertbefore is not null ? 0 : lines.Count;
        }
        else if (n0 < n1) { lines.RemoveRange(n0.Value, n1.Value - n0.Value + 1); at = n0.Value; }
        else { lines.RemoveRange(n1.Value, n0.Value - n1.Value + 1); at = n1.Value; }
        if (at > 0 && !lines[at - 1].EndsWith('\n') && !lines[at - 1].EndsWith('\r')) lines[at - 1] += "\n";
        lines.InsertRange(at, blockLines);
        var result = string.Concat(lines);

        string msg;
        bool changed;
        if (original == result) { msg = ""; changed = false; }
        else if (original is null) { msg = "File created"; changed = true; }
        else if (blockLines.Count == 0) { msg = "Block removed"; changed = true; }
        else { msg = "Block inserted"; changed = true; }

        var diff = new Dict
        {
            ["before"] = original ?? "", ["after"] = result, ["before_header"] = $"{path} (content)", ["after_header"] = $"{path} (content)",
        };
        return TextFile.Finish(ctx, path, st, result, changed, msg, new Dict(), diff, "backup_file");
    }
}

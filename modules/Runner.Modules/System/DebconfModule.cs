using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.debconf (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/debconf_module.html):
/// sets one answer with `debconf-set-selections [-u]` ("NAME QUESTION VTYPE VALUE" on stdin) when `debconf-show`
/// (<see cref="DebconfFact"/>) shows another (booleans compared lowercased). Result as Ansible's: changed, msg
/// (debconf-set-selections' stdout, which is empty), current and previous ({question: value}; previous holds every answer plus the
/// question with "" when the question was new), diff (an empty dict outside diff mode); unchanged: current holds
/// every answer. Failures: debconf's stderr.
/// </summary>
public sealed class DebconfModule : PlanningModule
{
    public override string Name => "debconf";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true, Aliases: new[] { "pkg" }),
        new OptionSpec("question", Aliases: new[] { "selection", "setting" }),
        new OptionSpec("vtype", Choices: new[] { "boolean", "error", "multiselect", "note", "password", "seen", "select", "string", "text", "title" }),
        new OptionSpec("value", Aliases: new[] { "answer" }),
        new OptionSpec("unseen", OptionType.Bool, Default: false)) with
    {
        RequiredTogether = new[] { new[] { "question", "vtype", "value" } },
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var (name, question, vtype, value) = (a.Str("name")!, a.Str("question"), a.Str("vtype"), a.Str("value"));
        Dictionary<string, string> prev;
        try { prev = await ctx.Facts.GetAsync(new DebconfFact(name), ct); }
        catch (InvalidOperationException e) { return Plan.Fail(e.Message); }
        var changed = false;
        if (question is not null)
        {
            if (vtype is null || value is null) return Plan.Fail("when supplying a question you must supply a valid vtype and value");
            if (!prev.TryGetValue(question, out var existing)) changed = true;
            else
            {
                if (vtype == "boolean") { value = value.ToLowerInvariant(); existing = existing.ToLowerInvariant(); }
                changed = value != existing;
            }
        }
        if (!changed) return Plan.Ok(new Dict { ["msg"] = "", ["current"] = Answers(prev) });

        var previous = prev.ContainsKey(question!) ? new Dict { [question!] = prev[question!] } : Answers(prev);
        if (!prev.ContainsKey(question!)) previous[question!] = "";
        var current = new Dict { [question!] = value };
        var after = new Dict(previous) { [question!] = value };
        if (vtype == "boolean") value = value switch { "True" => "true", "False" => "false", _ => value };
        var plan = new Plan
        {
            Result = new Dict { ["msg"] = "", ["current"] = current, ["previous"] = previous, ["diff"] = new Dict() },
            Diff = new Dict { ["before"] = previous, ["after"] = after },
        };
        return plan.Add(new RunStep(Argv.Of("debconf-set-selections").AddIf(a.Bool("unseen"), "-u"))
        {
            Stdin = Encoding.UTF8.GetBytes(string.Join(' ', name, question!, vtype!, value!)),
        });
    }

    private static Dict Answers(Dictionary<string, string> answers)
    {
        var d = new Dict();
        foreach (var (k, v) in answers) d[k] = v;
        return d;
    }
}

using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.dpkg_selections (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/dpkg_selections_module.html):
/// sets a package's selection with `dpkg --set-selections` ("NAME SELECTION" on stdin) when `dpkg --get-selections`
/// (<see cref="DpkgSelectionFact"/>) says otherwise. Result as Ansible's: changed, before (the current selection or
/// "not present"), after (the one asked for). Failures: dpkg's stderr.
/// </summary>
public sealed class DpkgSelectionsModule : PlanningModule
{
    public override string Name => "dpkg_selections";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("selection", Required: true, Choices: new[] { "install", "hold", "deinstall", "purge" }));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var (name, selection) = (ctx.Args.Str("name")!, ctx.Args.Str("selection")!);
        string current;
        try { current = await ctx.Facts.GetAsync(new DpkgSelectionFact(name), ct); }
        catch (InvalidOperationException e) { return Plan.Fail(e.Message); }
        var plan = new Plan { Result = new Dict { ["before"] = current, ["after"] = selection } };
        if (current != selection)
            plan.Add(new RunStep(Argv.Of("dpkg", "--set-selections")) { Stdin = Encoding.UTF8.GetBytes($"{name} {selection}") });
        return plan;
    }
}

using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.package (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/package_module.html):
/// runs the host's package manager module, chosen by `use` or else the ansible_pkg_mgr fact (or, without
/// facts, apt when the target has apt-get: <see cref="PackageManagerFact"/>). Only apt is implemented; name and
/// state pass through, and the plan and result are apt's. Other managers fail with "Could not find a module for X.".
/// </summary>
public sealed class PackageModule : PlanningModule
{
    private readonly AptModule _apt = new();

    public override string Name => "package";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", OptionType.List, Required: true, Elements: OptionType.Str),
        new OptionSpec("state", Required: true),
        new OptionSpec("use", Default: "auto"));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var use = ctx.Args.Str("use")!;
        if (use == "auto")
        {
            if (ctx.Variables.TryGetRaw("ansible_pkg_mgr", out var v) && v is string s && s.Length > 0) use = s;
            else if (ctx.Variables.TryGetRaw("ansible_facts", out var f) && f is Dict facts && facts.Get("pkg_mgr") is string s2) use = s2;
            else use = await ctx.Facts.GetAsync(new PackageManagerFact(), ct);
        }
        if (use != "apt") return Plan.Fail($"Could not find a module for {use}.");
        var args = new Dict { ["name"] = ctx.Args.Get("name"), ["state"] = ctx.Args.Get("state") };
        return await _apt.PlanAsync(ctx.WithArgs(ArgumentValidator.Validate(_apt.Spec, args, _apt.Name)), ct);
    }
}

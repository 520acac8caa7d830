using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.service (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/service_module.html):
/// on hosts whose service manager is systemd (the ansible_service_mgr fact, or <see cref="ServiceManagerFact"/> when
/// there are no facts) it plans as the systemd module with name, state and enabled, as Ansible's service action does;
/// the manager and the unit are probed in one round trip. Other service managers fail with a clear message.
/// pattern, sleep, arguments and runlevel are accepted and ignored (the systemd path of Ansible ignores them too).
/// </summary>
public sealed class ServiceModule : PlanningModule
{
    private readonly SystemdModule _systemd = new();

    public override string Name => "service";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("state", Choices: new[] { "reloaded", "restarted", "started", "stopped" }),
        new OptionSpec("enabled", OptionType.Bool),
        new OptionSpec("sleep", OptionType.Int),
        new OptionSpec("pattern"),
        new OptionSpec("arguments", Default: "", Aliases: new[] { "args" }),
        new OptionSpec("runlevel", Default: "default"),
        new OptionSpec("use", Default: "auto"));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var args = new Dict { ["name"] = ctx.Args.Get("name") };
        if (ctx.Args.Has("state")) args["state"] = ctx.Args.Get("state");
        if (ctx.Args.Has("enabled")) args["enabled"] = ctx.Args.Get("enabled");
        var systemdArgs = ArgumentValidator.Validate(_systemd.Spec, args, "systemd");
        var use = ctx.Args.Str("use")!;
        if (use == "auto")
        {
            if (ctx.Variables.TryGetRaw("ansible_service_mgr", out var v) && v is string s && s.Length > 0) use = s;
            else
            {
                var manager = new ServiceManagerFact();
                await ctx.Facts.GetAsync(ct, manager, new SystemdUnitFact("system", ctx.Args.Str("name")!));
                use = await ctx.Facts.GetAsync(manager, ct);
            }
        }
        if (use != "systemd") return Plan.Fail($"Runner's service module supports systemd hosts only (service manager: {use}).");
        return await SystemdModule.PlanAsync(ctx, systemdArgs, ct);
    }
}

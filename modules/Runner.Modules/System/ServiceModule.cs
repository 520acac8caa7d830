using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.service (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/service_module.html):
/// on hosts whose service manager is systemd (the ansible_service_mgr fact, or /run/systemd/system when there
/// are no facts) it runs the systemd module with name, state and enabled, as Ansible's service action does.
/// Other service managers fail with a clear message. pattern, sleep, arguments and runlevel are accepted and ignored
/// (the systemd path of Ansible ignores them too).
/// </summary>
public sealed class ServiceModule : IModule
{
    private readonly SystemdModule _systemd = new();

    public string Name => "service";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("state", Choices: new[] { "reloaded", "restarted", "started", "stopped" }),
        new OptionSpec("enabled", OptionType.Bool),
        new OptionSpec("sleep", OptionType.Int),
        new OptionSpec("pattern"),
        new OptionSpec("arguments", Default: "", Aliases: new[] { "args" }),
        new OptionSpec("runlevel", Default: "default"),
        new OptionSpec("use", Default: "auto"));

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var use = ctx.Args.Str("use")!;
        if (use == "auto")
        {
            if (ctx.Variables.TryGetRaw("ansible_service_mgr", out var v) && v is string s && s.Length > 0) use = s;
            else use = (await ctx.ShAsync("[ -d /run/systemd/system ] && echo systemd || echo unknown", ct)).Stdout.Trim();
        }
        if (use != "systemd") return Results.Fail($"Runner's service module supports systemd hosts only (service manager: {use}).");
        var args = new Dict { ["name"] = ctx.Args.Get("name") };
        if (ctx.Args.Has("state")) args["state"] = ctx.Args.Get("state");
        if (ctx.Args.Has("enabled")) args["enabled"] = ctx.Args.Get("enabled");
        var inner = new ModuleContext
        {
            Connection = ctx.Connection, Args = ArgumentValidator.Validate(_systemd.Spec, args, "systemd"),
            CheckMode = ctx.CheckMode, DiffMode = ctx.DiffMode, Templar = ctx.Templar, Variables = ctx.Variables,
            Host = ctx.Host, Planned = ctx.Planned, SearchPaths = ctx.SearchPaths, Exec = ctx.Exec, TaskLabel = ctx.TaskLabel,
        };
        return await _systemd.RunAsync(inner, ct);
    }
}

using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.package (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/package_module.html):
/// runs the host's package manager module, chosen by `use` or else the ansible_pkg_mgr fact (or, without
/// facts, apt when the target has apt-get). Only apt is implemented; name and state pass through, and
/// the result is the chosen module's. Other managers fail with a clear message.
/// </summary>
public sealed class PackageModule : IModule
{
    private readonly AptModule _apt = new();

    public string Name => "package";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", OptionType.List, Required: true, Elements: OptionType.Str),
        new OptionSpec("state", Required: true),
        new OptionSpec("use", Default: "auto"));

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var use = ctx.Args.Str("use")!;
        if (use == "auto")
        {
            if (ctx.Variables.TryGetRaw("ansible_pkg_mgr", out var v) && v is string s && s.Length > 0) use = s;
            else if (ctx.Variables.TryGetRaw("ansible_facts", out var f) && f is Dict facts && facts.Get("pkg_mgr") is string s2) use = s2;
            else use = (await ctx.ShAsync("command -v apt-get >/dev/null && echo apt || echo unknown", ct)).Stdout.Trim();
        }
        if (use != "apt")
            return Results.Fail($"Could not find a module for {use}.");
        var args = new Dict { ["name"] = ctx.Args.Get("name"), ["state"] = ctx.Args.Get("state") };
        var validated = ArgumentValidator.Validate(_apt.Spec, args, _apt.Name);
        var inner = new ModuleContext
        {
            Connection = ctx.Connection, Args = validated, CheckMode = ctx.CheckMode, DiffMode = ctx.DiffMode,
            Templar = ctx.Templar, Variables = ctx.Variables, Host = ctx.Host, Planned = ctx.Planned, SearchPaths = ctx.SearchPaths,
            Exec = ctx.Exec, TaskLabel = ctx.TaskLabel,
        };
        return await _apt.RunAsync(inner, ct);
    }
}

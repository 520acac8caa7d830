using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.ping (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/ping_module.html):
/// checks the target runs a shell and answers {"ping": data}; data "crash" fails on purpose.
/// </summary>
public sealed class PingModule : IModule
{
    public string Name => "ping";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(new OptionSpec("data", Default: "pong"));

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var data = ctx.Args.Str("data") ?? "pong";
        if (data == "crash") return Results.Fail("boom");
        var r = await ctx.ShAsync("echo pong", ct);
        if (r.ExitCode != 0 || r.Stdout.Trim() != "pong") return Results.Fail($"ping failed: {r.Stderr.Trim()}");
        return new Dict { ["ping"] = data, ["changed"] = false };
    }
}

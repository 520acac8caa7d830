using System.Diagnostics;
using Runner.Engine.Connections;
using UnreachableException = Runner.Engine.Connections.UnreachableException;
using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.wait_for_connection
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/wait_for_connection_module.html), on the controller
/// through the host's connection as 2.14's action plugin (lib/ansible/plugins/action/wait_for_connection.py), in one
/// <see cref="ConnectionStep"/>: waits `delay` seconds, then until `timeout` seconds have passed resets the connection
/// and runs the ping module's equivalent (`echo pong` through sh with the task's become: Runner's targets have no
/// Python), `sleep` seconds between tries. Each try reconnects within connect_timeout seconds (Ansible 2.14's ssh
/// connection ignores the option); the configured connect timeout holds again afterwards.
/// Result: elapsed (whole seconds since the start, delay included), changed false; on timeout failed with
/// "timed out waiting for ping module test: LAST ERROR" (the connection's message, e.g. "Failed to connect to the host
/// via ssh: ..."). Check mode: skipped, the host not contacted.
/// Differs from Ansible: options are validated in check mode too (Ansible skips before checking them); a try is a
/// shell command, so a host without Python passes.
/// </summary>
public sealed class WaitForConnectionModule : PlanningModule
{
    /// <inheritdoc/>
    public override string Name => "wait_for_connection";

    /// <inheritdoc/>
    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("connect_timeout", OptionType.Int, Default: 5L), new("delay", OptionType.Int, Default: 0L),
        new("sleep", OptionType.Int, Default: 1L), new("timeout", OptionType.Int, Default: 600L),
    }, RunsOnController: true)
    {
        ValidArgsOnly = true,
        ArgumentErrorFields = ModuleSpec.ActionFailureFields,
    };

    /// <inheritdoc/>
    public override Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        // a wait changes nothing; in check mode Ansible skips it (CheckModeResult: no elapsed then)
        var plan = new Plan { SkipInCheckMode = true, CheckModeResult = new Dict() };
        return Task.FromResult(plan.Add(new ConnectionStep("wait for connection", (c, token) => WaitAsync(a, c, token)) { CountsAsChange = false }));
    }

    private static async Task<Plan> WaitAsync(Dict a, ActionConnection c, CancellationToken ct)
    {
        var connectTimeout = TimeSpan.FromSeconds(Math.Max(1, a.Long("connect_timeout", 5)));
        var sleep = TimeSpan.FromSeconds(Math.Max(0, a.Long("sleep", 1)));
        var clock = Stopwatch.StartNew();
        if (a.Long("delay") is > 0 and var delay) await Task.Delay(TimeSpan.FromSeconds(delay), ct);
        var end = DateTime.UtcNow.AddSeconds(a.Long("timeout", 600));
        string? error = null;
        try
        {
            while (DateTime.UtcNow < end)
            {
                await c.ResetAsync(connectTimeout);
                try
                {
                    var r = await c.ShAsync("echo pong", ct);
                    if (r.ExitCode == 0 && r.Stdout.Trim() == "pong") return Plan.Ok(new Dict { ["elapsed"] = (long)clock.Elapsed.TotalSeconds });
                    error = "ping test failed";
                }
                catch (Exception e) when (e is UnreachableException or RunnerException) { error = e.Message; }
                await Task.Delay(sleep, ct);
            }
        }
        finally { await c.ResetAsync(); } // later connections get the configured connect timeout again
        return Plan.Fail($"timed out waiting for ping module test: {error}", new Dict { ["elapsed"] = (long)clock.Elapsed.TotalSeconds });
    }
}

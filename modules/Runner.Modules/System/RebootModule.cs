using System.Diagnostics;
using System.Globalization;
using Runner.Engine.Connections;
using UnreachableException = Runner.Engine.Connections.UnreachableException;
using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.reboot (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/reboot_module.html), on the
/// controller through the host's connection as 2.14's action plugin (lib/ansible/plugins/action/reboot.py), in one
/// <see cref="ConnectionStep"/>:
/// <list type="number">
/// <item>A local connection fails at once: "Running ACTION with local connection would reboot the control node."
/// (elapsed 0, rebooted false), in check mode too. Otherwise check mode stops here: changed, elapsed 0, rebooted true,
/// the host not contacted.</item>
/// <item>The system's name (<see cref="RebootDefaults"/>) when a command is left to its default; the boot time
/// (boot_time_command, stdout trimmed): a non-zero exit or a lost connection fails the task with "ACTION: failed to get
/// host boot time info, rc: N, stdout: ..., stderr: ..." (or the connection's message) and Ansible's `reboot: false`.</item>
/// <item>The reboot command: reboot_command's first word (else the system's shutdown) as an absolute path, else the
/// first match in search_paths (as the find module lists them: not hidden, fnmatch patterns; none: the task fails with
/// only 'Unable to find command "X" in search paths: [...]'), then reboot_command's other words, else the system's
/// arguments with pre_reboot_delay (seconds; whole minutes on Linux) and msg. A lost connection counts as success;
/// a non-zero exit fails with "Reboot command failed. Error was: 'STDOUT, STDERR'", rebooted false, start, elapsed.</item>
/// <item>post_reboot_delay seconds, then until reboot_timeout seconds have passed: the boot time again until it is not
/// empty and differs (with connect_timeout, the connection is reset before each try so that it reconnects within that
/// many seconds; the configured timeout is restored after), then, in a new window of reboot_timeout, test_command until
/// it exits 0. A lost connection is reset before the next try; tries are 1, 2, 4, 8 then 12 seconds apart plus up to a
/// second at random, as Ansible's backoff. Timeout: failed, "Timed out waiting for last boot time check (timeout=N)"
/// or "... post-reboot test command ...", rebooted true.</item>
/// </list>
/// Result: changed true, rebooted true, elapsed (whole seconds since the reboot command returned).
/// Differs from Ansible: options are validated in check mode and on a local connection too (Ansible checks neither
/// there); the failed reboot command's `start` is an ISO text (Ansible's datetime makes the registered value a string);
/// a command's stderr is its own (Ansible's ssh runs commands on a tty, which merges it into stdout).
/// </summary>
public sealed class RebootModule : PlanningModule
{
    /// <inheritdoc/>
    public override string Name => "reboot";

    /// <inheritdoc/>
    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("boot_time_command"), new("connect_timeout", OptionType.Int), new("msg", Default: "Reboot initiated by Ansible"),
        new("post_reboot_delay", OptionType.Int, Default: 0L), new("pre_reboot_delay", OptionType.Int, Default: 0L),
        new("reboot_command"), new("reboot_timeout", OptionType.Int, Default: 600L),
        new("search_paths", OptionType.List, Elements: OptionType.Str,
            Default: new List<object?> { "/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin" }),
        new("test_command"),
    }, RunsOnController: true)
    {
        ValidArgsOnly = true,
        ArgumentErrorFields = ModuleSpec.ActionFailureFields,
    };

    /// <inheritdoc/>
    public override Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var action = ctx.Action is { Length: > 0 } written ? written : Name;
        if (ctx.ConnectionIsLocal)
            return Task.FromResult(Plan.Fail($"Running {action} with local connection would reboot the control node.",
                new Dict { ["elapsed"] = 0L, ["rebooted"] = false }));
        var args = ctx.Args;
        var plan = new Plan { CheckModeResult = new Dict { ["elapsed"] = 0L, ["rebooted"] = true } };
        return Task.FromResult(plan.Add(new ConnectionStep("reboot", (c, token) => RebootAsync(args, action, c, token))));
    }

    /// <summary>A try of the wait loops that did not succeed (the boot time did not change, a command failed).</summary>
    private sealed class AttemptFailed(string message) : Exception(message);

    private static async Task<Plan> RebootAsync(Dict a, string action, ActionConnection c, CancellationToken ct)
    {
        var system = a.Str("boot_time_command") is { Length: > 0 } && a.Has("reboot_command") && a.Has("test_command")
            ? "" : RebootDefaults.SystemKey((await c.ShAsync(RebootDefaults.ProbeScript, ct)).Stdout);
        var bootTimeCommand = a.Str("boot_time_command") is { Length: > 0 } given ? given : RebootDefaults.BootTimeCommand(system);
        string previous;
        try { previous = await BootTimeAsync(c, bootTimeCommand, action, ct); }
        catch (Exception e) when (e is AttemptFailed or UnreachableException or RunnerException)
        {
            return Plan.Fail(e.Message, new Dict { ["reboot"] = false }); // sic: Ansible's key here
        }

        var command = await RebootCommandAsync(a, system, c, ct);
        CommandResult r;
        try { r = await c.ShAsync(command, ct); }
        catch (UnreachableException) { r = new CommandResult(0, "", ""); } // the host went down before answering
        var start = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        Dict Fields(bool rebooted) => new() { ["rebooted"] = rebooted, ["elapsed"] = (long)clock.Elapsed.TotalSeconds };
        if (r.ExitCode != 0)
            return Plan.Fail($"Reboot command failed. Error was: '{r.Stdout.Trim()}, {r.Stderr.Trim()}'",
                new Dict(Fields(false)) { ["start"] = start.ToString(start.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture) });

        if (Math.Max(0, a.Long("post_reboot_delay")) is > 0 and var delay) await Task.Delay(TimeSpan.FromSeconds(delay), ct);
        var timeout = a.Long("reboot_timeout", 600);
        TimeSpan? connectTimeout = a.Long("connect_timeout") is > 0 and var t ? TimeSpan.FromSeconds(t) : null;
        try
        {
            var changed = await UntilAsync(async () =>
            {
                if (connectTimeout is not null) await c.ResetAsync(connectTimeout);
                var now = await BootTimeAsync(c, bootTimeCommand, action, ct);
                if (now.Length == 0 || now == previous) throw new AttemptFailed("boot time has not changed");
            }, timeout, c, connectTimeout, ct);
            if (!changed) return Plan.Fail($"Timed out waiting for last boot time check (timeout={timeout})", Fields(true));
        }
        finally
        {
            if (connectTimeout is not null) await c.ResetAsync(); // the configured connect timeout again
        }

        var testCommand = a.Str("test_command") ?? RebootDefaults.TestCommand(system);
        var ready = await UntilAsync(async () =>
        {
            var test = await c.ShAsync(testCommand, ct);
            if (test.ExitCode != 0) throw new AttemptFailed($"Test command failed: {test.Stderr} {test.Stdout}");
        }, timeout, c, null, ct);
        if (!ready) return Plan.Fail($"Timed out waiting for post-reboot test command (timeout={timeout})", Fields(true));
        return Plan.Ok(Fields(true));
    }

    /// <summary>The boot time command's output, trimmed.</summary>
    /// <exception cref="AttemptFailed">It exited non-zero (Ansible's message).</exception>
    private static async Task<string> BootTimeAsync(ActionConnection c, string command, string action, CancellationToken ct)
    {
        var r = await c.ShAsync(command, ct);
        if (r.ExitCode != 0)
            throw new AttemptFailed($"{action}: failed to get host boot time info, rc: {r.ExitCode}, stdout: {r.Stdout}, stderr: {r.Stderr}");
        return r.Stdout.Trim();
    }

    /// <summary>The command line that reboots: the program's path and its arguments.</summary>
    /// <exception cref="ActionError">The program is not in search_paths.</exception>
    private static async Task<string> RebootCommandAsync(Dict a, string system, ActionConnection c, CancellationToken ct)
    {
        var given = a.Str("reboot_command");
        var words = given?.Split(' ', 2);
        var program = words?[0] ?? RebootDefaults.ShutdownCommand(system);
        var arguments = words is null
            ? RebootDefaults.ShutdownArguments(system, Math.Max(0, a.Long("pre_reboot_delay")), a.Str("msg") ?? "")
            : words.Length > 1 ? words[1] : "";
        if (!program.StartsWith('/'))
        {
            var paths = a.StrList("search_paths");
            program = await FindAsync(c, program, paths, ct)
                ?? throw new ActionError($"Unable to find command \"{program}\" in search paths: {PyStr.Repr(paths)}");
        }
        return $"{program} {arguments}";
    }

    /// <summary>The first entry of <paramref name="dirs"/> (in order; names sorted within one) whose name matches
    /// <paramref name="pattern"/>, as the find module (file_type any, not hidden, not recursive) gives it; null when none.</summary>
    private static async Task<string?> FindAsync(ActionConnection c, string pattern, List<string> dirs, CancellationToken ct)
    {
        // "/N" heads the names of dirs[N]: a name never holds a slash
        var script = string.Join("; ", dirs.Select((d, i) => $"echo /{i}; [ -d {ShellQuote.Quote(d)} ] && ls -1 -- {ShellQuote.Quote(d)} 2>/dev/null")) + "; true";
        var listing = await c.ShAsync(script, ct);
        var dir = -1;
        foreach (var line in listing.Stdout.Split('\n'))
        {
            if (line.StartsWith('/') && int.TryParse(line[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < dirs.Count) dir = i;
            else if (dir >= 0 && line.Length > 0 && !line.StartsWith('.') && FnMatch.IsMatch(line, pattern))
                return PyPath.NormPath(dirs[dir] + "/" + line);
        }
        return null;
    }

    /// <summary>Ansible's do_until_success_or_timeout: tries <paramref name="attempt"/> until it returns or
    /// <paramref name="timeoutSeconds"/> have passed; a lost connection is reset (keeping <paramref name="connectTimeout"/>)
    /// before the next try. False when the time ran out.</summary>
    private static async Task<bool> UntilAsync(Func<Task> attempt, long timeoutSeconds, ActionConnection c, TimeSpan? connectTimeout, CancellationToken ct)
    {
        var end = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        for (var fails = 0; DateTime.UtcNow < end; fails++)
        {
            try
            {
                await attempt();
                return true;
            }
            catch (UnreachableException) { await c.ResetAsync(connectTimeout); }
            catch (Exception e) when (e is AttemptFailed or RunnerException) { }
            var jitter = Random.Shared.Next(0, 1001) / 1000.0;
            var sleep = Math.Pow(2, Math.Min(fails, 10)) + jitter;
            if (sleep > 12) sleep = 12 + jitter;
            await Task.Delay(TimeSpan.FromSeconds(sleep), ct);
        }
        return false;
    }
}

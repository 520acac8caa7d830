using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.systemd / systemd_service
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/systemd_service_module.html) with systemctl
/// on the target: name, state started/stopped/restarted/reloaded, enabled, masked, daemon_reload, daemon_reexec,
/// scope system/user/global, no_block. `changed` is true exactly when systemd's state was (or, in check mode,
/// would be) changed; restarted/reloaded always change. Result: name, changed, status (every `systemctl show`
/// property), enabled and state when asked. A unit that fails to start (at once, or within about a second for
/// Type=simple units) fails the task with the last journal lines of the unit in msg.
/// Errors: "Could not find the requested service NAME: host", "Error loading unit file ...", "Unable to ACTION service ...".
/// </summary>
public sealed class SystemdModule : IModule
{
    private readonly string _name;

    /// <summary>A systemd module registered as <paramref name="name"/> ("systemd" or "systemd_service").</summary>
    public SystemdModule(string name = "systemd") => _name = name;

    public string Name => _name;

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Aliases: new[] { "service", "unit" }),
        new OptionSpec("state", Choices: new[] { "reloaded", "restarted", "started", "stopped" }),
        new OptionSpec("enabled", OptionType.Bool),
        new OptionSpec("force", OptionType.Bool),
        new OptionSpec("masked", OptionType.Bool),
        new OptionSpec("daemon_reload", OptionType.Bool, Default: false, Aliases: new[] { "daemon-reload" }),
        new OptionSpec("daemon_reexec", OptionType.Bool, Default: false, Aliases: new[] { "daemon-reexec" }),
        new OptionSpec("scope", Default: "system", Choices: new[] { "global", "system", "user" }),
        new OptionSpec("no_block", OptionType.Bool, Default: false));

    /// <summary>Where systemd looks for unit files (systemd.unit(5), system units).</summary>
    private static readonly string[] UnitFolders = { "/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system" };

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var unit = a.Str("name");
        if (unit is null && (a.Has("state") || a.Has("enabled") || a.Has("masked")))
            return Results.Fail("missing parameter(s) required by 'state': name");
        var sc = "systemctl" + (a.Str("scope") switch { "user" => " --user", "global" => " --global", _ => "" });
        var result = new Dict { ["name"] = unit, ["changed"] = false, ["status"] = new Dict() };

        foreach (var (opt, verb) in new[] { ("daemon_reload", "daemon-reload"), ("daemon_reexec", "daemon-reexec") })
        {
            if (!a.Bool(opt) || ctx.CheckMode) continue;
            var r = await ctx.ShAsync($"{sc} {verb}", ct);
            if (r.ExitCode != 0) return Results.Fail($"failure {r.ExitCode} during {verb}: {r.Stderr}");
        }
        if (unit is null) return result;

        var q = ShellQuote.Quote(unit);
        var probe = await ctx.ShAsync($"{sc} show {q} 2>&1; {TargetScript.Sep}; {sc} is-enabled {q} 2>/dev/null; echo \"rc=$?\"", ct);
        var sec = TargetScript.Sections(probe.Stdout);
        var status = ParseShow(sec[0]);
        result["status"] = status;
        var enabledLines = sec.Length > 1 ? sec[1].Split('\n').ToList() : new List<string> { "rc=1" };
        var enabledRc = enabledLines.Last();
        enabledLines.RemoveAt(enabledLines.Count - 1);
        var enabledText = string.Join("\n", enabledLines).Trim();
        var found = status.Get("LoadState") is string ls && ls != "not-found";
        if (found && status.Get("LoadState") as string != "masked" && status.Get("LoadError") is string le && le.Length > 0 &&
            !le.StartsWith("org.freedesktop.systemd1.NoSuchUnit"))
            return Results.Fail($"Error loading unit file '{unit}': {le}");
        var missing = $"Could not find the requested service {unit}: host";
        var changed = false;
        if (!found && ctx.CheckMode && (a.Get("enabled") is not null || a.Str("state") is not null) &&
            ctx.Planned.HasFileIn(unit.Contains('.') ? unit : unit + ".service", UnitFolders))
        {
            // A unit file that an earlier task of the run would have written.
            result["changed"] = true;
            result["warnings"] = new List<object?> { $"{unit} is not installed yet: check mode assumes an earlier task installs it" };
            return result;
        }

        if (a.Get("masked") is bool wantMasked)
        {
            var masked = enabledText == "masked";
            if (masked != wantMasked)
            {
                changed = true;
                if (!ctx.CheckMode)
                {
                    var r = await ctx.ShAsync($"{sc} {(wantMasked ? "mask" : "unmask")} {q}", ct);
                    if (r.ExitCode != 0 && !found) return Results.Fail(missing);
                }
            }
        }
        if (a.Get("enabled") is bool wantEnabled)
        {
            if (!found) return Results.Fail(missing);
            var enabled = enabledRc == "rc=0" && enabledText is not ("indirect" or "alias");
            result["enabled"] = enabled;
            if (enabled != wantEnabled)
            {
                changed = true;
                var action = wantEnabled ? "enable" : "disable";
                if (!ctx.CheckMode)
                {
                    var r = await ctx.ShAsync($"{sc} {action} {q}", ct);
                    if (r.ExitCode != 0) return Results.Fail($"Unable to {action} service {unit}: {r.Stdout + r.Stderr}", new Dict { ["status"] = status });
                }
                result["enabled"] = wantEnabled;
            }
        }
        if (a.Str("state") is { } want)
        {
            if (!found) return Results.Fail(missing);
            result["state"] = want;
            var active = status.Get("ActiveState") as string ?? "";
            var running = active is "active" or "activating";
            string? action = want switch
            {
                "started" => running ? null : "start",
                "stopped" => running || active == "deactivating" ? "stop" : null,
                _ => running ? want[..^2] : "start",
            };
            if (want is "restarted" or "reloaded") result["state"] = "started";
            if (action is not null)
            {
                changed = true;
                if (!ctx.CheckMode)
                {
                    var nb = a.Bool("no_block") ? " --no-block" : "";
                    var r = await ctx.ShAsync($"{sc}{nb} {action} {q}", ct);
                    if (r.ExitCode != 0)
                        return Results.Fail($"Unable to {action} service {unit}: {r.Stderr}{await JournalAsync(ctx, a.Str("scope")!, unit, ct)}",
                            new Dict { ["status"] = status });
                    if (action is "start" or "restart" && !a.Bool("no_block") && await FailedSoonAfterStartAsync(ctx, sc, q, ct))
                        return Results.Fail($"Unable to {action} service {unit}: the unit failed after starting.{await JournalAsync(ctx, a.Str("scope")!, unit, ct)}",
                            new Dict { ["status"] = status, ["changed"] = true });
                }
            }
        }
        result["changed"] = changed;
        return result;
    }

    /// <summary>
    /// Polls `systemctl is-failed` a few times (about one second in all) after a start: a Type=simple unit whose
    /// ExecStart cannot run or exits at once is reported as started by systemctl but fails right after.
    /// </summary>
    private static async Task<bool> FailedSoonAfterStartAsync(ModuleContext ctx, string sc, string q, CancellationToken ct)
    {
        var r = await ctx.ShAsync(
            $"for i in 1 2 3 4 5; do s=$({sc} is-active {q}); case $s in failed) echo failed; exit 0;; inactive) " +
            $"r=$({sc} show -p Result --value {q}); [ \"$r\" = success ] || {{ echo failed; exit 0; }};; esac; sleep 0.2; done; echo ok", ct);
        return r.Stdout.Trim() == "failed";
    }

    /// <summary>"\nJournal:\n" plus the unit's last 15 journal lines, or "" when journalctl shows nothing.</summary>
    internal static async Task<string> JournalAsync(ModuleContext ctx, string scope, string unit, CancellationToken ct)
    {
        var flag = scope == "user" ? "--user-unit" : "-u";
        var r = await ctx.ShAsync($"journalctl --no-pager -q -o short-iso -n 15 {flag} {ShellQuote.Quote(unit)} 2>&1", ct);
        var text = r.Stdout.Trim();
        return text.Length == 0 ? "" : "\nJournal (last lines):\n" + text;
    }

    /// <summary>Parses `systemctl show` output ("Key=Value" lines, values kept as strings) into a Dict, as Ansible's parse_systemctl_show.</summary>
    internal static Dict ParseShow(string text)
    {
        var d = new Dict();
        string? multiKey = null;
        var multi = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (multiKey is not null)
            {
                multi.Add(line);
                if (line.TrimEnd().EndsWith('}')) { d[multiKey] = string.Join("\n", multi).Trim(); multiKey = null; multi.Clear(); }
                continue;
            }
            var i = line.IndexOf('=');
            if (i <= 0) continue;
            var key = line[..i];
            var value = line[(i + 1)..];
            if (key.StartsWith("Exec") && value.TrimStart().StartsWith('{') && !value.TrimEnd().EndsWith('}'))
            {
                multiKey = key; multi.Add(value); continue;
            }
            d[key] = value.Trim();
        }
        return d;
    }
}

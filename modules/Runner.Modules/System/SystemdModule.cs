using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.systemd / systemd_service
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/systemd_service_module.html) with systemctl
/// on the target: name, state started/stopped/restarted/reloaded, enabled, masked, daemon_reload, daemon_reexec,
/// scope system/user/global, no_block. The unit is read in one probe (<see cref="SystemdUnitFact"/>), after
/// daemon-reload/daemon-reexec when asked (those never make the task changed). `changed` is true exactly when
/// systemd's state was (or, in check mode, would be) changed; restarted/reloaded always change. Result: name,
/// changed, status (every `systemctl show` property), enabled and state when asked. A unit that fails to start (at
/// once, or within about a second for Type=simple units) fails the task with the last journal lines of the unit in msg.
/// A unit systemd does not know whose file an earlier check-mode task would write (<see cref="PlannedState"/>) is
/// reported as changed with a warning.
/// Errors: "Could not find the requested service NAME: host", "Error loading unit file ...", "Unable to ACTION service ...".
/// </summary>
public sealed class SystemdModule : PlanningModule
{
    private readonly string _name;

    /// <summary>A systemd module registered as <paramref name="name"/> ("systemd" or "systemd_service").</summary>
    public SystemdModule(string name = "systemd") => _name = name;

    public override string Name => _name;

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
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

    public override Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct) => PlanAsync(ctx, ctx.Args, ct);

    /// <summary>The plan for <paramref name="a"/> (arguments validated against <see cref="Spec"/>; the service module passes its own).</summary>
    internal static Task<Plan> PlanAsync(PlanContext ctx, Dict a, CancellationToken ct)
    {
        var unit = a.Str("name");
        if (unit is null && (a.Has("state") || a.Has("enabled") || a.Has("masked")))
            return Task.FromResult(Plan.Fail("missing parameter(s) required by 'state': name"));
        var scope = a.Str("scope") ?? "system";
        var sc = Argv.Of(SystemdUnitFact.Systemctl(scope));
        var daemon = new Plan();
        foreach (var (opt, verb) in new[] { ("daemon_reload", "daemon-reload"), ("daemon_reexec", "daemon-reexec") })
            if (a.Bool(opt)) daemon.Add(new RunStep(sc.Add(verb)) { CountsAsChange = false, FailMessage = $"failure {{rc}} during {verb}: {{stderr}}" });
        if (unit is null)
        {
            daemon.Result["name"] = null;
            daemon.Result["status"] = new Dict();
            return Task.FromResult(daemon);
        }
        // the unit is read after daemon-reload, so that a unit file written just before is known
        if (daemon.Steps.Count == 0) return UnitPlanAsync(ctx, a, unit, scope, sc, ct);
        daemon.Then = (_, token) => UnitPlanAsync(ctx, a, unit, scope, sc, token);
        return Task.FromResult(daemon);
    }

    private static async Task<Plan> UnitPlanAsync(PlanContext ctx, Dict a, string unit, string scope, Argv sc, CancellationToken ct)
    {
        var u = await ctx.Facts.GetAsync(new SystemdUnitFact(scope, unit), ct);
        var result = new Dict { ["name"] = unit, ["status"] = u.Status };
        if (u.Found && u.LoadState != "masked" && u.Status.Get("LoadError") is string le && le.Length > 0 &&
            !le.StartsWith("org.freedesktop.systemd1.NoSuchUnit"))
            return Plan.Fail($"Error loading unit file '{unit}': {le}", result);
        var missing = $"Could not find the requested service {unit}: host";
        if (!u.Found && (a.Get("enabled") is not null || a.Str("state") is not null) &&
            ctx.Planned.HasFileIn(unit.Contains('.') ? unit : unit + ".service", UnitFolders))
        {
            var assumed = new Plan { Result = result, Changed = true };
            assumed.Warnings.Add($"{unit} is not installed yet: check mode assumes an earlier task installs it");
            return assumed;
        }

        var plan = new Plan { Result = result };
        if (a.Get("masked") is bool wantMasked && u.Masked != wantMasked)
        {
            // as Ansible, a failed (un)mask of a known unit is not an error
            plan.Add(new RunStep(sc.Add(wantMasked ? "mask" : "unmask", unit))
            {
                OkExitCodes = u.Found ? Enumerable.Range(1, 255).ToArray() : Array.Empty<int>(), FailMessage = missing,
            });
        }
        if (a.Get("enabled") is bool wantEnabled)
        {
            if (!u.Found) return Plan.Fail(missing, result);
            result["enabled"] = wantEnabled;
            if (u.Enabled != wantEnabled)
            {
                var action = wantEnabled ? "enable" : "disable";
                plan.Add(new RunStep(sc.Add(action, unit)) { FailMessage = $"Unable to {action} service {unit}: {{stdout}}{{stderr}}" });
            }
        }
        if (a.Str("state") is { } want)
        {
            if (!u.Found) return Plan.Fail(missing, result);
            result["state"] = want is "restarted" or "reloaded" ? "started" : want;
            var running = u.ActiveState is "active" or "activating";
            var action = want switch
            {
                "started" => running ? null : "start",
                "stopped" => running || u.ActiveState == "deactivating" ? "stop" : null,
                _ => running ? want[..^2] : "start",
            };
            if (action is not null)
            {
                var noBlock = a.Bool("no_block");
                plan.Add(new RunStep(WithJournal(sc.AddIf(noBlock, "--no-block").Add(action, unit), scope, unit))
                {
                    FailMessage = $"Unable to {action} service {unit}: {{stderr}}",
                });
                if (action is "start" or "restart" && !noBlock)
                    plan.Then = async (outcomes, token) =>
                    {
                        if (!outcomes[^1].Ran || !await ctx.Facts.GetAsync(new SystemdStartFailureFact(scope, unit), token)) return Plan.Ok();
                        var journal = await ctx.Facts.GetAsync(new UnitJournalFact(scope, unit), token);
                        return Plan.Fail($"Unable to {action} service {unit}: the unit failed after starting.{JournalText(journal)}");
                    };
            }
        }
        return plan;
    }

    /// <summary>"\nJournal (last lines):\n" plus the journal's lines, or "" when there are none.</summary>
    private static string JournalText(string journal) => journal.Length == 0 ? "" : "\nJournal (last lines):\n" + journal;

    /// <summary>The command, and when it fails, the unit's last journal lines (as <see cref="JournalText"/>) added to its stderr.</summary>
    private static string WithJournal(Argv command, string scope, string unit) =>
        $"{command} || {{ rc=$?; j=$({new UnitJournalFact(scope, unit).Script}); " +
        "[ -z \"$j\" ] || printf '\\nJournal (last lines):\\n%s\\n' \"$j\" >&2; exit $rc; }";
}

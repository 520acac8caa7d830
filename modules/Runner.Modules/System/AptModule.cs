using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.apt (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/apt_module.html)
/// driven through apt-get/apt-cache/dpkg-query on the target (no python-apt): name (one or a list,
/// "name=version", '*' in versions), state present/absent/latest, update_cache + cache_valid_time (seconds),
/// install_recommends, purge, autoremove, deb (a .deb path on the target), dpkg_options, lock_timeout.
/// Always DEBIAN_FRONTEND=noninteractive; dpkg/apt lock waits use DPkg::Lock::Timeout and are retried.
/// State is read with <see cref="AptCacheTimeFact"/>, <see cref="DpkgPackagesFact"/> and <see cref="DebFileFact"/>;
/// the cache update is a step that is a change only when the lists' time moved (then the packages are probed
/// again); in check mode the apt-get run is simulated (<see cref="AptSimulationFact"/>), as Ansible's apt.
/// Result: changed, cache_updated, cache_update_time (epoch seconds of the lists' mtime), stdout/stderr
/// (+ _lines) of the apt-get run (simulated in check mode), diff {"prepared": apt-get's plan}. A package apt does
/// not know fails with "No package matching 'NAME' is available" (Ansible's message).
/// </summary>
public sealed class AptModule : PlanningModule
{
    public override string Name => "apt";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", OptionType.List, Elements: OptionType.Str, Aliases: new[] { "package", "pkg" }),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "build-dep", "fixed", "latest", "present" }),
        new OptionSpec("update_cache", OptionType.Bool, Aliases: new[] { "update-cache" }),
        new OptionSpec("update_cache_retries", OptionType.Int, Default: 5L),
        new OptionSpec("update_cache_retry_max_delay", OptionType.Int, Default: 12L),
        new OptionSpec("cache_valid_time", OptionType.Int, Default: 0L),
        new OptionSpec("install_recommends", OptionType.Bool, Aliases: new[] { "install-recommends" }),
        new OptionSpec("purge", OptionType.Bool, Default: false),
        new OptionSpec("autoremove", OptionType.Bool, Default: false),
        new OptionSpec("autoclean", OptionType.Bool, Default: false),
        new OptionSpec("deb", OptionType.Path),
        new OptionSpec("default_release", Aliases: new[] { "default-release" }),
        new OptionSpec("force", OptionType.Bool, Default: false),
        new OptionSpec("allow_unauthenticated", OptionType.Bool, Default: false, Aliases: new[] { "allow-unauthenticated" }),
        new OptionSpec("allow_downgrade", OptionType.Bool, Default: false, Aliases: new[] { "allow-downgrade", "allow_downgrades", "allow-downgrades" }),
        new OptionSpec("only_upgrade", OptionType.Bool, Default: false),
        new OptionSpec("dpkg_options", Default: "force-confdef,force-confold"),
        new OptionSpec("lock_timeout", OptionType.Int, Default: 60L),
        new OptionSpec("force_apt_get", OptionType.Bool, Default: false),
        new OptionSpec("policy_rc_d", OptionType.Int),
        new OptionSpec("fail_on_autoremove", OptionType.Bool, Default: false),
        new OptionSpec("upgrade", Choices: new[] { "dist", "full", "no", "safe", "yes" }));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var state = a.Str("state")!;
        if (state is "build-dep" or "fixed") return Plan.Fail($"state={state} is not supported by Runner's apt module");
        if (a.Has("upgrade") && a.Str("upgrade") != "no") return Plan.Fail("upgrade is not supported by Runner's apt module");
        var specs = a.StrList("name").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        foreach (var s in specs)
            if (s.Count(c => c == '=') > 1) return Plan.Fail($"invalid package spec: {s}");

        var wantsUpdate = a.Bool("update_cache") || a.Long("cache_valid_time") > 0;
        var validTime = a.Long("cache_valid_time");
        // the cache's age and the packages' state in one round trip, unless an update surely comes between them
        if (specs.Count > 0 && !a.Has("deb") && (!a.Bool("update_cache") || validTime > 0))
            await ctx.Facts.GetAsync(ct, new AptCacheTimeFact(), new DpkgPackagesFact(specs.Select(s => AptState.Split(s).Name).Distinct().ToList()));
        var cacheTime = await ctx.Facts.GetAsync(new AptCacheTimeFact(), ct);
        if (!wantsUpdate || (validTime > 0 && cacheTime + validTime >= DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
            return await PackagesAsync(ctx, wantsUpdate, false, cacheTime, ct);

        var update = new RunStep(AptGet(a, false, "update"))
        {
            CountsAsChange = false,
            Retry = LockRetry,
            OnFailure = r => Plan.Fail("Failed to update apt cache: " + TargetScript.Tail(r.Stderr + r.Stdout, 5)),
        };
        return new Plan
        {
            Then = async (outcomes, token) =>
            {
                // the lists' time after the update (fresh: the step cleared the facts); not run, the unchanged one
                var after = await ctx.Facts.GetAsync(new AptCacheTimeFact(), token);
                return await PackagesAsync(ctx, true, !outcomes[0].Ran || after != cacheTime, after, token);
            },
        }.Add(update);
    }

    /// <summary>The plan after the cache (updated or not): the deb, the packages, or autoremove.</summary>
    private static async Task<Plan> PackagesAsync(PlanContext ctx, bool updateAsked, bool cacheUpdated, long cacheTime, CancellationToken ct)
    {
        var a = ctx.Args;
        var state = a.Str("state")!;
        var specs = a.StrList("name").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        var result = new Dict { ["cache_updated"] = cacheUpdated, ["cache_update_time"] = cacheTime };
        if (updateAsked && specs.Count == 0 && !a.Has("deb")) return new Plan { Result = result, Changed = cacheUpdated };

        if (a.Has("deb"))
        {
            if (state != "present") return Plan.Fail("deb only supports state=present", result);
            var deb = a.Str("deb")!;
            var file = await ctx.Facts.GetAsync(new DebFileFact(deb), ct);
            if (!file.Exists) return Plan.Fail($"Unable to install package: {deb} does not exist", result);
            if (file.Error is not null) return Plan.Fail($"Unable to install package: {TargetScript.Tail(file.Error, 3)}", result);
            if (file.Status is not null && file.Status.StartsWith("ii") && file.InstalledVersion == file.Version) return Plan.Ok(result);
            return Run(ctx, result, new[] { "install", deb.StartsWith('/') ? deb : "./" + deb }, "install");
        }
        if (specs.Count == 0)
        {
            if (!a.Bool("autoremove")) return Plan.Ok(result);
            var args = a.Bool("purge") ? new[] { "autoremove", "--purge" } : new[] { "autoremove" };
            var sim = await ctx.Facts.GetAsync(new AptSimulationFact(AptGet(a, true, args)), ct);
            if (!sim.Stdout.Split('\n').Any(l => l.StartsWith("Remv "))) return Plan.Ok(result);
            return Run(ctx, result, args, "remove");
        }

        var names = specs.Select(s => AptState.Split(s).Name).Distinct().ToList();
        var packages = await ctx.Facts.GetAsync(new DpkgPackagesFact(names), ct);
        var todo = new List<string>();
        foreach (var spec in specs)
        {
            var (name, version) = AptState.Split(spec);
            var p = packages[name];
            var installed = p.Installed;
            if (state == "absent")
            {
                if (installed is not null || (a.Bool("purge") && p.ConfigFilesOnly))
                    if (version is null || (installed is not null && AptState.VersionMatches(installed, version))) todo.Add(name);
                continue;
            }
            if (p.Candidate is null && installed is null)
                return Plan.Fail($"No package matching '{name}' is available", result);
            if (version is not null)
            {
                if (installed is null || !AptState.VersionMatches(installed, version)) todo.Add(version.Contains('*') ? name + "=" + version : spec);
            }
            else if (installed is null) todo.Add(name);
            else if (state == "latest" && p.Candidate is not null && p.Candidate != installed) todo.Add(name);
        }
        if (todo.Count == 0) return Plan.Ok(result);

        var words = new List<string>();
        if (state == "absent")
        {
            words.Add(a.Bool("purge") ? "purge" : "remove");
            if (a.Bool("autoremove")) words.Add("--auto-remove");
        }
        else
        {
            words.Add("install");
            if (a.Get("install_recommends") is bool rec) words.Add(rec ? "--install-recommends" : "--no-install-recommends");
            if (a.Bool("allow_downgrade")) words.Add("--allow-downgrades");
            if (a.Bool("only_upgrade")) words.Add("--only-upgrade");
            if (a.Has("default_release")) { words.Add("-t"); words.Add(a.Str("default_release")!); }
            if (a.Bool("autoremove")) words.Add("--auto-remove");
        }
        words.AddRange(todo);
        return Run(ctx, result, words, state == "absent" ? "remove" : "install");
    }

    /// <summary>
    /// The plan running `apt-get ARGS`; its result is the run's stdout/stderr (+ _lines) and Ansible's "prepared" diff
    /// (apt.py parse_diff: the lines after "Reading state information..." up to the "N upgraded" line). A run that did
    /// not happen (check mode) reports apt-get's simulation of it instead, as Ansible's apt.
    /// </summary>
    private static Plan Run(PlanContext ctx, Dict result, IReadOnlyList<string> args, string what)
    {
        var a = ctx.Args;
        var step = new RunStep(AptGet(a, false, args.ToArray()))
        {
            Retry = LockRetry,
            OnFailure = r => Outcome(result, r, what),
        };
        return new Plan
        {
            Result = result,
            Then = async (outcomes, ct) =>
                Outcome(new Dict(), outcomes[0].Result ?? await ctx.Facts.GetAsync(new AptSimulationFact(AptGet(a, true, args.ToArray())), ct), what),
        }.Add(step);
    }

    /// <summary>The result fields of an apt-get run (or its simulation): a failure when it exited non-zero.</summary>
    private static Plan Outcome(Dict fields, CommandResult run, string what)
    {
        var result = new Dict(fields);
        result["stdout"] = run.Stdout;
        result["stderr"] = run.Stderr;
        CommandResults.AddLines(result);
        var diff = new Dict { ["prepared"] = Prepared(run.Stdout) };
        if (run.ExitCode == 0) return new Plan { Result = result, Diff = diff };
        result["rc"] = (long)run.ExitCode;
        var msg = what == "remove" ? "'apt-get remove' failed: " : "'apt-get install' failed: ";
        var failed = Plan.Fail(msg + TargetScript.Tail(run.Stderr, 5), result);
        failed.Diff = diff;
        return failed;
    }

    internal static string Prepared(string stdout)
    {
        var lines = stdout.Replace("\r", "").TrimEnd('\n').Split('\n');
        var start = Array.IndexOf(lines, "Resolving dependencies...");
        if (start < 0) start = Array.IndexOf(lines, "Reading state information...");
        var end = Array.FindIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[0-9]+ (packages )?upgraded"));
        if (end < 0) end = lines.Length - 1;
        return string.Join("\n", lines[(start + 1)..Math.Max(start + 1, end + 1)]);
    }

    /// <summary>Retries while another apt/dpkg still holds the lock after DPkg::Lock::Timeout: 3 more times, from 2 s.</summary>
    private static readonly StepRetry LockRetry = new(r => r.ExitCode != 0 && IsLockError(r.Stderr), 3, TimeSpan.FromSeconds(2));

    /// <summary>
    /// The sh command line `apt-get -y -q OPTIONS [--simulate] ARGS` run non-interactively, waiting up to lock_timeout
    /// seconds for the dpkg lock; a real run with policy_rc_d installs that policy-rc.d for its duration.
    /// </summary>
    internal static string AptGet(Dict a, bool simulate, params string[] args)
    {
        var argv = Argv.Of("apt-get", "-y", "-q", "-o", $"DPkg::Lock::Timeout={a.Long("lock_timeout", 60)}");
        foreach (var o in (a.Str("dpkg_options") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            argv = argv.Add("-o", "Dpkg::Options::=--" + o);
        argv = argv.AddIf(a.Bool("force") || a.Bool("allow_unauthenticated"), "--allow-unauthenticated").AddIf(simulate, "--simulate").Add(args);
        var policy = a.Has("policy_rc_d") && !simulate
            ? $"printf '#!/bin/sh\\nexit %s\\n' {a.Long("policy_rc_d")} > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && trap 'rm -f /usr/sbin/policy-rc.d' EXIT; "
            : "";
        return policy + "DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C " + argv + " </dev/null";
    }

    /// <summary>Whether apt-get failed only because another process holds the apt/dpkg lock.</summary>
    internal static bool IsLockError(string stderr) =>
        stderr.Contains("Could not get lock") || stderr.Contains("Unable to acquire the dpkg frontend lock") ||
        stderr.Contains("Unable to lock directory");
}

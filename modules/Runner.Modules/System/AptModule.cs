using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.apt (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/apt_module.html)
/// driven through apt-get/apt-cache/dpkg-query on the target (no python-apt): name (one or a list,
/// "name=version", '*' in versions), state present/absent/latest, update_cache + cache_valid_time (seconds),
/// install_recommends, purge, autoremove, deb (a .deb path on the target), dpkg_options, lock_timeout.
/// Always DEBIAN_FRONTEND=noninteractive; dpkg/apt lock waits use DPkg::Lock::Timeout and are retried.
/// Result: changed, cache_updated, cache_update_time (epoch seconds of the lists' mtime), stdout/stderr
/// (+ _lines) of the apt-get run. A package apt does not know fails with
/// "No package matching 'NAME' is available" (Ansible's message).
/// </summary>
public sealed class AptModule : IModule
{
    public string Name => "apt";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
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

    private const string StampProbe =
        "f=/var/lib/apt/periodic/update-success-stamp; [ -e $f ] || f=/var/lib/apt/lists; stat -c %Y $f 2>/dev/null || echo 0";

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var state = a.Str("state")!;
        if (state is "build-dep" or "fixed") return Results.Fail($"state={state} is not supported by Runner's apt module");
        if (a.Has("upgrade") && a.Str("upgrade") != "no") return Results.Fail("upgrade is not supported by Runner's apt module");
        var specs = a.StrList("name").Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        foreach (var s in specs)
            if (s.Count(c => c == '=') > 1) return Results.Fail($"invalid package spec: {s}");

        // cache
        var cacheTime = long.TryParse((await ctx.ShAsync(StampProbe, ct)).Stdout.Trim(), out var t) ? t : 0;
        var cacheUpdated = false;
        if (a.Bool("update_cache") || a.Long("cache_valid_time") > 0)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (cacheTime + a.Long("cache_valid_time") < now || a.Long("cache_valid_time") == 0)
            {
                if (!ctx.CheckMode)
                {
                    var r = await AptGetAsync(ctx, "update", ct);
                    if (r.ExitCode != 0) return Results.Fail("Failed to update apt cache: " + TargetScript.Tail(r.Stderr + r.Stdout, 5));
                    var after = long.TryParse((await ctx.ShAsync(StampProbe, ct)).Stdout.Trim(), out var t2) ? t2 : 0;
                    cacheUpdated = after != cacheTime;
                    cacheTime = after;
                }
                else cacheUpdated = true;
            }
            if (specs.Count == 0 && !a.Has("deb"))
                return new Dict { ["changed"] = cacheUpdated, ["cache_updated"] = cacheUpdated, ["cache_update_time"] = cacheTime };
        }
        var result = new Dict { ["cache_updated"] = cacheUpdated, ["cache_update_time"] = cacheTime };

        if (a.Has("deb"))
        {
            if (state != "present") return Results.Fail("deb only supports state=present");
            return await InstallDebAsync(ctx, a.Str("deb")!, result, ct);
        }
        if (specs.Count == 0)
        {
            if (a.Bool("autoremove")) return await AutoremoveAsync(ctx, result, ct);
            return Results.Ok(false, result);
        }

        var names = specs.Select(s => AptState.Split(s).Name).Distinct().ToList();
        var probe = $"dpkg-query -W -f '${{Package}}\\t${{db:Status-Abbrev}}\\t${{Version}}\\n' {TargetScript.Words(names)} 2>/dev/null; " +
                    $"{TargetScript.Sep}; apt-cache policy {TargetScript.Words(names)} 2>/dev/null";
        var sec = TargetScript.Sections((await ctx.ShAsync(probe, ct)).Stdout);
        var dpkg = AptState.ParseDpkg(sec[0]);
        var policy = AptState.ParsePolicy(sec.Length > 1 ? sec[1] : "");

        var todo = new List<string>();
        foreach (var spec in specs)
        {
            var (name, version) = AptState.Split(spec);
            var installed = dpkg.TryGetValue(name, out var d) && d.Status.StartsWith("ii") ? d.Version : null;
            var hasConfig = dpkg.TryGetValue(name, out var d2) && d2.Status.StartsWith("rc");
            policy.TryGetValue(name, out var pol);
            if (state == "absent")
            {
                if (installed is not null || (a.Bool("purge") && hasConfig))
                    if (version is null || (installed is not null && AptState.VersionMatches(installed, version))) todo.Add(name);
                continue;
            }
            if (pol.Candidate is null && installed is null)
                return Results.Fail($"No package matching '{name}' is available", result);
            if (version is not null)
            {
                if (installed is null || !AptState.VersionMatches(installed, version)) todo.Add(version.Contains('*') ? name + "=" + version : spec);
            }
            else if (installed is null) todo.Add(name);
            else if (state == "latest" && pol.Candidate is not null && pol.Candidate != installed) todo.Add(name);
        }
        if (todo.Count == 0) return Results.Ok(false, result);

        var args = new List<string>();
        if (state == "absent")
        {
            args.Add(a.Bool("purge") ? "purge" : "remove");
            if (a.Bool("autoremove")) args.Add("--auto-remove");
        }
        else
        {
            args.Add("install");
            if (a.Get("install_recommends") is bool rec) args.Add(rec ? "--install-recommends" : "--no-install-recommends");
            if (a.Bool("allow_downgrade")) args.Add("--allow-downgrades");
            if (a.Bool("only_upgrade")) args.Add("--only-upgrade");
            if (a.Has("default_release")) { args.Add("-t"); args.Add(a.Str("default_release")!); }
            if (a.Bool("autoremove")) args.Add("--auto-remove");
        }
        args.AddRange(todo);
        var run = await AptGetAsync(ctx, TargetScript.Words(args), ct);
        return Finish(ctx, result, run, state == "absent" ? "remove" : "install");
    }

    /// <summary>The result of an apt-get run (simulated in check mode): stdout/stderr, and in diff mode Ansible's
    /// "prepared" diff (apt.py parse_diff: the lines after "Reading state information..." up to the "N upgraded" line).</summary>
    private static Dict Finish(ModuleContext ctx, Dict result, CommandResult run, string what)
    {
        if (ctx.DiffMode) result["diff"] = new Dict { ["prepared"] = Prepared(run.Stdout) };
        result["stdout"] = run.Stdout;
        result["stderr"] = run.Stderr;
        CommandResults.AddLines(result);
        if (run.ExitCode != 0)
        {
            result["rc"] = (long)run.ExitCode;
            var msg = what == "remove" ? "'apt-get remove' failed: " : "'apt-get install' failed: ";
            return Results.Fail(msg + TargetScript.Tail(run.Stderr, 5), result);
        }
        return Results.Ok(true, result);
    }

    private async Task<Dict> InstallDebAsync(ModuleContext ctx, string deb, Dict result, CancellationToken ct)
    {
        var q = ShellQuote.Quote(deb);
        var probe = $"test -f {q} || {{ echo missing; exit 0; }}; p=$(dpkg-deb -f {q} Package) && v=$(dpkg-deb -f {q} Version) || exit 3; " +
                    "echo \"$p\"; echo \"$v\"; dpkg-query -W -f '${db:Status-Abbrev}\\t${Version}' \"$p\" 2>/dev/null; echo";
        var r = await ctx.ShAsync(probe, ct);
        var lines = r.Stdout.Split('\n');
        if (lines[0] == "missing") return Results.Fail($"Unable to install package: {deb} does not exist", result);
        if (r.ExitCode != 0 || lines.Length < 3) return Results.Fail($"Unable to install package: {TargetScript.Tail(r.Stderr, 3)}", result);
        var inst = lines[2].Split('\t');
        if (inst.Length == 2 && inst[0].StartsWith("ii") && inst[1] == lines[1]) return Results.Ok(false, result);
        var path = deb.StartsWith('/') ? deb : "./" + deb;
        var run = await AptGetAsync(ctx, "install " + ShellQuote.Quote(path), ct);
        return Finish(ctx, result, run, "install");
    }

    private async Task<Dict> AutoremoveAsync(ModuleContext ctx, Dict result, CancellationToken ct)
    {
        var purge = ctx.Args.Bool("purge") ? " --purge" : "";
        var sim = await ctx.ShAsync("apt-get -s autoremove" + purge + " 2>/dev/null | grep -c '^Remv ' || true", ct);
        if (sim.Stdout.Trim() == "0") return Results.Ok(false, result);
        return Finish(ctx, result, await AptGetAsync(ctx, "autoremove" + purge, ct), "remove");
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

    /// <summary>
    /// Runs `apt-get -y OPTIONS ARGS` non-interactively (with --simulate in check mode, as Ansible's apt module), waiting up to lock_timeout seconds for the dpkg lock
    /// and retrying (Polly) when the lock is still held by another apt/dpkg.
    /// </summary>
    private static Task<CommandResult> AptGetAsync(ModuleContext ctx, string args, CancellationToken ct)
    {
        var a = ctx.Args;
        var lockTimeout = a.Long("lock_timeout", 60);
        var dpkgOpts = (a.Str("dpkg_options") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => "-o " + ShellQuote.Quote("Dpkg::Options::=--" + o));
        var policy = a.Has("policy_rc_d") && !ctx.CheckMode ? $"printf '#!/bin/sh\\nexit {a.Long("policy_rc_d")}\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && trap 'rm -f /usr/sbin/policy-rc.d' EXIT; " : "";
        var script = policy + "DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C apt-get -y -q " +
                     $"-o DPkg::Lock::Timeout={lockTimeout} {string.Join(" ", dpkgOpts)} " +
                     (a.Bool("force") || a.Bool("allow_unauthenticated") ? "--allow-unauthenticated " : "") +
                     (ctx.CheckMode ? "--simulate " : "") + args + " </dev/null";
        return TargetScript.RunWithRetryAsync(ctx, script, r => r.ExitCode != 0 && IsLockError(r.Stderr), 3, TimeSpan.FromSeconds(2), ct);
    }

    /// <summary>Whether apt-get failed only because another process holds the apt/dpkg lock.</summary>
    internal static bool IsLockError(string stderr) =>
        stderr.Contains("Could not get lock") || stderr.Contains("Unable to acquire the dpkg frontend lock") ||
        stderr.Contains("Unable to lock directory");
}

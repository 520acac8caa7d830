using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.apt_repository (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/apt_repository_module.html),
/// as ansible-core 2.14's modules/apt_repository.py, without python3-apt on the target: apt-config names sources.list
/// and sources.list.d, the files are read in one round trip and parsed and rewritten by <see cref="AptSources"/>
/// (Ansible's SourcesList logic). state=present enables every disabled copy of the repo line or appends it to
/// sources.list.d/FILENAME.list (FILENAME: the filename option, else derived from the line's URL); state=absent removes
/// every enabled copy. Changed when a file's normalized text differs; then the files are written with the connection's
/// atomic write (new files 0644 minus the umask, mode applied to the files a line was appended to, files left without
/// lines removed) and, with update_cache, `apt-get update` runs (update_cache_retries attempts, the wait doubling from
/// 1 s up to update_cache_retry_max_delay); a failed update puts the files back and fails with "Failed to update apt
/// cache: ...". Result: changed, repo, state; the diff is a list with every file's before/after (headers /dev/null for a
/// file that is new or removed). Failures with Ansible's messages: an empty repo, "Invalid repository string: ...",
/// neither apt-key nor gpg on the target, a host without apt ("Module apt_repository is not supported on target.").
/// ppa: lines are expanded with codename (else the target's VERSION_CODENAME); adding one that is not there yet needs
/// Launchpad's API and is refused with Ansible's "failed to fetch PPA information" message. install_python_apt is
/// accepted and has no effect: nothing is installed.
/// </summary>
public sealed class AptRepositoryModule : PlanningModule
{
    public override string Name => "apt_repository";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("repo", Required: true),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }),
        new OptionSpec("mode", OptionType.Raw),
        new OptionSpec("update_cache", OptionType.Bool, Default: true, Aliases: new[] { "update-cache" }),
        new OptionSpec("update_cache_retries", OptionType.Int, Default: 5L),
        new OptionSpec("update_cache_retry_max_delay", OptionType.Int, Default: 12L),
        new OptionSpec("filename"),
        new OptionSpec("install_python_apt", OptionType.Bool, Default: true),
        new OptionSpec("validate_certs", OptionType.Bool, Default: true),
        new OptionSpec("codename"));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var (repo, state) = (a.Str("repo")!, a.Str("state")!);
        var result = new Dict { ["repo"] = repo, ["state"] = state, ["diff"] = new Dict() };
        if (repo.Length == 0) return Plan.Fail("Please set argument 'repo' to a non-empty value");
        var pathsFact = new AptSourcePathsFact();
        ExecutableFact aptKey = new("apt-key"), gpg = new("gpg");
        await ctx.Facts.GetAsync(ct, pathsFact, aptKey, gpg);
        if (await ctx.Facts.GetAsync(pathsFact, ct) is not { } paths) return Plan.Fail("Module apt_repository is not supported on target.");
        if ((await ctx.Facts.GetAsync(aptKey, ct)).Path is null && (await ctx.Facts.GetAsync(gpg, ct)).Path is null)
            return Plan.Fail("Either apt-key or gpg binary is required, but neither could be found");

        var listFact = new FileContentFact(paths.SourceList);
        var partsFact = new FolderFilesFact(paths.SourceParts, ".list", hidden: false);
        await ctx.Facts.GetAsync(ct, listFact, partsFact);
        var list = await ctx.Facts.GetAsync(listFact, ct);
        var parts = await ctx.Facts.GetAsync(partsFact, ct);
        var read = new List<(string Path, string Text)>();
        if (list is not null) read.Add((paths.SourceList, Encoding.UTF8.GetString(list)));
        foreach (var (path, text) in parts ?? Array.Empty<(string, string?)>())
        {
            if (text is null) return Crash($"PermissionError: [Errno 13] Permission denied: '{path}'");
            read.Add((path, text));
        }
        var sources = new AptSources(paths.SourceParts, read);
        var before = sources.Dump();

        string? source;
        if (repo.StartsWith("ppa:", StringComparison.Ordinal))
        {
            var codename = a.Str("codename") is { Length: > 0 } c ? c : await CodenameAsync(ctx, ct);
            var (line, owner, name) = ExpandPpa(repo, codename);
            source = line;
            if (state == "present")
            {
                if (sources.EnabledSources().Contains(line)) return Plan.Ok(result);
                return Plan.Fail($"failed to fetch PPA information, error was: Runner does not reach Launchpad's API " +
                    $"(https://launchpad.net/api/1.0/~{owner}/+archive/{name}) for the PPA's signing key: add the key and a deb line instead", result);
            }
            sources.Remove(source);
        }
        else
        {
            source = AptSources.Source(repo, out var invalid);
            if (source is null) return Plan.Fail(invalid!, result);
            if (state == "present")
            {
                if (AptSources.SuggestFilename(source, a.Str("filename")) is not { } file) return Crash("IndexError: list index out of range");
                sources.Add(source, file);
            }
            else sources.Remove(source);
        }

        var after = sources.Dump();
        if (before.Count == after.Count && before.All(kv => after.TryGetValue(kv.Key, out var v) && v == kv.Value)) return Plan.Ok(result);
        var diffs = before.Keys.Union(after.Keys).Select(f => new Dict
        {
            ["before"] = before.GetValueOrDefault(f, ""), ["after"] = after.GetValueOrDefault(f, ""),
            ["before_header"] = before.ContainsKey(f) ? f : "/dev/null", ["after_header"] = after.ContainsKey(f) ? f : "/dev/null",
        }).ToList();

        var raw = read.ToDictionary(r => r.Path, r => r.Text, StringComparer.Ordinal);
        var plan = new Plan { Result = result, Diff = diffs[0], DiffAsList = true };
        if (parts is null) plan.Add(new RunStep(Argv.Of("mkdir", "-p", "--", paths.SourceParts)));
        var writes = Save(sources.Paths, after, raw);
        plan.Steps.AddRange(writes);
        if (a.Get("mode") is { } mode)
            foreach (var file in sources.NewRepos.Where(after.ContainsKey))
            {
                var wanted = ModeParser.Resolve(mode, 0x1A4, false, out var modeError);
                if (wanted is null) return Plan.Fail(modeError!, result);
                plan.Add(new RunStep(Argv.Of("chmod", Convert.ToString(wanted.Value, 8), "--", file)));
            }
        var rest = diffs.Skip(1).ToList();
        if (!a.Bool("update_cache")) return WithDiffs(plan, rest, null);

        // revert_sources_list after a failed update: the new files removed, the others written back as Ansible read them (normalized)
        Plan Revert(string error)
        {
            var revert = new Plan();
            foreach (var step in Save(raw.Keys.Union(after.Keys), before, after)) revert.Add(step with { CountsAsChange = false });
            revert.Then = (_, _) => Task.FromResult(Plan.Fail($"Failed to update apt cache: {(error.Length > 0 ? error : "unknown reason")}", result, false));
            return revert;
        }
        var retries = a.Long("update_cache_retries", 5);
        // Ansible's retry loop never runs: the files written go back at once (not in check mode, where nothing is written)
        if (retries <= 0) return WithDiffs(plan, rest, outcomes => outcomes.Any(o => o.Ran) ? Revert("") : null);
        var update = new RunStep(AptModule.AptGet(a, false, "update"))
        {
            AnyExitCode = true,
            Retry = new StepRetry(r => UpdateError(r) is not null, (int)Math.Min(retries - 1, 100), TimeSpan.FromSeconds(1))
                { MaxDelay = TimeSpan.FromSeconds(Math.Max(0, a.Long("update_cache_retry_max_delay", 12))) },
        };
        plan.Add(update);
        return WithDiffs(plan, rest, outcomes =>
            outcomes.First(o => ReferenceEquals(o.Step, update)).Result is { } r && UpdateError(r) is { } error ? Revert(error) : null);
    }

    /// <summary>
    /// SourcesList.save for <paramref name="paths"/>: each file with lines written when its text is not already
    /// <paramref name="texts"/>' (compared with <paramref name="current"/>, what is on the target), each file without
    /// lines removed.
    /// </summary>
    private static List<Step> Save(IEnumerable<string> paths, Dictionary<string, string> texts, Dictionary<string, string> current)
    {
        var steps = new List<Step>();
        foreach (var path in paths)
        {
            if (texts.TryGetValue(path, out var text))
            {
                if (current.GetValueOrDefault(path) != text) steps.Add(new PutFileStep(path, Encoding.UTF8.GetBytes(text)) { Creates = new Planned.File(path) });
            }
            else if (current.ContainsKey(path)) steps.Add(new RunStep(Argv.Of("rm", "-f", "--", path)));
        }
        return steps;
    }

    /// <summary>
    /// <paramref name="plan"/> followed by plans carrying the other per-file diffs; <paramref name="failed"/>, given the
    /// plan's step outcomes, may return the plan that takes over instead (the revert after a failed update).
    /// </summary>
    private static Plan WithDiffs(Plan plan, List<Dict> diffs, Func<IReadOnlyList<StepOutcome>, Plan?>? failed)
    {
        Plan Rest(int i) => i >= diffs.Count ? new Plan() : new Plan
        {
            Diff = diffs[i], DiffAsList = true, Then = (_, _) => Task.FromResult(Rest(i + 1)),
        };
        plan.Then = (outcomes, _) => Task.FromResult(failed?.Invoke(outcomes) ?? Rest(0));
        return plan;
    }

    /// <summary>
    /// What python-apt's cache.update() would raise for this `apt-get update` (any list not fetched): its E:/W: lines as
    /// python-apt joins them ("E:Failed to fetch ..., E:Some index files failed to download. ..."); null when it succeeded.
    /// </summary>
    internal static string? UpdateError(CommandResult r)
    {
        var lines = (r.Stdout + "\n" + r.Stderr).Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("W: ", StringComparison.Ordinal)).ToList();
        var failed = r.ExitCode != 0 || lines.Any(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("W: Failed to fetch", StringComparison.Ordinal));
        return failed ? string.Join(", ", lines.Select(l => l[..2] + l[3..])) : null;
    }

    /// <summary>UbuntuSourcesList._expand_ppa: "ppa:OWNER[/NAME]" as its deb line for <paramref name="codename"/>, with owner and name (default "ppa").</summary>
    internal static (string Line, string Owner, string Name) ExpandPpa(string repo, string codename)
    {
        var ppa = repo.Split(':')[1];
        var bits = ppa.Split('/');
        var name = bits.Length > 1 ? bits[1] : "ppa";
        return ($"deb http://ppa.launchpad.net/{bits[0]}/{name}/ubuntu {codename} main", bits[0], name);
    }

    /// <summary>The target's release codename (aptsources' distro.codename): VERSION_CODENAME of /etc/os-release.</summary>
    private static async Task<string> CodenameAsync(PlanContext ctx, CancellationToken ct) =>
        await ctx.Facts.GetAsync(new Engine.Modules.Facts.ScriptFact<string>("os-codename",
            "(. /etc/os-release && printf '%s' \"$VERSION_CODENAME\") 2>/dev/null", o => o.Stdout.Trim()), ct);

    /// <summary>What Ansible reports when its module dies of an exception: MODULE FAILURE, the error in module_stderr.</summary>
    private static Plan Crash(string error) => Plan.Fail("MODULE FAILURE\nSee stdout/stderr for the exact error",
        new Dict { ["module_stdout"] = "", ["module_stderr"] = $"Traceback (most recent call last):\n{error}\n", ["rc"] = 1L });
}

using System.Globalization;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.git (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/git_module.html) with the
/// target's git. No repository at dest: `git clone` (--bare or --origin REMOTE, --depth with --branch for a branch or
/// tag, --reference, --single-branch, then `git remote add` for a bare clone's other remote and `git fetch REMOTE
/// REFSPEC`) and the checkout of version; clone=no reports what a clone would check out. A repository with
/// update=no is reported as it is. Else an update: local modifications fail (force=no) or are reset (`git reset --hard
/// HEAD`), the remote's url is set to repo (`git remote set-url`), `git fetch` (--tags, or the minimal refspecs with
/// depth) and the checkout of version (HEAD: the current branch reset to REMOTE/BRANCH; a branch: checked out, tracking
/// or reset to REMOTE/BRANCH; a tag or sha: `checkout --force`); submodules (recursive) are initialised and updated
/// when .gitmodules lists a missing one or `git submodule status` shows one off its commit.
/// Result as Ansible's: before (null for a clone), after, remote_url_changed (updates), msg after a reset,
/// submodules_changed; changed when HEAD moved, modifications were reset, the url or submodules changed; diff
/// {prepared}: "&gt;&gt; Newly checked out SHA" or `git diff BEFORE AFTER`. When nothing ran (check mode) the result is
/// Ansible's prediction from `git ls-remote` (after: the remote's sha for version; changed: it differs from before or
/// the url changes). Repository paths of repo become file:// URLs; GIT_SSH_COMMAND carries the ssh options
/// (<see cref="GitShell"/>). Not supported (refused): archive, separate_git_dir, verify_commit, track_submodules.
/// </summary>
public sealed class GitModule : PlanningModule
{
    public override string Name => "git";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("dest", OptionType.Path), new("repo", Required: true, Aliases: new[] { "name" }),
        new("version", Default: "HEAD"), new("remote", Default: "origin"), new("refspec"), new("reference"),
        new("force", OptionType.Bool, Default: false), new("depth", OptionType.Int),
        new("clone", OptionType.Bool, Default: true), new("update", OptionType.Bool, Default: true),
        new("verify_commit", OptionType.Bool, Default: false), new("gpg_whitelist", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new("accept_hostkey", OptionType.Bool, Default: false), new("accept_newhostkey", OptionType.Bool, Default: false),
        new("key_file", OptionType.Path), new("ssh_opts"), new("executable", OptionType.Path),
        new("bare", OptionType.Bool, Default: false), new("recursive", OptionType.Bool, Default: true),
        new("single_branch", OptionType.Bool, Default: false), new("track_submodules", OptionType.Bool, Default: false),
        new("umask", OptionType.Raw), new("archive", OptionType.Path), new("archive_prefix"),
        new("separate_git_dir", OptionType.Path),
    })
    {
        MutuallyExclusive = new[] { new[] { "separate_git_dir", "bare" }, new[] { "accept_hostkey", "accept_newhostkey" } },
        RequiredBy = new Dictionary<string, string[]> { ["archive_prefix"] = new[] { "archive" } },
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        foreach (var option in new[] { "archive", "separate_git_dir" })
            if (a.Has(option)) return Plan.Fail($"{option} is not supported by Runner's git module");
        foreach (var option in new[] { "verify_commit", "track_submodules" })
            if (a.Bool(option)) return Plan.Fail($"{option} is not supported by Runner's git module");

        string? git = a.Str("executable");
        var exe = new ExecutableFact("git");
        if (git is null)
        {
            var found = await ctx.Facts.GetAsync(exe, ct);
            if (found.Path is null) return Plan.Fail(found.Missing("git"));
            git = found.Path;
        }

        var sshOpts = a.Str("ssh_opts");
        foreach (var (option, value) in new[] { ("accept_hostkey", "no"), ("accept_newhostkey", "accept-new") })
        {
            if (!a.Bool(option)) continue;
            if (sshOpts is null) sshOpts = "-o StrictHostKeyChecking=" + value;
            else if (!sshOpts.Contains("-o StrictHostKeyChecking=no") && !sshOpts.Contains("-o StrictHostKeyChecking=accept-new"))
                sshOpts += " -o StrictHostKeyChecking=" + value;
        }
        string? umask = null;
        if (a.Get("umask") is { } rawUmask)
        {
            if (rawUmask is not string text) return Plan.Fail("umask must be defined as a quoted octal integer");
            try { umask = Convert.ToString(Convert.ToInt32(text.Trim(), 8), 8).PadLeft(4, '0'); }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                return Plan.Fail("umask must be an octal integer", new Dict { ["details"] = $"invalid literal for int() with base 8: {PyStr.Repr(text)}" });
            }
        }
        var shell = new GitShell(GitShell.Options(sshOpts, ctx.Environment?.GetValueOrDefault("GIT_SSH_OPTS"), a.Bool("accept_hostkey"), a.Str("key_file")), umask);

        var repo = a.Str("repo")!;
        if (repo.StartsWith('/')) repo = "file://" + repo;
        var dest = a.Str("dest");
        var allowClone = a.Bool("clone");
        if (dest is null && allowClone) return Plan.Fail("the destination directory must be specified unless clone=no");
        if (dest is not null) dest = PyPath.NormPath(dest);
        var job = new GitJob(ctx, shell, git, repo, dest, a);

        var state = dest is null ? null : await ctx.Facts.GetAsync(new GitRepoFact(dest, job.Bare, job.Remote), ct);
        if (state?.Invalid is { } invalid)
            return Plan.Fail("Current repo does not have a valid reference to a separate Git dir or it refers to the invalid path",
                new Dict { ["details"] = invalid, ["before"] = null });
        if (state is null || !state.Exists) return await job.CloneAsync(ct);
        if (!a.Bool("update")) return Plan.Ok(new Dict { ["before"] = state.Head, ["after"] = state.Head });
        return await job.UpdateAsync(state, ct);
    }
}

/// <summary>One git task's decisions (Ansible's git.py main, clone, fetch, switch_version) over the facts read.</summary>
internal sealed class GitJob
{
    private readonly PlanContext _ctx;
    private readonly GitShell _shell;
    private readonly string _git;
    private readonly string _repo;
    private readonly string? _dest;
    private readonly string _version;
    private readonly long? _depth;
    private readonly string? _refspec;
    private readonly bool _force;
    private readonly Dict _args;

    public GitJob(PlanContext ctx, GitShell shell, string git, string repo, string? dest, Dict args)
    {
        (_ctx, _shell, _git, _repo, _dest, _args) = (ctx, shell, git, repo, dest, args);
        _version = args.Str("version")!;
        _depth = args.Has("depth") ? args.Long("depth") : null;
        if (_depth == 0) _depth = null;
        _refspec = args.Str("refspec");
        _force = args.Bool("force");
        Bare = args.Bool("bare");
        Remote = args.Str("remote")!;
    }

    /// <summary>The bare option.</summary>
    public bool Bare { get; }

    /// <summary>The remote's name.</summary>
    public string Remote { get; }

    private Argv Git(params string[] words) => Argv.Of(_git).Add(words);

    private RunStep Step(Argv git, string? cwd, Func<Engine.Connections.CommandResult, Plan> onFailure) =>
        new(_shell.Run(git, cwd)) { CountsAsChange = false, OnFailure = onFailure };

    /// <summary>A failure as AnsibleModule.run_command(check_rc=True) reports it: the stderr, cmd, rc, stdout, stderr.</summary>
    private static Plan CheckRc(Engine.Connections.CommandResult r, Argv cmd) =>
        Plan.CommandFailed(r, r.Stderr.TrimEnd(), new Dict { ["cmd"] = cmd.ToString() });

    private async Task<GitLsRemoteFact.Refs> RefsAsync(string remote, string? cwd, CancellationToken ct) =>
        await _ctx.Facts.GetAsync(new GitLsRemoteFact(_shell, remote, cwd), ct);

    /// <summary>The failure of an ls-remote that Ansible runs with check_rc, or null when it worked.</summary>
    private Plan? Failed(GitLsRemoteFact.Refs refs, string remote, params string[] patterns) => refs.Rc == 0 ? null
        : Plan.CommandFailed(new(refs.Rc, refs.Stdout, refs.Stderr), refs.Stderr.TrimEnd(), new Dict { ["cmd"] = Git("ls-remote", remote).Add(patterns).ToString() });

    /// <summary>Ansible's get_remote_head: the sha the remote has for version, or the failure.</summary>
    private (string? Sha, Plan? Failure) RemoteHead(GitLsRemoteFact.Refs refs, string remote, bool cloning, string? headBranch)
    {
        string[] patterns;
        var tag = false;
        if (_version == "HEAD") patterns = cloning ? new[] { "-h", "HEAD" } : new[] { "-h", "refs/heads/" + (headBranch ?? "None") };
        else if (refs.Rc == 0 && refs.IsBranch(_version)) patterns = new[] { "-h", "refs/heads/" + _version };
        else if (refs.Rc == 0 && refs.IsTag(_version)) { patterns = new[] { "-t", "refs/tags/" + _version + "*" }; tag = true; }
        else if (refs.Rc != 0) return (null, Failed(refs, remote, "-h", "refs/heads/" + _version));
        else return (_version, null);
        if (Failed(refs, remote, patterns) is { } failed) return (null, failed);
        var output = refs.Query(patterns);
        if (output.Length == 0)
            return (null, Plan.Fail($"Could not determine remote revision for {_version}", new Dict { ["stdout"] = "", ["stderr"] = refs.Stderr, ["rc"] = (long)refs.Rc }));
        if (tag)
            foreach (var line in output.Split('\n'))
            {
                if (line.EndsWith(_version + "^{}", StringComparison.Ordinal)) { output = line; break; }
                if (line.EndsWith(_version, StringComparison.Ordinal)) output = line;
            }
        return (output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], null);
    }

    private static Dict Prepared(string text) => new() { ["prepared"] = text };

    /// <summary>No repository at dest: clone (then check out version), or with clone=no report the remote's sha.</summary>
    public async Task<Plan> CloneAsync(CancellationToken ct)
    {
        var refs = await RefsAsync(_repo, null, ct);
        var (head, headFailure) = RemoteHead(refs, _repo, cloning: true, headBranch: null);
        Plan Predicted() => headFailure ?? new Plan
        {
            Changed = true, Result = new Dict { ["before"] = null, ["after"] = head }, Diff = Prepared(">> Newly checked out " + head),
        };
        if (!_args.Bool("clone")) return Predicted();

        if (Failed(refs, _repo, "-h", "refs/heads/" + _version) is { } lsFailed) return lsFailed;
        var dest = _dest!;
        var dir = PyPath.DirName(dest);
        var branchOrTag = refs.IsBranch(_version) || refs.IsTag(_version);
        var clone = Git("clone").Add(Bare ? new[] { "--bare" } : new[] { "--origin", Remote });
        var plan = new Plan();
        if (_depth is { } depth)
        {
            if (_version == "HEAD" || _refspec is not null) clone = clone.Add("--depth", depth.ToString(CultureInfo.InvariantCulture));
            else if (branchOrTag) clone = clone.Add("--depth", depth.ToString(CultureInfo.InvariantCulture), "--branch", _version);
            else plan.Warnings.Add("Ignoring depth argument. Shallow clones are only available for HEAD, branches, tags or in combination with refspec.");
        }
        if (_args.Str("reference") is { } reference) clone = clone.Add("--reference", reference);
        if (_args.Bool("single_branch"))
        {
            clone = clone.Add("--single-branch");
            if (branchOrTag) clone = clone.Add("--branch", _version);
        }
        clone = clone.Add(_repo, dest);
        // Ansible makes dest's parent first (errors ignored) and runs the clone there
        plan.Add(new RunStep((dir.Length > 0 ? $"mkdir -p -- {Engine.Connections.ShellQuote.Quote(dir)} 2>/dev/null; " : "") +
                             _shell.Run(clone, dir.Length > 0 ? dir : null))
            { CountsAsChange = false, OnFailure = r => CheckRc(r, clone), Creates = new Planned.File(dest) });
        if (Bare && Remote != "origin")
        {
            var add = Git("remote", "add", Remote, _repo);
            plan.Add(Step(add, dest, r => CheckRc(r, add)));
        }
        if (_refspec is not null)
        {
            var fetch = Git("fetch").Add(_depth is { } d ? new[] { "--depth", d.ToString(CultureInfo.InvariantCulture) } : Array.Empty<string>()).Add(Remote, _refspec);
            plan.Add(Step(fetch, dest, r => CheckRc(r, fetch)));
        }
        plan.Then = async (outcomes, token) => outcomes.All(o => o.Ran) ? await SwitchAsync(null, false, false, token) : Predicted();
        return plan;
    }

    /// <summary>A repository with update=yes: reset local modifications (force), set the url, fetch, then check out version.</summary>
    public async Task<Plan> UpdateAsync(GitRepoFact.Repo state, CancellationToken ct)
    {
        var dest = _dest!;
        var before = state.Head;
        var localMods = !Bare && state.LocalMods;
        if (localMods && !_force)
            return Plan.Fail($"Local modifications exist in the destination: {dest} (force=no).", new Dict { ["before"] = before });
        var url = state.RemoteUrl;
        var urlDiffers = url != _repo && (url is null || PyPath.NormPath(url) != PyPath.NormPath(_repo));
        // check mode's remote_url_changed: `remote_url and remote_url != repo and ...` (None or "" stay as they are)
        object? predictedUrlChanged = string.IsNullOrEmpty(url) ? url : urlDiffers;

        var urlRefs = await RefsAsync(_repo, null, ct);
        var remoteRefs = url == _repo ? urlRefs : await RefsAsync(Remote, dest, ct);
        var (head, headFailure) = RemoteHead(remoteRefs, Remote, cloning: Remote == _repo, headBranch: state.HeadBranch(Remote));
        async Task<Plan> Predicted(CancellationToken token)
        {
            if (headFailure is not null) return headFailure;
            var changed = before != head || predictedUrlChanged is true;
            return new Plan
            {
                Changed = changed, Result = new Dict { ["before"] = before, ["after"] = head, ["remote_url_changed"] = predictedUrlChanged },
                Diff = await DiffAsync(before, head!, token),
            };
        }

        var plan = new Plan();
        if (localMods)
        {
            var reset = Git("reset", "--hard", "HEAD");
            plan.Add(Step(reset, dest, r => CheckRc(r, reset)));
        }
        if (urlDiffers)
        {
            var setUrl = Git("remote", "set-url", Remote, _repo);
            plan.Add(Step(setUrl, dest, r => Plan.Fail($"Failed to set a new url {_repo} for {Remote}: {r.Stdout} {r.Stderr}")));
        }
        var (fetch, fetchFailure) = Fetch(state, urlRefs);
        if (fetchFailure is not null) return fetchFailure;
        plan.Add(Step(fetch!, dest, r => Plan.Fail($"Failed to download remote objects and refs: {r.Stdout} {r.Stderr}",
            new Dict { ["cmd"] = fetch!.Words.Cast<object?>().ToList() })));
        var urlChanged = urlDiffers && url is not null;
        plan.Then = async (outcomes, token) => outcomes.All(o => o.Ran)
            ? await SwitchAsync(before, localMods, urlChanged, token)
            : await Predicted(token);
        return plan;
    }

    /// <summary>Ansible's fetch(): `git fetch` with the refspecs a shallow update needs, else everything and the tags.</summary>
    private (Argv? Fetch, Plan? Failure) Fetch(GitRepoFact.Repo state, GitLsRemoteFact.Refs urlRefs)
    {
        var fetch = Git("fetch");
        var refspecs = new List<string>();
        if (_depth is { } depth)
        {
            var currentHead = state.HeadBranch(Remote);
            if (_refspec is not null) refspecs.Add(_refspec);
            else if (_version == "HEAD") refspecs.Add(currentHead ?? "None");
            else
            {
                if (Failed(urlRefs, _repo, "-h", "refs/heads/" + _version) is { } failed) return (null, failed);
                if (urlRefs.IsBranch(_version))
                {
                    if (currentHead != _version) refspecs.Add($"+refs/heads/{_version}:refs/heads/{_version}");
                    refspecs.Add($"+refs/heads/{_version}:refs/remotes/{Remote}/{_version}");
                }
                else if (urlRefs.IsTag(_version)) refspecs.Add($"+refs/tags/{_version}:refs/tags/{_version}");
            }
            if (refspecs.Count > 0) fetch = fetch.Add("--depth", depth.ToString(CultureInfo.InvariantCulture));
        }
        if (_depth is null || refspecs.Count == 0)
        {
            if (Bare) refspecs = new List<string> { "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*" };
            else fetch = fetch.Add("--tags");
            if (_refspec is not null) refspecs.Add(_refspec);
        }
        if (_force) fetch = fetch.Add("--force");
        return (fetch.Add(Remote).Add(refspecs), null);
    }

    /// <summary>After a clone or fetch: check out version (not bare), update submodules, report before/after and the diff.</summary>
    private async Task<Plan> SwitchAsync(string? before, bool localMods, bool urlChanged, CancellationToken ct)
    {
        var dest = _dest!;
        var plan = new Plan();
        if (!Bare)
        {
            var state = await _ctx.Facts.GetAsync(new GitRepoFact(dest, Bare, Remote), ct);
            var refs = await RefsAsync(_repo, null, ct);
            if (_version == "HEAD")
            {
                var branch = state.HeadBranch(Remote) ?? "None";
                plan.Add(Step(Git("checkout", "--force", branch), dest, r => Failure($"Failed to checkout branch {branch}", r)));
                var reset = Git("reset", "--hard", $"{Remote}/{branch}", "--");
                plan.Add(Step(reset, dest, r => Failure($"Failed to checkout branch {branch}", r, reset)));
            }
            else
            {
                if (Failed(refs, Remote, "-h", "refs/heads/" + _version) is { } failed) return failed;
                if (refs.IsBranch(_version))
                {
                    var local = state.IsLocalBranch(_version);
                    if (_depth is { } depth && !local)
                    {
                        plan.Add(Step(Git("fetch", $"--depth={depth}", Remote, $"+refs/heads/{_version}:refs/heads/{_version}",
                            $"+refs/heads/{_version}:refs/remotes/{Remote}/{_version}"), dest, r => Failure($"Failed to fetch branch from remote: {_version}", r)));
                        local = true; // the fetch made the local branch
                    }
                    if (!local)
                    {
                        var track = Git("checkout", "--track", "-b", _version, $"{Remote}/{_version}");
                        plan.Add(Step(track, dest, r => Failure($"Failed to checkout {_version}", r, track)));
                    }
                    else
                    {
                        plan.Add(Step(Git("checkout", "--force", _version), dest, r => Failure($"Failed to checkout branch {_version}", r)));
                        var reset = Git("reset", "--hard", $"{Remote}/{_version}");
                        plan.Add(Step(reset, dest, r => Failure($"Failed to checkout {_version}", r, reset)));
                    }
                }
                else
                {
                    var checkout = Git("checkout", "--force", _version);
                    plan.Add(Step(checkout, dest, r => Failure($"Failed to checkout {_version}", r, checkout)));
                }
            }
        }
        plan.Then = (_, token) => SubmodulesAsync(before, localMods, urlChanged, token);
        return plan;
    }

    private static Plan Failure(string msg, Engine.Connections.CommandResult r, Argv? cmd = null)
    {
        var result = new Dict { ["stdout"] = r.Stdout, ["stderr"] = r.Stderr, ["rc"] = (long)r.ExitCode };
        if (cmd is not null) result["cmd"] = cmd.ToString();
        return Plan.Fail(msg, result);
    }

    /// <summary>Ansible's submodules_fetch and submodule_update (recursive, not bare), then the result.</summary>
    private async Task<Plan> SubmodulesAsync(string? before, bool localMods, bool urlChanged, CancellationToken ct)
    {
        var dest = _dest!;
        var updated = false;
        var plan = new Plan();
        if (_args.Bool("recursive") && !Bare && (await _ctx.Facts.GetAsync(new GitRepoFact(dest, Bare, Remote), ct)).Gitmodules)
        {
            var subs = await _ctx.Facts.GetAsync(new GitSubmodulesFact(dest), ct);
            if (subs.Failure is { } f) return Plan.Fail(f);
            updated = subs.Missing || subs.Status.Any(l => l.Length > 0 && l[0] != ' ');
            if (updated)
            {
                var sync = Git("submodule", "sync");
                plan.Add(Step(sync, dest, r => CheckRc(r, sync)));
                plan.Add(Step(Git("submodule", "update", "--init", "--recursive").AddIf(_force, "--force"), dest,
                    r => Plan.Fail($"Failed to init/update submodules: {r.Stdout}{r.Stderr}")));
            }
        }
        plan.Then = async (_, token) =>
        {
            // the diff against HEAD comes in the same round trip as the new HEAD (used only when it moved)
            var repoFact = new GitRepoFact(dest, Bare, Remote);
            var diffFact = before is null ? null : new GitDiffFact(dest, before, "HEAD");
            await _ctx.Facts.GetAsync(token, diffFact is null ? new Fact[] { repoFact } : new Fact[] { repoFact, diffFact });
            var after = (await _ctx.Facts.GetAsync(repoFact, token)).Head;
            var result = new Dict { ["before"] = before, ["after"] = after };
            if (before is not null) result["remote_url_changed"] = urlChanged;
            if (localMods) result["msg"] = "Local modifications exist in the destination: " + dest;
            if (updated) result["submodules_changed"] = true;
            var changed = before != after || localMods || updated || urlChanged;
            return new Plan { Result = result, Changed = changed, Diff = changed ? await DiffAsync(before, after, token, "HEAD") : null };
        };
        return plan;
    }

    /// <summary>Ansible's get_diff: "&gt;&gt; Newly checked out AFTER", or `git diff BEFORE AFTER` in dest; null when equal.</summary>
    private async Task<Dict?> DiffAsync(string? before, string after, CancellationToken ct, string? afterRef = null)
    {
        if (before is null) return Prepared(">> Newly checked out " + after);
        if (before == after) return null;
        var r = await _ctx.Facts.GetAsync(new GitDiffFact(_dest!, before, afterRef ?? after), ct);
        if (r.ExitCode == 0) return Prepared(r.Stdout.Length > 0 ? r.Stdout : $">> No visual differences between {before} and {after}");
        return Prepared(r.Stderr.Length > 0 ? $">> Failed to get proper diff between {before} and {after}:\n>> {r.Stderr}"
            : $">> Failed to get proper diff between {before} and {after}");
    }
}

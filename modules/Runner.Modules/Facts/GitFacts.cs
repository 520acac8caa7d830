using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Common;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// A remote's refs from one `git ls-remote REMOTE` (run in <c>cwd</c> when given, as a remote name needs its
/// repository). <see cref="Query"/> answers the pattern queries Ansible's git module makes (`git ls-remote REMOTE -h
/// refs/heads/V`: git takes every word after the remote as a pattern, "-h" included) from that one listing.
/// </summary>
internal sealed class GitLsRemoteFact : Fact<GitLsRemoteFact.Refs>
{
    /// <summary>The listing: ls-remote's exit code, output and error, and its (sha, ref) lines in order.</summary>
    public sealed record Refs(int Rc, string Stdout, string Stderr, IReadOnlyList<(string Sha, string Name)> Lines)
    {
        /// <summary>
        /// What `git ls-remote REMOTE PATTERN...` prints: the lines whose "/REF" wildmatches "*/PATTERN" for some
        /// pattern (git's tail match), as "SHA\tREF\n".
        /// </summary>
        public string Query(params string[] patterns) => string.Concat(Lines
            .Where(l => patterns.Any(p => FnMatch.IsMatch("/" + l.Name, "*/" + p)))
            .Select(l => $"{l.Sha}\t{l.Name}\n"));

        /// <summary>Ansible's is_remote_branch: VERSION occurs in the output of `ls-remote REMOTE -h refs/heads/VERSION`.</summary>
        public bool IsBranch(string version) => Query("-h", "refs/heads/" + version).Contains(version, StringComparison.Ordinal);

        /// <summary>Ansible's is_remote_tag: VERSION occurs in the output of `ls-remote REMOTE -t refs/tags/VERSION`.</summary>
        public bool IsTag(string version) => Query("-t", "refs/tags/" + version).Contains(version, StringComparison.Ordinal);
    }

    private readonly GitShell _shell;
    private readonly string _remote;
    private readonly string? _cwd;

    /// <summary>The refs of <paramref name="remote"/> (a URL, or a remote's name in the repository at <paramref name="cwd"/>).</summary>
    public GitLsRemoteFact(GitShell shell, string remote, string? cwd) => (_shell, _remote, _cwd) = (shell, remote, cwd);

    /// <inheritdoc/>
    public override string Key => $"git-ls-remote:{_remote}" + (_cwd is null ? "" : " in " + _cwd) + " ssh:" + _shell.SshOpts.Trim();

    /// <inheritdoc/>
    public override string Script => _shell.Run(Engine.Modules.Argv.Of("git", "ls-remote", "--", _remote), _cwd);

    /// <inheritdoc/>
    public override Refs Parse(CommandResult output) => new(output.ExitCode, output.Stdout, output.Stderr,
        output.ExitCode != 0 ? Array.Empty<(string, string)>() : output.Stdout.Split('\n')
            .Select(l => l.Split('\t', 2)).Where(p => p.Length == 2).Select(p => (p[0], p[1].TrimEnd('\r'))).ToList());
}

/// <summary>
/// A git working copy (or bare repository) at a destination as Ansible's git module reads it: whether its repository
/// holds a config file (the repository folder found as get_repo_path does: DEST/.git, a "gitdir:" file's target, or
/// DEST itself when bare), `git rev-parse HEAD`, `git status --porcelain`, `git ls-remote --get-url REMOTE`, the first
/// lines of HEAD and refs/remotes/REMOTE/HEAD, `git branch --no-color -a`, and whether .gitmodules exists.
/// </summary>
internal sealed class GitRepoFact : Fact<GitRepoFact.Repo>
{
    /// <summary>
    /// The destination's state. <see cref="Invalid"/>: a .git file that names no repository (Ansible's details);
    /// <see cref="Exists"/>: the repository's config file is there (else the other fields are empty).
    /// </summary>
    public sealed record Repo(string? Invalid, bool Exists, string Head, IReadOnlyList<string> Status, string? RemoteUrl,
        string? HeadFile, string? RemoteHeadFile, IReadOnlyList<string> Branches, bool Gitmodules)
    {
        /// <summary>Ansible's has_local_mods: a porcelain line other than an untracked file's.</summary>
        public bool LocalMods => Status.Any(l => !l.StartsWith("??", StringComparison.Ordinal));

        /// <summary>Ansible's is_not_a_branch: the current branch line says HEAD is detached.</summary>
        public bool Detached => Branches.Any(b => b.StartsWith("* ", StringComparison.Ordinal) &&
            (b.Contains("no branch") || b.Contains("detached from") || b.Contains("detached at")));

        /// <summary>Ansible's is_local_branch.</summary>
        public bool IsLocalBranch(string branch) => Branches.Contains(branch) || Branches.Contains("* " + branch);

        /// <summary>
        /// Ansible's get_head_branch: the branch HEAD names, or when detached the one refs/remotes/REMOTE/HEAD names,
        /// split as head_splitter does; null when that file is missing.
        /// </summary>
        public string? HeadBranch(string remote)
        {
            var line = Detached ? RemoteHeadFile : HeadFile;
            if (string.IsNullOrEmpty(line)) return null;
            var at = line.IndexOf("refs/remotes/" + remote, StringComparison.Ordinal);
            if (at >= 0) line = line[..at] + line[(at + ("refs/remotes/" + remote).Length)..];
            var last = line.Split(' ')[^1];
            return last.Split('/', 3)[^1].TrimEnd('\n');
        }
    }

    private readonly string _dest;
    private readonly bool _bare;
    private readonly string _remote;

    /// <summary>The repository at <paramref name="dest"/> (bare: the folder is the repository) and its remote <paramref name="remote"/>.</summary>
    public GitRepoFact(string dest, bool bare, string remote) => (_dest, _bare, _remote) = (dest, bare, remote);

    /// <inheritdoc/>
    public override string Key => $"git-repo:{(_bare ? "bare:" : "")}{_remote}:{_dest}";

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var d = ShellQuote.Quote(_dest);
            var rem = ShellQuote.Quote(_remote);
            var sep = TargetScript.Sep;
            return $"d={d}; r={(_bare ? "$d" : "$d/.git")}; " +
                   "if [ -f \"$r\" ]; then g=$(cat \"$r\"); case \"$g\" in " +
                   "'gitdir: '*) g=${g#gitdir: }; case \"$g\" in /*) r=$g;; *) r=$d/$g;; esac; [ -d \"$r\" ] || { echo invalid; echo \"$r is not a directory\"; exit 0; };; " +
                   "*) echo invalid; echo '.git file has invalid git dir reference format'; exit 0;; esac; fi; " +
                   "[ -e \"$r/config\" ] || { echo none; exit 0; }; echo repo; cd \"$d\" || exit 0; export LANG=C LC_ALL=C; " +
                   $"{sep}; git rev-parse HEAD 2>/dev/null; {sep}; " +
                   (_bare ? "" : "git status --porcelain 2>/dev/null; ") +
                   $"{sep}; git ls-remote --get-url {rem} 2>/dev/null && echo ok; {sep}; " +
                   $"head -n1 \"$r/HEAD\" 2>/dev/null; {sep}; head -n1 \"$r/refs/remotes/\"{rem}/HEAD 2>/dev/null; {sep}; " +
                   $"git branch --no-color -a 2>/dev/null; {sep}; [ -f .gitmodules ] && echo yes; :";
        }
    }

    /// <inheritdoc/>
    public override Repo Parse(CommandResult output)
    {
        var s = TargetScript.Sections(output.Stdout);
        string Sec(int i) => i < s.Length ? s[i] : "";
        List<string> Lines(int i) => Sec(i).Split('\n').Where(l => l.Length > 0).ToList();
        var first = Sec(0).Split('\n');
        if (first[0] == "invalid") return Empty(first.Length > 1 ? first[1] : "") with { Exists = false };
        if (first[0] != "repo") return Empty(null);
        var url = Lines(3);
        return new Repo(null, true, Sec(1).Trim('\n'), Lines(2), url.Count > 0 && url[^1] == "ok" ? (url.Count > 1 ? url[0] : "") : null,
            Sec(4).Length > 0 ? Sec(4) : null, Sec(5).Length > 0 ? Sec(5) : null,
            Lines(6).Select(l => l.Trim()).Where(l => l.Length > 0).ToList(), Sec(7).Trim() == "yes");
    }

    private static Repo Empty(string? invalid) =>
        new(invalid, false, "", Array.Empty<string>(), null, null, null, Array.Empty<string>(), false);
}

/// <summary>`git diff BEFORE AFTER` in a working copy (no pager, no colour), as Ansible's get_diff runs it: exit code, diff, error.</summary>
internal sealed class GitDiffFact : Fact<CommandResult>
{
    private readonly string _dest;
    private readonly string _before;
    private readonly string _after;

    /// <summary>The diff between two commits of the repository at <paramref name="dest"/>.</summary>
    public GitDiffFact(string dest, string before, string after) => (_dest, _before, _after) = (dest, before, after);

    /// <inheritdoc/>
    public override string Key => $"git-diff:{_dest}:{_before}:{_after}";

    /// <inheritdoc/>
    public override string Script => $"cd -- {ShellQuote.Quote(_dest)} && LANG=C LC_ALL=C " +
        Engine.Modules.Argv.Of("git", "--no-pager", "-c", "color.ui=false", "diff", _before, _after);

    /// <inheritdoc/>
    public override CommandResult Parse(CommandResult output) => output;
}

/// <summary>
/// A working copy's submodules as Ansible's submodules_fetch judges them: whether a path .gitmodules lists has no
/// .git yet, and the lines of `git submodule status` (a first character other than a space: not at its commit).
/// </summary>
internal sealed class GitSubmodulesFact : Fact<GitSubmodulesFact.Submodules>
{
    /// <summary>A missing submodule, the status lines, or the failure of `git submodule status`.</summary>
    public sealed record Submodules(bool Missing, IReadOnlyList<string> Status, string? Failure);

    private readonly string _dest;

    /// <summary>The submodules of the working copy at <paramref name="dest"/>.</summary>
    public GitSubmodulesFact(string dest) => _dest = dest;

    /// <inheritdoc/>
    public override string Key => "git-submodules:" + _dest;

    /// <inheritdoc/>
    public override string Script => $"cd -- {ShellQuote.Quote(_dest)} || exit 0; " +
        "sed -n 's/^[[:space:]]*path[^=]*=[[:space:]]*//p' .gitmodules | while IFS= read -r p; do p=${p%\"${p##*[![:space:]]}\"}; [ -e \"$p/.git\" ] || echo missing; done; " +
        $"{TargetScript.Sep}; LANG=C LC_ALL=C git submodule status 2>&1 || echo \"failed $?\"";

    /// <inheritdoc/>
    public override Submodules Parse(CommandResult output)
    {
        var s = TargetScript.Sections(output.Stdout);
        var status = (s.Length > 1 ? s[1] : "").Split('\n').Where(l => l.Length > 0).ToList();
        var failed = status.Count > 0 && status[^1].StartsWith("failed ", StringComparison.Ordinal);
        return new Submodules(s[0].Contains("missing"), failed ? Array.Empty<string>() : status,
            failed ? "Failed to retrieve submodule status: " + string.Join("\n", status.SkipLast(1)) : null);
    }
}

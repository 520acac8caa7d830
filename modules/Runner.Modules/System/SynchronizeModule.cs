using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.posix.synchronize (https://docs.ansible.com/ansible/latest/collections/ansible/posix/synchronize_module.html),
/// as ansible.posix 1.5.4's action plugin and module do it: the controller's rsync pushes to (mode=push) or pulls
/// from (mode=pull) the target's rsync over ssh, its command line built in the module's order (--delay-updates -F,
/// --compress, --timeout, --dry-run, --delete-after, --existing, --checksum, --copy-links, --archive with --no-X for
/// parts turned off or the parts turned on without it, --dirs, --rsh, --rsync-path, rsync_opts, --partial, link_dest's
/// -H -vv --link-dest, --out-format='&lt;&lt;CHANGED&gt;&gt;%i %n%L', src, dest) and split as run_command splits it. The
/// remote side is USER@HOST:PATH with the connection's user (unless set_remote_user=false) and host; a relative local
/// path is found in the role's or playbook's files/. changed: rsync's itemized output has a "&lt;&lt;CHANGED&gt;&gt;"
/// line (with link_dest: one not starting with "."). Result: changed, cmd, msg (the output without the markers), rc,
/// stdout_lines; diff {prepared: that output}. A failing rsync fails with its stderr, rc and cmd.
/// <para>The engine's check mode: the real rsync is a step; in check mode the continuation runs the same command with
/// --dry-run instead (it changes nothing) and reports what it would transfer, as Ansible's module does.</para>
/// <para>Unlike Ansible, which turns host key checking off for rsync's ssh (StrictHostKeyChecking=no,
/// UserKnownHostsFile=/dev/null) unless verify_host, Runner's --rsh always checks the host key as the task's own
/// connection does: its known_hosts files and StrictHostKeyChecking=yes (accept-new when the connection accepts new
/// keys or does not check them), with the connection's identity (private_key else its key files) and port (dest_port
/// else the connection's). Refused with a message: delegate_to (rsync runs on the controller only), a connection with
/// a password (Ansible's sshpass), transports other than ssh and local. become adds --rsync-path='sudo -u USER rsync'
/// for sudo as Ansible's action does; use_ssh_args appends the host's ansible_ssh_common_args and
/// ansible_ssh_extra_args.</para>
/// </summary>
public sealed class SynchronizeModule : PlanningModule
{
    private const string Marker = "<<CHANGED>>";

    public override string Name => "synchronize";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("src", Required: true),
        new OptionSpec("dest", Required: true),
        new OptionSpec("dest_port", OptionType.Int),
        new OptionSpec("mode", Default: "push", Choices: new[] { "pull", "push" }),
        new OptionSpec("archive", OptionType.Bool, Default: true),
        new OptionSpec("checksum", OptionType.Bool, Default: false),
        new OptionSpec("compress", OptionType.Bool, Default: true),
        new OptionSpec("existing_only", OptionType.Bool, Default: false),
        new OptionSpec("delete", OptionType.Bool, Default: false),
        new OptionSpec("dirs", OptionType.Bool, Default: false),
        new OptionSpec("recursive", OptionType.Bool),
        new OptionSpec("links", OptionType.Bool),
        new OptionSpec("copy_links", OptionType.Bool, Default: false),
        new OptionSpec("perms", OptionType.Bool),
        new OptionSpec("times", OptionType.Bool),
        new OptionSpec("owner", OptionType.Bool),
        new OptionSpec("group", OptionType.Bool),
        new OptionSpec("rsync_path"),
        new OptionSpec("rsync_timeout", OptionType.Int, Default: 0L),
        new OptionSpec("set_remote_user", OptionType.Bool, Default: true),
        new OptionSpec("use_ssh_args", OptionType.Bool, Default: false),
        new OptionSpec("ssh_connection_multiplexing", OptionType.Bool, Default: false),
        new OptionSpec("rsync_opts", OptionType.List, Elements: OptionType.Str),
        new OptionSpec("partial", OptionType.Bool, Default: false),
        new OptionSpec("verify_host", OptionType.Bool, Default: false),
        new OptionSpec("private_key", OptionType.Path),
        new OptionSpec("link_dest", OptionType.List, Elements: OptionType.Str),
        new OptionSpec("delay_updates", OptionType.Bool, Default: true));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        if (ctx.ConnectionHost != ctx.Host)
            return Plan.Fail($"synchronize with delegate_to ({ctx.ConnectionHost}) is not supported by Runner: rsync runs on the controller and pushes to or pulls from {ctx.Host} over its own connection; drop delegate_to");
        var ssh = ctx.Ssh;
        if (ssh is null && ctx.Transport != "local")
            return Plan.Fail("synchronize uses rsync to function. rsync needs to connect to the remote host via ssh, docker client or a direct filesystem " +
                             $"copy. This remote host is being accessed via {ctx.Transport} instead so it cannot work.");
        if (ssh?.Password is not null)
            return Plan.Fail("synchronize over a connection with a password is not supported by Runner (Ansible uses sshpass): give the host an SSH key");

        var rsyncName = Var(ctx, "ansible_rsync_path") ?? "rsync";
        var rsync = rsyncName;
        if (!rsyncName.Contains('/'))
        {
            var found = Which(rsyncName);
            if (found.Path is null) return Plan.Fail(found.Missing(rsyncName));
            rsync = found.Path;
        }

        var pull = a.Str("mode") == "pull";
        string src = a.Str("src")!, dest = a.Str("dest")!;
        var remoteRsyncPath = a.Str("rsync_path");
        string? user = null;
        if (ssh is not null)
        {
            if (a.Bool("set_remote_user", true)) user = ssh.User;
            if (pull) { src = Remote(ssh.Host, src, user); dest = Local(ctx, dest); }
            else { src = Local(ctx, src); dest = Remote(ssh.Host, dest, user); }
            if (ctx.Become is { User: { } becomeUser, Method: "sudo" } && remoteRsyncPath is null) remoteRsyncPath = $"sudo -u {becomeUser} rsync";
        }
        else { src = Local(ctx, src); dest = Local(ctx, dest); }

        var head = new List<string> { rsync };
        if (a.Bool("delay_updates", true)) head.AddRange(new[] { "--delay-updates", "-F" });
        if (a.Bool("compress", true)) head.Add("--compress");
        if (a.Long("rsync_timeout") is var timeout and not 0) head.Add($"--timeout={timeout}");
        var tail = new List<string>();
        if (a.Bool("delete")) tail.Add("--delete-after");
        if (a.Bool("existing_only")) tail.Add("--existing");
        if (a.Bool("checksum")) tail.Add("--checksum");
        if (a.Bool("copy_links")) tail.Add("--copy-links");
        var archive = a.Bool("archive", true);
        if (archive) tail.Add("--archive");
        foreach (var part in new[] { "recursive", "links", "perms", "times", "owner", "group" })
            if (a.Get(part) is bool on && on != archive) tail.Add(archive ? $"--no-{part}" : $"--{part}");
        if (a.Bool("dirs")) tail.Add("--dirs");

        var opts = a.StrList("rsync_opts");
        if (src.StartsWith("rsync://") && dest.StartsWith("rsync://"))
            return Plan.Fail("either src or dest must be a localhost", new Dict { ["rc"] = 1L });
        var rshNeeded = !src.StartsWith("rsync://") && !dest.StartsWith("rsync://") && (src.Contains(':') || dest.Contains(':'));
        if (rshNeeded && ssh is not null && !opts.Any(o => o.Contains("--rsh")))
        {
            var sshBin = Which("ssh");
            if (sshBin.Path is null) return Plan.Fail(sshBin.Missing("ssh"));
            tail.Add("--rsh=" + ShellQuote.Quote(Rsh(ctx, ssh, sshBin.Path)));
        }
        if (remoteRsyncPath is not null) tail.Add("--rsync-path=" + ShellQuote.Quote(remoteRsyncPath));
        var warnings = new List<string>();
        if (opts.Count > 0)
        {
            if (opts.Contains(""))
                warnings.Add("The empty string is present in rsync_opts which will cause rsync to transfer the current working directory. If this is intended, " +
                             "use \".\" instead to get rid of this warning. If this is unintended, check for problems in your playbook leading to empty string in rsync_opts.");
            tail.AddRange(opts);
        }
        if (a.Bool("partial")) tail.Add("--partial");
        var linkDest = a.Has("link_dest") ? a.StrList("link_dest") : new List<string>();
        if (linkDest.Count > 0)
        {
            tail.AddRange(new[] { "-H", "-vv" });
            var destinationPath = Path.GetFullPath(Path.GetDirectoryName(dest) is { Length: > 0 } dir ? dir : ".");
            foreach (var x in linkDest)
            {
                var linkPath = Path.GetFullPath(ExpandUser(x)).TrimEnd('/') is { Length: > 0 } l ? l : "/";
                if (destinationPath.StartsWith(linkPath, StringComparison.Ordinal))
                    return Plan.Fail($"Hardlinking into a subdirectory of the source would cause recursion. {destinationPath} and {dest}");
                tail.Add("--link-dest=" + linkPath);
            }
        }
        tail.Add("--out-format=" + ShellQuote.Quote(Marker + "%i %n%L"));
        tail.Add(ShellQuote.Quote(src.Contains('@') ? src : ExpandUser(src)));
        tail.Add(ShellQuote.Quote(dest.Contains('@') ? dest : ExpandUser(dest)));

        string Line(bool dry) => string.Join(' ', head.Concat(dry ? new[] { "--dry-run" } : Array.Empty<string>()).Concat(tail));
        var real = Line(false);
        CommandResult? ran = null;
        var plan = new Plan();
        plan.Warnings.AddRange(warnings);
        plan.Add(new CallStep(real, async token => { ran = await ctx.ControllerShAsync(Script(real), token); return null; }) { CountsAsChange = false });
        plan.Then = async (outcomes, token) =>
        {
            var line = outcomes[0].Ran ? real : Line(true);
            var r = ran ?? await ctx.ControllerShAsync(Script(line), token);
            if (r.ExitCode != 0) return Plan.Fail(r.Stderr, new Dict { ["rc"] = (long)r.ExitCode, ["cmd"] = line });
            var changed = linkDest.Count > 0 ? !r.Stdout.Contains(Marker + ".", StringComparison.Ordinal) : r.Stdout.Contains(Marker, StringComparison.Ordinal);
            var clean = r.Stdout.Replace(Marker, "");
            return new Plan
            {
                Changed = changed,
                Diff = new Dict { ["prepared"] = clean },
                Result = new Dict
                {
                    ["msg"] = clean, ["rc"] = (long)r.ExitCode, ["cmd"] = line,
                    ["stdout_lines"] = clean.Split('\n').Where(l => l.Length > 0).Cast<object?>().ToList(),
                },
            };
        };
        return plan;
    }

    /// <summary>The command line as run_command runs a string: split as shlex does, each word quoted for sh.</summary>
    private static string Script(string line) => Argv.Of(Shlex.Split(line).ToArray()).ToString();

    /// <summary>
    /// rsync's --rsh: ssh [-S none] -i KEY [-o Port=N] with the connection's host key checking (its known_hosts files),
    /// then use_ssh_args' words. Ansible's order; its "StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null" is
    /// replaced by the connection's checking.
    /// </summary>
    private static string Rsh(PlanContext ctx, SshSettings ssh, string sshBin)
    {
        var a = ctx.Args;
        var words = new List<string> { sshBin };
        if (!a.Bool("ssh_connection_multiplexing")) words.AddRange(new[] { "-S", "none" });
        if (a.Str("private_key") is { } key) words.AddRange(new[] { "-i", key });
        else foreach (var k in ssh.KeyFiles) words.AddRange(new[] { "-i", k });
        long? port = a.Has("dest_port") ? a.Long("dest_port") : Var(ctx, "ansible_port") is not null || ssh.Port != 22 ? ssh.Port : null;
        if (port is not null) words.AddRange(new[] { "-o", $"Port={port}" });
        words.AddRange(new[] { "-o", "StrictHostKeyChecking=" + (ssh.Checking == HostKeyChecking.Strict ? "yes" : "accept-new") });
        words.AddRange(new[] { "-o", "UserKnownHostsFile=" + string.Join(' ', ssh.KnownHostsFiles) });
        var line = ShellQuote.Join(words);
        if (a.Bool("use_ssh_args"))
        {
            var extra = string.Join(' ', new[] { Var(ctx, "ansible_ssh_common_args"), Var(ctx, "ansible_ssh_extra_args") }.Where(s => !string.IsNullOrEmpty(s)));
            if (extra.Length > 0) line += " " + extra;
        }
        return line;
    }

    /// <summary>The action's _format_rsync_rsh_target: [USER@]HOST:PATH, an IPv6 host in brackets; rsync:// URLs as they are.</summary>
    private static string Remote(string host, string path, string? user)
    {
        if (path.StartsWith("rsync://", StringComparison.Ordinal)) return path;
        var prefix = string.IsNullOrEmpty(user) ? "" : user + "@";
        return host.Contains(':') ? $"[{prefix}{host}]:{path}" : $"{prefix}{host}:{path}";
    }

    /// <summary>The action's _get_absolute_path: a relative controller path is found in files/ of the role or playbook (keeping a trailing slash).</summary>
    private static string Local(PlanContext ctx, string path)
    {
        if (path.Contains(':') || path.StartsWith('/')) return path;
        var found = ctx.FindFile(path.TrimEnd('/'), "files") ?? Path.Combine(ctx.Variables.SearchPaths.LastOrDefault() ?? Directory.GetCurrentDirectory(), path);
        return path.EndsWith('/') && !found.EndsWith('/') ? found + "/" : found;
    }

    private static string ExpandUser(string p) =>
        p == "~" || p.StartsWith("~/", StringComparison.Ordinal) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + p[1..] : p;

    /// <summary>get_bin_path on the controller, where rsync and ssh run: the PATH, then /sbin, /usr/sbin and /usr/local/sbin
    /// when PATH lacks them; the first regular file there that is executable.</summary>
    private static ExecutableFact.Found Which(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').ToList();
        foreach (var d in new[] { "/sbin", "/usr/sbin", "/usr/local/sbin" })
            if (!dirs.Contains(d) && Directory.Exists(d)) dirs.Add(d);
        var found = dirs.Where(d => d.Length > 0).Select(d => Path.Combine(d, name))
            .FirstOrDefault(f => File.Exists(f) && (File.GetUnixFileMode(f) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
        return new ExecutableFact.Found(found, string.Join(':', dirs));
    }

    /// <summary>A host variable as a string (null when undefined or empty).</summary>
    private static string? Var(PlanContext ctx, string name) =>
        ctx.Variables.TryGetRaw(name, out var v) && v is not null && ctx.Templar.Template(v, ctx.Variables) is { } t && PyStrOf(t) is { Length: > 0 } s ? s : null;

    private static string PyStrOf(object t) => t as string ?? Convert.ToString(t, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}

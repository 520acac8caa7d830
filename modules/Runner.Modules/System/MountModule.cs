using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.posix.mount 1.5.4 (https://docs.ansible.com/ansible/latest/collections/ansible/posix/mount_module.html) on
/// Linux, following plugins/modules/mount.py: the fstab entry is edited as <see cref="Fstab"/> says and written with
/// the one atomic write (backup=yes copies the file first); mounting runs `mount [-T FSTAB] PATH` (ephemeral:
/// `mount -t FSTYPE [-o OPTS] SRC PATH`), a remount `mount -o remount[,OPTS] ... PATH` and when that fails umount then
/// mount (remounted with opts fails instead), unmounting `umount PATH`, each with the programs' paths as Ansible's
/// get_bin_path finds them. States: present (fstab only), mounted (fstab, the folders of PATH created, mounted, or
/// remounted when its entry changed; a failed mount puts the old fstab back and removes the folders made), unmounted,
/// absent (entry removed; only then unmounted and the folder removed), absent_from_fstab, remounted (always changed),
/// ephemeral (mounted without fstab; remounted when already mounted from SRC, else a failure). A mount point is one by
/// ismount or by /proc/self/mountinfo (<see cref="MountPointFact"/>, <see cref="MountInfoFact"/>). boot=no adds noauto
/// to opts (warnings when opts has noauto or defaults). Result: name, src, fstype (when given), opts, dump, passno,
/// fstab, boot ("yes"/"no"), backup_file (only present/mounted fill it), warnings; no diff (Ansible's has none).
/// Failures carry only msg, changed=false, with Ansible's messages ("Error mounting PATH: OUTPUT", "Error unmounting
/// PATH: OUTPUT", "Error remounting PATH: OUTPUT", "Error rmdir PATH: [Errno N] ...", "Error making dir PATH: ...").
/// Unlike Ansible, a missing fstab file is created only outside check mode, and without mountinfo no `mount -l`
/// fallback is read.
/// </summary>
public sealed class MountModule : PlanningModule
{
    private const string DefaultFstab = "/etc/fstab";

    public override string Name => "mount";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("boot", OptionType.Bool, Default: true), new("dump", Default: "0"), new("fstab"), new("fstype"),
        new("path", OptionType.Path, Required: true, Aliases: new[] { "name" }), new("opts"), new("passno", Default: "0"),
        new("src", OptionType.Path), new("backup", OptionType.Bool, Default: false),
        new("state", Required: true, Choices: new[] { "absent", "absent_from_fstab", "mounted", "present", "unmounted", "remounted", "ephemeral" }),
    })
    {
        RequiredIf = new[]
        {
            new RequiredIf("state", "mounted", new[] { "src", "fstype" }), new RequiredIf("state", "present", new[] { "src", "fstype" }),
            new RequiredIf("state", "ephemeral", new[] { "src", "fstype" }),
        },
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var state = a.Str("state")!;
        var name = a.Str("path")!;
        var fstab = a.Str("fstab") ?? DefaultFstab;
        var src = a.Str("src");
        var fstype = a.Str("fstype");
        var opts = a.Str("opts") ?? "defaults";
        var boot = "yes";
        var warnings = new List<string>();
        var optList = opts.Split(',').ToList();
        if (optList.Contains("noauto")) warnings.Add("Ignore the 'boot' due to 'opts' contains 'noauto'.");
        else if (!a.Bool("boot", true))
        {
            boot = "no";
            if (optList.Contains("defaults")) warnings.Add("Ignore the 'boot' due to 'opts' contains 'defaults'.");
            else opts = string.Join(",", optList.Append("noauto"));
        }
        var entry = new FstabEntry(src, name, fstype, opts, a.Str("dump")!, a.Str("passno")!);

        MountPointFact point = new(name);
        MountInfoFact info = new();
        FileContentFact content = new(fstab);
        // a symlinked fstab is written through (Ansible opens it for writing), not replaced by a file
        var link = new ScriptFact<string?>("symlink-target:" + fstab, $"[ -L {ShellQuote.Quote(fstab)} ] && readlink -f -- {ShellQuote.Quote(fstab)}; :",
            r => r.Stdout.Trim() is { Length: > 0 } t ? t : null);
        ExecutableFact mountExe = new("mount"), umountExe = new("umount");
        await ctx.Facts.GetAsync(ct, state == "ephemeral" ? new Fact[] { point, info, mountExe, umountExe } : new Fact[] { point, info, content, link, mountExe, umountExe });
        var at = await ctx.Facts.GetAsync(point, ct);
        var mounts = await ctx.Facts.GetAsync(info, ct);
        if (mounts is null) warnings.Add("Cannot open file /proc/self/mountinfo. Bind mounts might be misinterpreted.");
        var bytes = state == "ephemeral" ? Array.Empty<byte>() : await ctx.Facts.GetAsync(content, ct);
        var text = bytes is null ? "" : Encoding.UTF8.GetString(bytes);
        var target = state == "ephemeral" ? fstab : await ctx.Facts.GetAsync(link, ct) ?? fstab;
        var commands = new Commands(state, name, fstab, src, fstype, opts,
            (await ctx.Facts.GetAsync(mountExe, ct)), (await ctx.Facts.GetAsync(umountExe, ct)));

        var result = new Dict { ["name"] = name, ["opts"] = opts, ["dump"] = entry.Dump, ["passno"] = entry.Passno, ["fstab"] = fstab, ["boot"] = boot };
        if (src is not null) result["src"] = src;
        if (fstype is not null) result["fstype"] = fstype;

        var plan = new Plan();
        if (bytes is null)
        {
            // Ansible creates a missing fstab (and its folder) before anything else, changed or not
            var dir = Path.GetDirectoryName(fstab);
            if (!string.IsNullOrEmpty(dir)) plan.Add(new RunStep(Argv.Of("mkdir", "-p", "--", dir)) { CountsAsChange = false, FailMessage = $"Failed to open {fstab} due to {{stderr}}" });
            plan.Add(new RunStep(Argv.Of("touch", "--", fstab)) { CountsAsChange = false, FailMessage = $"Failed to open {fstab} due to {{stderr}}" });
        }
        RunStep? backup = null;
        var backupPath = "";
        var backupKept = false; // Ansible returns backup_file only from set_mount
        void Write(string newText)
        {
            if (a.Bool("backup")) { (backup, backupPath) = Backup.Of(fstab); plan.Add(backup); }
            plan.Add(new PutFileStep(target, Encoding.UTF8.GetBytes(newText)) { Creates = new Planned.File(fstab) });
        }
        var mounted = at.IsMount || IsBindMounted(mounts, name, null);
        Command? first = null;
        switch (state)
        {
            case "absent_from_fstab":
            case "absent":
            {
                var (newText, changed) = Fstab.Unset(text, name, src);
                if (!changed) break;
                Write(newText);
                if (state == "absent_from_fstab") break;
                if (mounted)
                {
                    if (commands.Missing(umount: true) is { } missing) return Plan.Fail(missing);
                    plan.Add(new RunStep(commands.Umount()) { OnFailure = r => Failed($"Error unmounting {name}: {r.Stdout}{r.Stderr}") });
                }
                if (at.Exists) plan.Add(new RunStep(Argv.Of("rmdir", "--", name)) { OnFailure = r => Failed($"Error rmdir {name}: {OsError(r.Stderr, name, false)}") });
                break;
            }
            case "unmounted":
                if (!mounted) break;
                if (commands.Missing(umount: true) is { } absentUmount) return Plan.Fail(absentUmount);
                plan.Add(new RunStep(commands.Umount()) { OnFailure = r => Failed($"Error unmounting {name}: {r.Stdout}{r.Stderr}") });
                break;
            case "present":
            {
                var (newText, _, changed) = Fstab.Set(text, entry);
                backupKept = true;
                if (changed) Write(newText);
                break;
            }
            case "remounted":
                if (commands.Missing(umount: false) is { } noRemount) return Plan.Fail(noRemount);
                first = commands.Remount(msg => Failed($"Error remounting {name}: {msg}"));
                break;
            default: // mounted, ephemeral
            {
                var created = at.Exists || at.FirstMissing is not { } from ? new List<string>() : MountPointFact.Prefixes(name).Skip(from).ToList();
                if (!at.Exists)
                    plan.Add(new RunStep(Argv.Of("mkdir", "-p", "--", name))
                        { Creates = new Planned.File(name), OnFailure = r => Failed($"Error making dir {name}: {OsError(r.Stderr, name, true)}") });
                var (newText, old, changed) = state == "ephemeral" ? ("", "", false) : Fstab.Set(text, entry);
                backupKept = state != "ephemeral";
                if (changed) Write(newText);
                Plan Rollback(string msg)
                {
                    // Ansible puts the old fstab back (a broken entry could stop the next boot) and removes the folders it made
                    var undo = new Plan();
                    if (state != "ephemeral")
                    {
                        if (a.Bool("backup")) undo.Add(Backup.Of(fstab).Step with { FailMessage = null, AnyExitCode = true });
                        undo.Add(new PutFileStep(target, Encoding.UTF8.GetBytes(old)));
                    }
                    if (created.Count > 0)
                        undo.Add(new RunStep(string.Join(" && ", Enumerable.Reverse(created).Select(d => Argv.Of("rmdir", "--", d).ToString()))) { AnyExitCode = true });
                    undo.Then = (_, _) => Task.FromResult(Failed($"Error mounting {name}: {msg}"));
                    return undo;
                }
                bool? remount = null; // null: nothing to run, false: mount, true: remount
                if (!at.IsMount && !IsBindMounted(mounts, name, src)) remount = false;
                else if (state == "ephemeral")
                {
                    // Ansible's _is_same_mount_src: mountinfo names src for the mount point, or a line of `mount -v` does
                    if (!IsBindMounted(mounts, name, src) && !await ListedAsync(ctx, commands, src!, name, ct))
                        return Failed("Ephemeral mount point is already mounted with a different source than the specified one. Failing in order to " +
                                      "prevent an unwanted unmount or override operation. Try replacing this command with a \"state: unmounted\" followed " +
                                      "by a \"state: ephemeral\", or use a different destination path.");
                    remount = true;
                }
                else if (changed) remount = true;
                if (remount is null) break;
                if (commands.Missing(umount: false) is { } noMount) return Plan.Fail(noMount);
                first = remount.Value ? commands.Remount(Rollback) : commands.Mount(Rollback);
                break;
            }
        }

        if (first is not null) plan.Add(first.Step);
        var backupMade = false;
        plan.Then = (outcomes, _) =>
        {
            backupMade = backup is not null && outcomes.Any(o => ReferenceEquals(o.Step, backup) && o.Ran);
            var o = first is null ? null : outcomes.FirstOrDefault(x => ReferenceEquals(x.Step, first.Step));
            return Task.FromResult(o is { Ran: true, Result: { } r } ? first!.After(r) : Plan.Ok());
        };
        return PlanChain.Append(plan, _ =>
        {
            var done = Plan.Ok(new Dict(result) { ["backup_file"] = backupKept && backupMade ? backupPath : "" });
            done.Warnings.AddRange(warnings);
            return Task.FromResult(done);
        });
    }

    /// <summary>Ansible's fail_json with only msg: changed=false whatever ran before.</summary>
    private static Plan Failed(string msg) => Plan.Fail(msg, null, changed: false);

    /// <summary>Ansible's is_bind_mounted on Linux: the mount point is in mountinfo (with <paramref name="src"/>: with that source).</summary>
    private static bool IsBindMounted(IReadOnlyDictionary<string, MountInfoFact.Mount>? mounts, string dest, string? src) =>
        mounts is not null && mounts.TryGetValue(dest, out var m) && (src is null || m.Src == src);

    /// <summary>The second half of Ansible's _is_same_mount_src: a line of `mount -v` reads "SRC on DEST ...".</summary>
    private static async Task<bool> ListedAsync(PlanContext ctx, Commands commands, string src, string dest, CancellationToken ct)
    {
        if (commands.MountPath is not { } mount) return false;
        var listing = await ctx.Facts.GetAsync(new ScriptFact<string>("mount-v:" + mount, Argv.Of(mount, "-v").ToString(), r => r.Stdout), ct);
        return listing.Split('\n').Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f.Length >= 3 && f[0] == src && f[2] == dest);
    }

    private static readonly Dictionary<string, int> Errnos = new(StringComparer.Ordinal)
    {
        ["Operation not permitted"] = 1, ["No such file or directory"] = 2, ["Permission denied"] = 13, ["File exists"] = 17,
        ["Device or resource busy"] = 16, ["Not a directory"] = 20, ["Read-only file system"] = 30, ["No space left on device"] = 28,
        ["Directory not empty"] = 39,
    };

    /// <summary>
    /// Python's OSError text for a failed mkdir/rmdir from the coreutils message ("rmdir: failed to remove 'P': REASON"):
    /// "[Errno N] REASON: 'P'" (b'P' for mkdir, which Ansible calls with bytes).
    /// </summary>
    private static string OsError(string stderr, string path, bool bytes)
    {
        var line = stderr.Trim().Split('\n')[0];
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        var reason = colon >= 0 ? line[(colon + 2)..] : line;
        var q1 = line.IndexOfAny(new[] { '\'', '\u2018' });
        var q2 = q1 >= 0 ? line.IndexOfAny(new[] { '\'', '\u2019' }, q1 + 1) : -1;
        var p = q1 >= 0 && q2 > q1 ? line[(q1 + 1)..q2] : path;
        var errno = Errnos.TryGetValue(reason, out var n) ? $"[Errno {n}] " : "";
        return $"{errno}{reason}: {(bytes ? "b" : "")}{PyStr.ReprString(p)}";
    }

    /// <summary>A command whose outcome decides what follows: <see cref="After"/> gets its result (it may have failed).</summary>
    private sealed record Command(RunStep Step, Func<CommandResult, Plan> After);

    /// <summary>The mount, remount and umount commands of one task, as mount.py's mount(), remount() and umount() build them.</summary>
    private sealed record Commands(string State, string Name, string Fstab, string? Src, string? Fstype, string Opts,
        ExecutableFact.Found MountExe, ExecutableFact.Found UmountExe)
    {
        public string? MountPath => MountExe.Path;

        /// <summary>get_bin_path(required=True)'s failure for mount (and umount when <paramref name="umount"/>), or null.</summary>
        public string? Missing(bool umount) =>
            MountExe.Path is null && !umount ? MountExe.Missing("mount") : umount && UmountExe.Path is null ? UmountExe.Missing("umount") : null;

        /// <summary>-T FSTAB for another fstab than /etc/fstab (_set_fstab_args), or -t FSTYPE [-o OPTS] SRC for ephemeral.</summary>
        private Argv Tail(Argv cmd)
        {
            if (State == "ephemeral") return cmd.Add("-t", Fstype!).AddIf(Opts != "defaults", "-o", Opts).Add(Src!, Name);
            return cmd.AddIf(Fstab != DefaultFstab, "-T", Fstab).Add(Name);
        }

        public Argv Umount() => Argv.Of(UmountExe.Path!, Name);

        /// <summary>mount; <paramref name="fail"/> gets the output of a failure (stdout then stderr).</summary>
        public Command Mount(Func<string, Plan> fail) =>
            Run(Tail(Argv.Of(MountExe.Path!)), r => r.ExitCode == 0 ? Plan.Ok() : fail(r.Stdout + r.Stderr));

        /// <summary>mount -o remount; when it fails, umount and mount (remounted with opts fails at once).</summary>
        public Command Remount(Func<string, Plan> fail)
        {
            var remount = Argv.Of(MountExe.Path!, "-o", State == "remounted" && Opts != "defaults" ? "remount," + Opts : "remount");
            return Run(Tail(remount), r =>
            {
                if (r.ExitCode == 0) return Plan.Ok();
                if (State == "remounted" && Opts != "defaults")
                    return Failed("Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected " +
                                  "mount result. Try replacing this command with a \"state: unmounted\" followed by a \"state: mounted\" using the full " +
                                  "desired mount options instead.");
                if (UmountExe.Path is null) return Plan.Fail(UmountExe.Missing("umount"));
                return Then(Run(Umount(), u => u.ExitCode == 0 ? Then(Mount(fail)) : fail(u.Stdout + u.Stderr)));
            });
        }

        private static Command Run(Argv cmd, Func<CommandResult, Plan> after) => new(new RunStep(cmd) { AnyExitCode = true }, after);

        /// <summary>A plan running <paramref name="c"/> and continuing with its outcome.</summary>
        private static Plan Then(Command c)
        {
            var p = new Plan().Add(c.Step);
            p.Then = (outcomes, _) => Task.FromResult(outcomes.FirstOrDefault(o => ReferenceEquals(o.Step, c.Step)) is { Ran: true, Result: { } r } ? c.After(r) : Plan.Ok());
            return p;
        }
    }
}

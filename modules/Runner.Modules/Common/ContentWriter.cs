using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Facts;

namespace Runner.Modules.Common;

/// <summary>
/// Plans putting bytes at a target path the way copy and template do (Ansible's copy action + copy module): compare
/// sha1 with the existing file (<see cref="FileStatFact"/>), honour force/backup/validate, write atomically
/// (<see cref="PutFileStep"/>), then apply mode/owner/group (a bad mode fails AFTER the write with changed=false, as
/// 2.14 does). Result fields: dest, src (staged path), checksum, md5sum, size, mode, owner, group, uid, gid, state
/// "file", backup_file; in check mode only dest, src, checksum, md5sum, size. The diff is a one-item list, as the copy
/// action returns it.
/// </summary>
internal static class ContentWriter
{
    /// <summary>Option specs shared by copy and template.</summary>
    public static readonly OptionSpec[] Options =
    {
        new("dest", OptionType.Path, Required: true), new("backup", OptionType.Bool, Default: false),
        new("force", OptionType.Bool, Default: true), new("validate"),
        new("follow", OptionType.Bool, Default: false), new("directory_mode", OptionType.Mode),
    };

    /// <summary>
    /// The steps that write <paramref name="content"/> to <paramref name="dest"/>: the check of <paramref name="validate"/>
    /// (a command with %s) on a temp copy, then <paramref name="backup"/>, then the atomic write (recorded as planned in check mode).
    /// </summary>
    public static IEnumerable<Step> WriteSteps(string dest, byte[] content, string? validate, Step? backup)
    {
        if (validate is not null) yield return new ValidateStep(dest, content, validate);
        if (backup is not null) yield return backup;
        yield return new PutFileStep(dest, content) { Creates = new Planned.File(dest) };
    }

    /// <param name="ctx">The task (options dest, force, backup, validate, follow, mode, owner, group).</param>
    /// <param name="dest">Where to write.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="baseName">File name used when dest is an existing folder, or null (content).</param>
    /// <param name="ct">Cancels the probes.</param>
    /// <param name="sourcePath">The controller file copied (copy src=), used as the diff's after_header; null for generated content.</param>
    public static async Task<Plan> PlanAsync(PlanContext ctx, string dest, byte[] content, string? baseName, CancellationToken ct,
        string? sourcePath = null)
    {
        var a = ctx.Args;
        var follow = a.Bool("follow");
        var st = await ctx.Facts.GetAsync(new FileStatFact(dest, follow, "sha1"), ct);
        Step? mkdir = null;
        if (dest.EndsWith('/') && baseName is not null && !st.Exists)
        {
            // copy creates a missing destination folder given with a trailing slash.
            mkdir = new RunStep(Argv.Of("mkdir", "-p", "--", dest)) { FailMessage = $"Destination directory {dest} does not exist" };
            dest = dest.TrimEnd('/') + "/" + baseName;
            st = new FileState(dest, "absent");
        }
        else if (st.Type == "directory")
        {
            if (baseName is null) return Plan.Fail("can not use content with a dir as dest", new Dict { ["dest"] = dest });
            dest = dest.TrimEnd('/') + "/" + baseName;
            st = await ctx.Facts.GetAsync(new FileStatFact(dest, follow, "sha1"), ct);
        }
        if (follow && st.IsLink && st.LinkResolved is { Length: > 0 } real) { dest = real; st = st with { Path = real }; }
        var sha = Hashes.Sha1(content);

        if (st.Exists && !a.Bool("force", true)) return Plan.Ok(new Dict { ["dest"] = dest });
        if (st.Exists && st.Type == "file" && st.Sha1 == sha)
            return FileAttrs.Finish(ctx, st, new Dict { ["dest"] = dest, ["checksum"] = sha });

        using var staged = new Staging(content);
        var tooLarge = st.Type == "file" && st.Size > TextDiff.MaxSize;
        var old = st.Type == "file" && !tooLarge ? await ctx.Facts.GetAsync(new FileContentFact(dest), ct) : null;
        var res = new Dict { ["dest"] = dest, ["src"] = staged.Path, ["md5sum"] = Hashes.Md5(content), ["checksum"] = sha };
        var plan = new Plan
        {
            Result = res,
            Diff = TextDiff.Build(old, dest, content, sourcePath ?? staged.Path, tooLarge),
            DiffAsList = true,
            CheckModeResult = new Dict(res) { ["size"] = (long)content.Length },
        };
        if (mkdir is not null) plan.Add(mkdir);
        Step? backup = null;
        if (st.Exists && a.Bool("backup"))
        {
            (backup, var backupPath) = Backup.Of(dest);
            res["backup_file"] = backupPath;
        }
        plan.Steps.AddRange(WriteSteps(dest, content, a.Str("validate"), backup));
        plan.Then = async (outcomes, token) =>
        {
            if (outcomes.Any(o => !o.Ran)) return Plan.Ok(); // not written (check mode): the check-mode result stands
            var now = await ctx.Facts.GetAsync(new FileStatFact(dest), token);
            var (steps, error) = FileAttrs.Compare(a, now);
            if (error is not null)
            {
                var fail = new Dict();
                FileAttrs.Describe(fail, now);
                fail["checksum"] = sha;
                if (error == ModeParser.BadForm) fail["details"] = $"bad symbolic permission for mode: {a.Str("mode")}";
                // 2.14 reports the failed mode with changed=false although the new content is already in place
                var failing = new Plan();
                failing.Steps.AddRange(steps);
                failing.Then = (_, _) => Task.FromResult(Plan.Fail(error, fail, changed: false));
                return failing;
            }
            var attrs = new Plan();
            attrs.Steps.AddRange(steps);
            attrs.Then = async (_, t) =>
            {
                var described = new Dict();
                FileAttrs.Describe(described, await ctx.Facts.GetAsync(new FileStatFact(dest), t));
                described.Remove("path");
                return Plan.Ok(described);
            };
            return attrs;
        };
        return plan;
    }
}

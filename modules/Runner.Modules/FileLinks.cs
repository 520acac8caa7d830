using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// The file module's link and hard states (Ansible's ensure_symlink / ensure_hardlink): a symlink's src is
/// stored as given (relative to the link's folder); a hard link needs an absolute, existing src. An existing
/// file or folder is only replaced with force=yes (an empty folder only). Links are replaced atomically (ln + mv).
/// Result: dest, src, changed, plus the link's attributes.
/// </summary>
internal static class FileLinks
{
    public static async Task<Plan> LinkAsync(PlanContext ctx, FileState prev, string prevState, bool hard,
        Dict before, Dict after, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = prev.Path;
        var force = a.Bool("force");
        var src = a.Str("src");
        if (!hard && src is null && a.Bool("follow", true) && prev.Type == "link") src = prev.LinkTarget;
        // An existing hard link (a file with several names) only gets its attributes fixed.
        if (hard && src is null && prevState == "hard") return FileAttrs.Finish(ctx, prev, new Dict { ["dest"] = path, ["src"] = null }, before, after, "dest");
        if (src is null) return Plan.Fail(hard ? "src is required for creating new hardlinks" : "src is required for creating new symlinks");
        var dir = prevState == "directory" && !hard ? path : Path.GetDirectoryName(path) ?? ".";
        var absrc = src.StartsWith('/') ? src : Path.Combine(dir, src);
        if (hard && !src.StartsWith('/')) return Plan.Fail("src must be an absolute path", new Dict { ["path"] = path });
        var targetFact = new FileStatFact(absrc, follow: true);
        var tree = new DirectoryTreeFact(path);
        await ctx.Facts.GetAsync(ct, prevState == "directory" ? new Fact[] { targetFact, tree } : new Fact[] { targetFact });
        var target = await ctx.Facts.GetAsync(targetFact, ct);
        if (!target.Exists && (hard || !force))
            return Plan.Fail(hard ? $"src does not exist" : $"src file does not exist, use \"force=yes\" if you really want to create the link: {absrc}",
                new Dict { ["path"] = path, ["src"] = src });

        if (prevState == "directory")
        {
            if (!force) return Plan.Fail($"refusing to convert from directory to {(hard ? "hard link" : "symlink")} for {path}", new Dict { ["path"] = path });
            if (!(await ctx.Facts.GetAsync(tree, ct)).IsEmpty) return Plan.Fail($"the directory {path} is not empty, refusing to convert it", new Dict { ["path"] = path });
        }
        else if (prevState is "file" or "hard" && !force && !hard)
            return Plan.Fail($"refusing to convert from {prevState} to symlink for {path}", new Dict { ["path"] = path });

        bool changed;
        if (hard) changed = !(prev.Exists && prev.Type != "link" && prev.Inode == target.Inode && prev.Dev == target.Dev);
        else if (prevState == "link")
        {
            changed = prev.LinkTarget != src;
            if (changed) { before["src"] = prev.LinkTarget; after["src"] = src; }
        }
        else changed = true;
        if (hard && changed && prevState == "file" && !force)
            return Plan.Fail("Cannot link, file exists at destination", new Dict { ["path"] = path, ["src"] = src });

        var res = new Dict { ["dest"] = path, ["src"] = src };
        var plan = new Plan { Result = res, CheckModeResult = prev.Exists ? null : new Dict(res) };
        if (changed)
        {
            // replaced atomically: the new link is made beside the path and renamed onto it
            var tmp = Path.Combine(Path.GetDirectoryName(path) ?? ".", $".{Path.GetFileName(path)}.runner-{Guid.NewGuid():N}");
            const string failure = "Error while linking: {stderr}";
            if (prevState == "directory") plan.Add(new RunStep(Argv.Of("rmdir", "--", path)) { FailMessage = failure });
            plan.Add(new RunStep(Argv.Of("ln").AddIf(!hard, "-s").Add("--", src, tmp)) { FailMessage = failure });
            plan.Add(new RunStep(Argv.Of("mv", "-fT", "--", tmp, path)) { FailMessage = failure, Creates = new Planned.File(path) });
        }
        plan.Then = async (outcomes, token) =>
        {
            if (!prev.Exists && outcomes.Any(o => !o.Ran)) return Plan.Ok(); // no link yet (check mode): the check-mode result stands
            // Attributes go to the link's target when following (Ansible's load_file_common_arguments).
            var attrs = new Plan();
            string? error = null;
            if ((a.Has("mode") || a.Has("owner") || a.Has("group")) && target.Exists)
            {
                var st = a.Bool("follow", true) || hard ? target : await ctx.Facts.GetAsync(new FileStatFact(path), token);
                (var steps, error) = FileAttrs.Compare(a, st, before, after);
                attrs.Steps.AddRange(steps);
            }
            attrs.Then = async (_, t) =>
            {
                if (error is not null) return Plan.Fail(error, res);
                var final = await ctx.Facts.GetAsync(new FileStatFact(path), t);
                var r = new Dict();
                if (!final.Exists) return Plan.Ok(r);
                FileAttrs.Describe(r, final, "dest");
                r["src"] = src;
                if (final.Type == "link") r["state"] = "link";
                else if (hard) r["state"] = "hard";
                return Plan.Ok(r);
            };
            return attrs;
        };
        return plan;
    }
}

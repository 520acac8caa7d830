using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// The file module's link and hard states (Ansible's ensure_symlink / ensure_hardlink): a symlink's src is
/// stored as given (relative to the link's folder); a hard link needs an absolute, existing src. An existing
/// file or folder is only replaced with force=yes (an empty folder only). Links are replaced atomically (ln + mv).
/// Result: dest, src, changed, plus the link's attributes.
/// </summary>
internal static class FileLinks
{
    public static async Task<Dict> LinkAsync(ModuleContext ctx, FileState prev, string prevState, bool hard,
        Dict before, Dict after, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = prev.Path;
        var force = a.Bool("force");
        var src = a.Str("src");
        if (!hard && src is null && a.Bool("follow", true) && prev.Type == "link") src = prev.LinkTarget;
        if (hard && src is null && prevState == "hard")
        {
            // An existing hard link (a file with several names) only gets its attributes fixed.
            var r0 = await FileStates.Finish(ctx, prev, false, before, after, ct, "dest");
            var res0 = new Dict { ["dest"] = path, ["src"] = null };
            foreach (var (k, v) in r0) if (k != "dest") res0[k] = v;
            res0["state"] = "hard";
            return res0;
        }
        if (src is null) return Results.Fail(hard ? "src is required for creating new hardlinks" : "src is required for creating new symlinks");
        var dir = prevState == "directory" && !hard ? path : Path.GetDirectoryName(path) ?? ".";
        var absrc = src.StartsWith('/') ? src : Path.Combine(dir, src);
        if (hard && !src.StartsWith('/')) return Results.Fail("src must be an absolute path", new Dict { ["path"] = path });
        var target = await FileProbe.ProbeAsync(ctx, absrc, follow: true, checksum: false, ct);
        if (!target.Exists && (hard || !force))
            return Results.Fail(hard ? $"src does not exist" : $"src file does not exist, use \"force=yes\" if you really want to create the link: {absrc}",
                new Dict { ["path"] = path, ["src"] = src });

        if (prevState == "directory")
        {
            if (!force) return Results.Fail($"refusing to convert from directory to {(hard ? "hard link" : "symlink")} for {path}", new Dict { ["path"] = path });
            var empty = await ctx.ShAsync($"[ -z \"$(ls -A -- {ShellQuote.Quote(path)})\" ]", ct);
            if (empty.ExitCode != 0) return Results.Fail($"the directory {path} is not empty, refusing to convert it", new Dict { ["path"] = path });
        }
        else if (prevState is "file" or "hard" && !force && !hard)
            return Results.Fail($"refusing to convert from {prevState} to symlink for {path}", new Dict { ["path"] = path });

        bool changed;
        if (hard) changed = !(prev.Exists && prev.Type != "link" && prev.Inode == target.Inode && prev.Dev == target.Dev);
        else if (prevState == "link")
        {
            changed = prev.LinkTarget != src;
            if (changed) { before["src"] = prev.LinkTarget; after["src"] = src; }
        }
        else changed = true;
        if (hard && changed && prevState == "file" && !force)
            return Results.Fail("Cannot link, file exists at destination", new Dict { ["path"] = path, ["src"] = src });

        if (changed && !ctx.CheckMode)
        {
            var q = ShellQuote.Quote(path);
            var tmp = ShellQuote.Quote(Path.Combine(Path.GetDirectoryName(path) ?? ".", $".{Path.GetFileName(path)}.runner-{Guid.NewGuid():N}"));
            var clear = prevState == "directory" ? $"rmdir -- {q} && " : "";
            var script = $"{clear}ln {(hard ? "" : "-s ")}-- {ShellQuote.Quote(src)} {tmp} && mv -fT -- {tmp} {q}";
            var r = await ctx.ShAsync(script, ct);
            if (r.ExitCode != 0) return Results.Fail($"Error while linking: {r.Stderr.Trim()}", new Dict { ["path"] = path });
        }
        var res = new Dict { ["dest"] = path, ["src"] = src, ["changed"] = changed };
        if (ctx.CheckMode && !prev.Exists) return res;

        // Attributes go to the link's target when following (Ansible's load_file_common_arguments).
        var hasAttrs = a.Has("mode") || a.Has("owner") || a.Has("group");
        if (hasAttrs && target.Exists)
        {
            var st = a.Bool("follow", true) || hard ? target : await FileProbe.ProbeAsync(ctx, path, false, false, ct);
            var (ac, err) = await FileAttrs.ApplyAsync(ctx, st, before, after, ct);
            if (err is not null) return Results.Fail(err, res);
            if (ac) res["changed"] = true;
        }
        var final = await FileProbe.ProbeAsync(ctx, path, false, false, ct);
        if (final.Exists)
        {
            var src0 = res["src"];
            FileAttrs.Describe(res, final, "dest");
            res["src"] = src0;
            if (final.Type == "link") res["state"] = "link";
            else if (hard) res["state"] = "hard";
        }
        return res;
    }
}

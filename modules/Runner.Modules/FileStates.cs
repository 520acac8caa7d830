using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>The file module's file, directory and touch states (Ansible's ensure_file_attributes, ensure_directory, execute_touch).</summary>
internal static class FileStates
{
    /// <summary>state=file: only an existing file's attributes change; anything else fails "file (P) is S, cannot continue".</summary>
    public static async Task<Dict> FileAsync(ModuleContext ctx, FileState prev, string prevState, bool follow,
        Dict before, Dict after, CancellationToken ct)
    {
        var st = prev;
        if (prevState == "link" && follow)
        {
            st = await FileProbe.ProbeAsync(ctx, prev.Path, follow: true, checksum: false, ct);
            prevState = FileModule.StateOf(st);
        }
        if (prevState is not ("file" or "hard"))
            return Results.Fail($"file ({prev.Path}) is {prevState}, cannot continue", new Dict { ["path"] = prev.Path, ["state"] = prevState });
        before.Remove("state"); after.Remove("state");
        return await Finish(ctx, st, false, before, after, ct);
    }

    /// <summary>state=directory: creates missing folders one by one (mode/owner on each new one), else fixes attributes.</summary>
    public static async Task<Dict> DirectoryAsync(ModuleContext ctx, FileState prev, string prevState,
        Dict before, Dict after, CancellationToken ct)
    {
        var path = prev.Path;
        if (prevState == "link" && ctx.Args.Bool("follow", true))
        {
            var target = await FileProbe.ProbeAsync(ctx, path, follow: true, checksum: false, ct);
            if (target.Type == "directory") return await Finish(ctx, target, false, before, after, ct);
        }
        if (prevState == "absent")
        {
            if (ctx.CheckMode) return new Dict { ["path"] = path, ["changed"] = true, ["state"] = "directory" };
            var sb = new StringBuilder("set -e\n");
            sb.Append($"p={ShellQuote.Quote(path)}\n");
            sb.Append("case \"$p\" in /*) cur=;; *) cur=.;; esac\n");
            sb.Append("IFS=/; set -f; for part in $p; do [ -z \"$part\" ] && continue; cur=\"$cur/$part\"; ");
            // As Ansible's file module: a folder someone else created meanwhile (EEXIST and a directory) is no error.
            sb.Append("if [ ! -e \"$cur\" ]; then if mkdir -- \"$cur\" 2>/dev/null; then echo \"$cur\"; elif [ ! -d \"$cur\" ]; then mkdir -- \"$cur\"; fi; fi; done\n");
            var r = await ctx.ShAsync(sb.ToString(), ct);
            if (r.ExitCode != 0) return Results.Fail($"There was an issue creating {path} as requested: {r.Stderr.Trim()}", new Dict { ["path"] = path });
            var created = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var dir in created.Take(created.Length - 1))
            {
                var parent = await FileProbe.ProbeAsync(ctx, dir.StartsWith("./", StringComparison.Ordinal) ? dir[2..] : dir, false, false, ct);
                var (_, perr) = await FileAttrs.ApplyAsync(ctx, parent, null, null, ct);
                if (perr is not null) return Results.Fail(perr, new Dict { ["path"] = path }, changed: true);
            }
            var st = await FileProbe.ProbeAsync(ctx, path, false, false, ct);
            return await Finish(ctx, st, true, before, after, ct);
        }
        if (prevState != "directory")
            return Results.Fail($"{path} already exists as a {prevState}", new Dict { ["path"] = path });
        var res = await Finish(ctx, prev, false, before, after, ct);
        if (ctx.Args.Bool("recurse") && !Results.IsFailed(res) && await FileRecurse.ApplyAsync(ctx, path, ct) is var (changed, err))
        {
            if (err is not null) return Results.Fail(err, res);
            if (changed) res["changed"] = true;
        }
        return res;
    }

    /// <summary>state=touch: creates an empty file or updates its times (changed unless both times are "preserve").</summary>
    public static async Task<Dict> TouchAsync(ModuleContext ctx, FileState prev, Dict before, Dict after, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = prev.Path;
        var preserve = a.Str("modification_time") == "preserve" && a.Str("access_time") == "preserve";
        var changed = !prev.Exists || !preserve;
        if (ctx.CheckMode && !prev.Exists) return new Dict { ["dest"] = path, ["changed"] = true };
        if (!ctx.CheckMode && changed)
        {
            var flags = !prev.Exists ? "" : a.Str("modification_time") == "preserve" ? "-a " : a.Str("access_time") == "preserve" ? "-m " : "";
            var r = await ctx.ShAsync($"touch {flags}-- {ShellQuote.Quote(path)}", ct);
            if (r.ExitCode != 0) return Results.Fail($"Error, could not touch target: {r.Stderr.Trim()}", new Dict { ["path"] = path });
        }
        var st = prev.Exists ? prev : await FileProbe.ProbeAsync(ctx, path, false, false, ct);
        var res = await Finish(ctx, st, changed, before, after, ct, "dest");
        return res;
    }

    /// <summary>Applies mode/owner/group and builds the result with the path's final attributes.</summary>
    internal static async Task<Dict> Finish(ModuleContext ctx, FileState st, bool changed, Dict before, Dict after,
        CancellationToken ct, string pathKey = "path")
    {
        var (attrChanged, error) = await FileAttrs.ApplyAsync(ctx, st, before, after, ct);
        changed |= attrChanged;
        var final = attrChanged && !ctx.CheckMode ? await FileProbe.ProbeAsync(ctx, st.Path, false, false, ct) : st;
        var r = new Dict { ["changed"] = changed };
        FileAttrs.Describe(r, final, pathKey);
        if (error is not null) return Results.Fail(error, r);
        return r;
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Common;

/// <summary>
/// Puts bytes at a target path the way copy and template do (Ansible's copy action + copy module):
/// compare sha1 with the existing file, honour force/backup/validate, write atomically via
/// IConnection.PutFileAsync, then apply mode/owner/group (a bad mode fails AFTER the write, as 2.14 does).
/// Result fields: changed, dest, src (staged path), checksum, md5sum, size, mode, owner, group, uid, gid,
/// state "file", backup_file; diff (a one-item list, as the copy action returns it) in --diff mode.
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

    /// <param name="baseName">File name used when dest is an existing folder, or null (content).</param>
    /// <param name="sourcePath">The controller file copied (copy src=), used as the diff's after_header; null for generated content.</param>
    public static async Task<Dict> WriteAsync(ModuleContext ctx, string dest, byte[] content, string? baseName, CancellationToken ct,
        string? sourcePath = null)
    {
        var a = ctx.Args;
        var follow = a.Bool("follow");
        if (dest.EndsWith('/') && baseName is not null && !ctx.CheckMode)
        {
            // copy creates a missing destination folder given with a trailing slash.
            var mk = await ctx.ShAsync($"mkdir -p -- {ShellQuote.Quote(dest)}", ct);
            if (mk.ExitCode != 0) return Results.Fail($"Destination directory {dest} does not exist", new Dict { ["dest"] = dest });
        }
        var st = await FileProbe.ProbeAsync(ctx, dest, follow, checksum: true, ct);
        if (st.Type == "directory")
        {
            if (baseName is null) return Results.Fail("can not use content with a dir as dest", new Dict { ["dest"] = dest });
            dest = dest.TrimEnd('/') + "/" + baseName;
            st = await FileProbe.ProbeAsync(ctx, dest, follow, checksum: true, ct);
        }
        if (follow && st.IsLink && st.LinkResolved is { Length: > 0 } real) { dest = real; st = st with { Path = real }; }
        var sha = Hashes.Sha1(content);

        if (st.Exists && !a.Bool("force", true))
            return new Dict { ["dest"] = dest, ["changed"] = false };

        if (st.Exists && st.Type == "file" && st.Sha1 == sha)
        {
            var r = await FileStates.Finish(ctx, st, false, new Dict { ["path"] = dest }, new Dict { ["path"] = dest }, ct);
            r["dest"] = dest;
            r["checksum"] = sha;
            return r;
        }

        using var staged = new Staging(content);
        var res = new Dict { ["changed"] = true };
        if (ctx.DiffMode)
        {
            var old = st.Type == "file" ? await ctx.Connection.GetFileAsync(dest, ctx.Exec, ct) : null;
            res["diff"] = new List<object?> { TextDiff.Build(old, dest, content, sourcePath ?? staged.Path) };
        }
        res["dest"] = dest;
        res["src"] = staged.Path;
        res["md5sum"] = Hashes.Md5(content);
        res["checksum"] = sha;
        if (ctx.CheckMode)
        {
            ctx.Planned.AddPath(dest);
            res["size"] = (long)content.Length;
            return res;
        }
        if (st.Exists && a.Bool("backup") && await Backup.MakeAsync(ctx, dest, ct) is { } bak) res["backup_file"] = bak;
        var err = await PutAsync(ctx, dest, content, a.Str("validate"), st.Exists, ct);
        if (err is not null) return Results.Fail(err.Msg, err.Extra ?? new Dict { ["dest"] = dest, ["checksum"] = sha });

        var now = await FileProbe.ProbeAsync(ctx, dest, false, false, ct);
        var (_, modeErr) = await FileAttrs.ApplyAsync(ctx, now, null, null, ct);
        if (modeErr is not null)
        {
            // 2.14 reports the failed mode with changed=false although the new content is already in place.
            var fail = new Dict();
            if (res.Get("diff") is { } d) fail["diff"] = d;
            FileAttrs.Describe(fail, now);
            fail["checksum"] = sha;
            if (modeErr == ModeParser.BadForm) fail["details"] = $"bad symbolic permission for mode: {a.Str("mode")}";
            return Results.Fail(modeErr, fail);
        }
        var final = await FileProbe.ProbeAsync(ctx, dest, false, false, ct);
        FileAttrs.Describe(res, final);
        res.Remove("path");
        return res;
    }

    /// <summary>Why a write failed: the message and extra result fields (validate's exit_status/stdout/stderr).</summary>
    internal sealed record Failure(string Msg, Dict? Extra = null);

    /// <summary>Writes atomically; with <paramref name="validate"/> (a command with %s) the bytes are checked in a temp file beside dest first.</summary>
    internal static async Task<Failure?> PutAsync(ModuleContext ctx, string dest, byte[] content, string? validate, bool exists, CancellationToken ct)
    {
        try
        {
            if (validate is null)
            {
                await ctx.Connection.PutFileAsync(content, dest, ctx.Exec, ct);
                return null;
            }
            if (!validate.Contains("%s")) return new Failure($"validate must contain %s: {validate}");
            var dir = Path.GetDirectoryName(dest) ?? ".";
            var tmp = Path.Combine(dir, $".{Path.GetFileName(dest)}.runner-validate-{Guid.NewGuid():N}");
            await ctx.Connection.PutFileAsync(content, tmp, ctx.Exec, ct);
            var check = await ctx.ShAsync(validate.Replace("%s", ShellQuote.Quote(tmp)), ct);
            if (check.ExitCode != 0)
            {
                await ctx.ShAsync($"rm -f -- {ShellQuote.Quote(tmp)}", ct);
                return new Failure($"failed to validate", new Dict
                {
                    ["exit_status"] = (long)check.ExitCode, ["stdout"] = check.Stdout, ["stderr"] = check.Stderr,
                });
            }
            var keep = exists ? $"chmod --reference={ShellQuote.Quote(dest)} {ShellQuote.Quote(tmp)} 2>/dev/null; " : "";
            var mv = await ctx.ShAsync($"{keep}mv -f -- {ShellQuote.Quote(tmp)} {ShellQuote.Quote(dest)}", ct);
            return mv.ExitCode == 0 ? null : new Failure(mv.Stderr.Trim());
        }
        catch (DirectoryNotFoundException)
        {
            return new Failure($"Destination directory {Path.GetDirectoryName(dest)} does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Failure($"Failed to write {dest}: {e.Message}");
        }
    }
}

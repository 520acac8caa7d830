using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.unarchive (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/unarchive_module.html):
/// src is a controller file (copied to the target) or, with remote_src, a path or URL on the target; dest must be an
/// existing folder. The archive (.tar, .tar.gz, .tar.bz2, .tar.xz, .tar.zst, .zip) is extracted into a staging folder
/// on the target and compared file by file with dest; only when something differs is it copied over (keep_newer keeps
/// dest files newer than the archive's). creates skips the task when that path exists. mode/owner/group apply to
/// the extracted members. Result: dest, src, handler, changed, extract_results {cmd, rc, out, err}, files (list_files),
/// and dest's uid, gid, owner, group, mode, state, size.
/// Errors: "dest 'D' must be an existing dir", "Source 'S' not found", "Failed to find handler for "S"...".
/// </summary>
public sealed class UnarchiveModule : IModule
{
    public string Name => "unarchive";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("src", OptionType.Path, Required: true), new("dest", OptionType.Path, Required: true),
        new("remote_src", OptionType.Bool, Default: false), new("copy", OptionType.Bool),
        new("creates", OptionType.Path), new("list_files", OptionType.Bool, Default: false),
        new("keep_newer", OptionType.Bool, Default: false),
        new("exclude", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new("include", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new("extra_opts", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new("io_buffer_size", OptionType.Int, Default: 65536L), new("validate_certs", OptionType.Bool, Default: true),
        new("decrypt", OptionType.Bool, Default: true),
    }.Concat(FileAttrs.Options).ToList()) { SupportsAsync = false };

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var src = a.Str("src")!;
        var dest = a.Str("dest")!;
        var remote = a.Bool("remote_src") || a.Get("copy") is false;
        var result = new Dict { ["dest"] = dest, ["src"] = src };
        if (a.Str("creates") is { } creates &&
            (await ctx.ShAsync($"test -e {ShellQuote.Quote(creates)}", ct)).ExitCode == 0)
            return new Dict { ["changed"] = false, ["skipped"] = true, ["msg"] = $"skipped, since {creates} exists" };
        if ((await ctx.ShAsync($"test -d {ShellQuote.Quote(dest)}", ct)).ExitCode != 0)
            return Results.Fail($"dest '{dest}' must be an existing dir", result);

        var stage = (await ctx.ShAsync("mktemp -d \"${TMPDIR:-/tmp}/.runner-unarchive.XXXXXX\"", ct)).Stdout.Trim();
        if (stage.Length == 0) return Results.Fail("could not create a staging folder on the target", result);
        var qs = ShellQuote.Quote(stage);
        try
        {
            string archive;
            if (!remote)
            {
                var local = ctx.FindFile(src, "files");
                if (local is null || !File.Exists(local)) return Results.Fail($"Source '{src}' not found", result);
                archive = stage + "/archive-" + Path.GetFileName(local);
                await ctx.Connection.PutFileAsync(await File.ReadAllBytesAsync(local, ct), archive, ctx.Exec, ct);
            }
            else if (src.Contains("://"))
            {
                archive = stage + "/archive-" + Path.GetFileName(new Uri(src).AbsolutePath);
                var dl = await Downloader.FetchAsync(ctx, src, archive, 10, null, null, null, a.Bool("validate_certs", true), false, null, ct);
                if (!dl.Ok) return Results.Fail($"Failure downloading {src}, {(dl.Status > 0 ? $"HTTP Error {dl.Status}" : dl.Error)}", result);
            }
            else
            {
                if ((await ctx.ShAsync($"test -f {ShellQuote.Quote(src)}", ct)).ExitCode != 0)
                {
                    // An archive that an earlier task of the run would have downloaded or copied.
                    if (ctx.CheckMode && ctx.Planned.HasPath(src))
                    {
                        result["changed"] = true;
                        result["warnings"] = new List<object?> { $"Source '{src}' does not exist yet: check mode assumes an earlier task provides it" };
                        return result;
                    }
                    return Results.Fail($"Source '{src}' does not exist", result);
                }
                archive = src;
            }
            var qa = ShellQuote.Quote(archive);
            var format = ArchiveFormat.FromName(src) ??
                ArchiveFormat.FromMagic((await ctx.ShAsync($"od -An -tx1 -N8 {qa} | tr -d ' \\n'", ct)).Stdout.Trim())!;
            result["handler"] = format.Handler;

            var list = await ctx.ShAsync(format.ListCommand(archive), ct);
            if (list.ExitCode != 0)
                return Results.Fail($"Failed to find handler for \"{src}\". Make sure the required command to extract the file is installed.\n{list.Stderr.Trim()}", result);
            var include = a.StrList("include");
            var exclude = a.StrList("exclude");
            var extra = a.StrList("extra_opts");
            var tree = stage + "/tree";
            var extract = format.ExtractCommand(archive, tree, include, exclude, extra);
            var x = await ctx.ShAsync($"mkdir -p {ShellQuote.Quote(tree)} && {extract}", ct);
            result["extract_results"] = new Dict { ["cmd"] = extract, ["rc"] = (long)x.ExitCode, ["out"] = x.Stdout, ["err"] = x.Stderr };
            if (x.ExitCode != 0) return Results.Fail($"Failed to unpack {src} to {dest}: {x.Stderr.Trim()}", result);

            // compare the extracted tree with dest: regular files by content, links by target, folders by existence
            var qt = ShellQuote.Quote(tree);
            var qd = ShellQuote.Quote(dest);
            var cmp = await ctx.ShAsync(
                $"cd {qt} && find . -mindepth 1 | while IFS= read -r f; do t={qd}/\"$f\"; " +
                "if [ -L \"$f\" ]; then [ -L \"$t\" ] && [ \"$(readlink \"$f\")\" = \"$(readlink \"$t\")\" ] || echo \"$f\"; " +
                "elif [ -d \"$f\" ]; then [ -d \"$t\" ] && [ ! -L \"$t\" ] || echo \"$f\"; " +
                (a.Bool("keep_newer") ? "elif [ -e \"$t\" ] && [ \"$t\" -nt \"$f\" ]; then :; " : "") +
                "else [ -f \"$t\" ] && [ ! -L \"$t\" ] && cmp -s \"$f\" \"$t\" || echo \"$f\"; fi; done", ct);
            var differing = cmp.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            var members = (await ctx.ShAsync($"cd {qt} && find . -mindepth 1", ct)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(m => m[2..]).ToList();
            if (a.Bool("list_files")) result["files"] = members.Cast<object?>().ToList();

            var changed = differing.Count > 0;
            if (changed && !ctx.CheckMode)
            {
                // copy the staged entries one by one: `cp -a staged/. dest/` would also give dest the staging
                // folder's owner and mode, which Ansible's unarchive leaves alone
                var cp = await ctx.ShAsync($"cd {qt} && find . -mindepth 1 -maxdepth 1 -exec cp -a {(a.Bool("keep_newer") ? "-u " : "")}-t {qd} -- {{}} +", ct);
                if (cp.ExitCode != 0) return Results.Fail($"Failed to unpack {src} to {dest}: {cp.Stderr.Trim()}", result);
            }
            if (!ctx.CheckMode || !changed) changed |= await ApplyAttrsAsync(ctx, dest, members, ct);
            var st = await FileProbe.ProbeAsync(ctx, dest, true, false, ct);
            FileAttrs.Describe(result, st, "dest");
            result["src"] = src;
            result["changed"] = changed;
            return result;
        }
        finally
        {
            await ctx.ShAsync($"rm -rf -- {qs}", CancellationToken.None);
        }
    }

    /// <summary>chmod/chown/chgrp of the extracted members where they differ; true when something changed (or would).</summary>
    private static async Task<bool> ApplyAttrsAsync(ModuleContext ctx, string dest, List<string> members, CancellationToken ct)
    {
        var a = ctx.Args;
        if (!a.Has("mode") && !a.Has("owner") && !a.Has("group")) return false;
        var changed = false;
        foreach (var m in members)
        {
            var st = await FileProbe.ProbeAsync(ctx, dest.TrimEnd('/') + "/" + m, false, false, ct);
            if (!st.Exists) continue;
            var (c, err) = await FileAttrs.ApplyAsync(ctx, st, null, null, ct);
            changed |= c;
        }
        return changed;
    }
}

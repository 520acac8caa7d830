using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;
using Runner.Modules.Sys.Http;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.unarchive (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/unarchive_module.html):
/// src is a controller file or, with remote_src, a path or URL on the target (a URL is fetched while planning, as
/// Ansible's module downloads it in check mode too); dest must be an existing folder. The archive (.tar, .tar.gz,
/// .tar.bz2, .tar.xz, .tar.zst, .zip) is listed through a scratch extraction (<see cref="ArchiveTree"/>: on the
/// controller for a controller file or URL, on the target for a remote file) and compared file by file with dest; only
/// when something differs is it unpacked on the target (a controller archive is put there first with the connection's
/// atomic write). creates skips the task when that path exists. mode/owner/group apply to the extracted members
/// (<see cref="FileAttrs.Compare"/>). In check mode nothing is unpacked: a zip reports changed when something differs; a
/// tar archive is skipped ("... does not support check mode when using gtar"), as Ansible 2.14's TgzArchive does.
/// Result: dest, src, handler, changed, extract_results {cmd, rc, out, err} (after an unpack), files (list_files),
/// and dest's uid, gid, owner, group, mode, state, size.
/// Errors: "dest 'D' must be an existing dir", "Source 'S' not found", "Source 'S' does not exist",
/// "Failed to find handler for "S"...", "Failed to unpack S to D: ...".
/// </summary>
public sealed class UnarchiveModule : PlanningModule
{
    /// <inheritdoc/>
    public override string Name => "unarchive";

    /// <inheritdoc/>
    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
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

    /// <inheritdoc/>
    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var src = a.Str("src")!;
        var dest = a.Str("dest")!;
        var remote = a.Bool("remote_src") || a.Get("copy") is false;
        var onTarget = remote && !src.Contains("://");
        var result = new Dict { ["dest"] = dest, ["src"] = src };
        var creates = a.Str("creates") is { } c ? new PathExistsFact(c) : null;
        var destStat = new FileStatFact(dest, follow: true);
        var srcStat = onTarget ? new FileStatFact(src, follow: true) : null;
        var tool = remote && !onTarget ? new HttpToolFact() : null;
        await ctx.Facts.GetAsync(ct, new Fact?[] { creates, destStat, srcStat, tool }.OfType<Fact>().ToArray());
        if (creates is not null && await ctx.Facts.GetAsync(creates, ct))
            return Plan.Ok(new Dict { ["skipped"] = true, ["msg"] = $"skipped, since {a.Str("creates")} exists" });
        if ((await ctx.Facts.GetAsync(destStat, ct)).Type != "directory") return Plan.Fail($"dest '{dest}' must be an existing dir", result);

        byte[]? bytes = null;
        if (!remote)
        {
            var local = ctx.FindFile(src, "files");
            if (local is null || !File.Exists(local)) return Plan.Fail($"Source '{src}' not found", result);
            bytes = await File.ReadAllBytesAsync(local, ct);
        }
        else if (tool is not null)
        {
            var reply = await PlanningFetch.GetAsync(ctx, await ctx.Facts.GetAsync(tool, ct), src, a.Bool("validate_certs", true), ct);
            if (reply.Status != 200) return Plan.Fail($"Failure downloading {src}, {PlanningFetch.Message(reply)}", result);
            bytes = reply.Body ?? Array.Empty<byte>();
        }
        else if (!(await ctx.Facts.GetAsync(srcStat!, ct)).Exists)
        {
            // an archive that an earlier task of the run would have downloaded or copied (only planned in check mode)
            if (!ctx.Planned.HasPath(src)) return Plan.Fail($"Source '{src}' does not exist", result);
            var assumed = new Plan { Result = result, Changed = true };
            assumed.Warnings.Add($"Source '{src}' does not exist yet: check mode assumes an earlier task provides it");
            return assumed;
        }

        var format = ArchiveFormat.FromName(src) ?? ArchiveFormat.FromMagic(bytes is null
            ? await ctx.Facts.GetAsync(new ScriptFact<string>("magic:" + src, $"od -An -tx1 -N8 {ShellQuote.Quote(src)} | tr -d ' \\n'", o => o.Stdout.Trim()), ct)
            : Convert.ToHexStringLower(bytes.AsSpan(0, Math.Min(8, bytes.Length))))!;
        result["handler"] = format.Handler;
        var (include, exclude, extra) = (a.StrList("include"), a.StrList("exclude"), a.StrList("extra_opts"));

        var (members, failure, message) = bytes is null
            ? await ListOnTargetAsync(ctx, format, src, include, exclude, extra, ct)
            : await ListOnControllerAsync(ctx, format, src, bytes, include, exclude, extra);
        if (failure == "no-handler")
            return Plan.Fail($"Failed to find handler for \"{src}\". Make sure the required command to extract the file is installed.\n{message}", result);
        if (members is null) return Plan.Fail($"Failed to unpack {src} to {dest}: {message}", result);
        if (a.Bool("list_files")) result["files"] = members.Select(m => (object?)m.Path[2..]).ToList();

        var tops = ArchiveTree.Tops(members).ToList();
        var destListing = new ScriptFact<List<ArchiveEntry>>($"unarchive-dest:{dest}:{string.Join("/", tops)}",
            ArchiveTree.DestScript(dest, tops), o => ArchiveTree.Parse(o.Stdout));
        var differing = ArchiveTree.Differing(members, await ctx.Facts.GetAsync(destListing, ct), a.Bool("keep_newer"));

        // Ansible's TgzArchive (every tar format) ends the module at once in check mode: the task is skipped
        var plan = new Plan { Result = result, SkipInCheckMode = !format.IsZip };
        if (!format.IsZip) plan.CheckModeResult = new Dict { ["msg"] = "remote module (ansible.legacy.unarchive) does not support check mode when using gtar" };
        var extract = "";
        if (differing.Count > 0) plan.Steps.AddRange(UnpackSteps(ctx, format, src, dest, bytes, include, exclude, extra, out extract));
        plan.Then = async (outcomes, t) =>
        {
            var unpacked = new Dict();
            if (outcomes.FirstOrDefault(o => o.Result is not null) is { Result: { } r })
                unpacked["extract_results"] = ExtractResults(extract, r);
            return PlanChain.Append(await MemberAttrsAsync(ctx, dest, members, unpacked, t), async t2 =>
            {
                var final = new Dict();
                FileAttrs.Describe(final, await ctx.Facts.GetAsync(new FileStatFact(dest, follow: true), t2), "dest");
                return Plan.Ok(final);
            });
        };
        return plan;
    }

    /// <summary>The scratch extraction on the target (a read-only probe: its folder is removed by the same script).</summary>
    private static async Task<(List<ArchiveEntry>?, string?, string)> ListOnTargetAsync(PlanContext ctx, ArchiveFormat format, string archive,
        IReadOnlyList<string> include, IReadOnlyList<string> exclude, IReadOnlyList<string> extra, CancellationToken ct)
    {
        var scratch = $"/tmp/.runner-unarchive-list-{Guid.NewGuid():N}";
        var key = $"unarchive-list:{archive}:{string.Join("\0", include)}:{string.Join("\0", exclude)}:{string.Join("\0", extra)}";
        var fact = new ScriptFact<(List<ArchiveEntry>?, string?, string)>(key,
            ArchiveTree.ListingScript(format, archive, scratch, include, exclude, extra), o => ArchiveTree.ParseListing(o.Stdout + o.Stderr));
        return await ctx.Facts.GetAsync(fact, ct);
    }

    /// <summary>The scratch extraction on the controller of <paramref name="bytes"/> (a controller file, or a URL's body).</summary>
    private static async Task<(List<ArchiveEntry>?, string?, string)> ListOnControllerAsync(PlanContext ctx, ArchiveFormat format, string src, byte[] bytes,
        IReadOnlyList<string> include, IReadOnlyList<string> exclude, IReadOnlyList<string> extra)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"runner-unarchive-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var archive = Path.Combine(dir, "archive-" + Path.GetFileName(src));
            await File.WriteAllBytesAsync(archive, bytes);
            var r = await ctx.ControllerShAsync(ArchiveTree.ListingScript(format, archive, Path.Combine(dir, "tree"), include, exclude, extra), CancellationToken.None);
            return ArchiveTree.ParseListing(r.Stdout + r.Stderr);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The steps unpacking the archive into dest: a controller archive put on the target first, then extract and copy.</summary>
    /// <param name="extract">The extraction command (extract_results' cmd).</param>
    private static List<Step> UnpackSteps(PlanContext ctx, ArchiveFormat format, string src, string dest, byte[]? bytes,
        IReadOnlyList<string> include, IReadOnlyList<string> exclude, IReadOnlyList<string> extra, out string extract)
    {
        var steps = new List<Step>();
        var id = Guid.NewGuid().ToString("N");
        var archive = bytes is null ? src : $"/tmp/.runner-unarchive-{id}-{Path.GetFileName(src)}";
        if (bytes is not null) steps.Add(new PutFileStep(archive, bytes) { CountsAsChange = false });
        var scratch = $"/tmp/.runner-unarchive-{id}";
        var cmd = extract = format.ExtractCommand(archive, scratch, include, exclude, extra);
        steps.Add(new RunStep(ArchiveTree.UnpackScript(cmd, scratch, dest, ctx.Args.Bool("keep_newer"), bytes is null ? null : archive))
        {
            Creates = new Planned.File(dest),
            OnFailure = r => Plan.Fail($"Failed to unpack {src} to {dest}: {r.Stderr.Trim()}", new Dict { ["extract_results"] = ExtractResults(cmd, r) }),
        });
        return steps;
    }

    private static Dict ExtractResults(string cmd, CommandResult r) =>
        new() { ["cmd"] = cmd, ["rc"] = (long)r.ExitCode, ["out"] = r.Stdout, ["err"] = r.Stderr };

    /// <summary>The mode/owner/group steps for every extracted member that is there (read in one probe round trip).</summary>
    private static async Task<Plan> MemberAttrsAsync(PlanContext ctx, string dest, List<ArchiveEntry> members, Dict result, CancellationToken ct)
    {
        var a = ctx.Args;
        var plan = new Plan { Result = result };
        if (!a.Has("mode") && !a.Has("owner") && !a.Has("group")) return plan;
        var facts = members.Select(m => new FileStatFact(dest.TrimEnd('/') + "/" + m.Path[2..])).ToArray();
        await ctx.Facts.GetAsync(ct, facts);
        foreach (var f in facts)
        {
            var st = await ctx.Facts.GetAsync(f, ct);
            if (!st.Exists) continue;
            var (steps, error) = FileAttrs.Compare(a, st);
            plan.Steps.AddRange(steps);
            if (error is not null) return PlanChain.Append(plan, _ => Task.FromResult(Plan.Fail(error)));
        }
        return plan;
    }
}

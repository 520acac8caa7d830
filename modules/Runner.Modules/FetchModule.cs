using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.fetch (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/fetch_module.html, the
/// action plugin action/fetch.py): copies the target's file `src` to the controller, to DEST/INVENTORY_HOSTNAME/SRC
/// (normalized), or with flat to `dest` itself (a dest ending in '/' gets src's base name); a relative dest is under
/// the playbook's folder. Written (folders made) only when the local file's sha1 differs from the target's.
/// Results: changed {changed: true, dest, checksum, md5sum, remote_checksum, remote_md5sum: null}; same {changed:
/// false, file: SRC, dest, checksum, md5sum}. Missing file: "the remote file does not exist, not transferring, ignored"
/// (failed unless fail_on_missing=false); a folder: "remote file is a directory, fetch cannot work on directories"; a
/// flat dest that is a folder without '/': "dest is an existing directory, use a trailing slash if you want to fetch
/// src into that directory"; a copy whose sha1 is not the target's (validate_checksum): "checksum mismatch". Ansible's
/// action refuses check mode: the task is skipped ("check mode not (yet) supported for this module").
/// </summary>
public sealed class FetchModule : PlanningModule
{
    public override string Name => "fetch";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("src"), new("dest"), new("flat", OptionType.Bool, Default: false),
        new("fail_on_missing", OptionType.Bool, Default: true), new("validate_checksum", OptionType.Bool, Default: true),
    }, SupportsCheckMode: false) { CheckModeSkipMessage = "check mode not (yet) supported for this module", Invocation = null, SupportsAsync = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        if (a.Str("src") is not { } src || a.Str("dest") is not { } dest) return Plan.Fail("src and dest are required");
        var failOnMissing = a.Bool("fail_on_missing", true);
        var stat = new FileStatFact(src, follow: true, checksum: "sha1");
        var st = await ctx.Facts.GetAsync(stat, ct);
        if (st.Type == "directory")
            return failOnMissing
                ? Plan.Fail("remote file is a directory, fetch cannot work on directories", new Dict { ["file"] = src })
                : Plan.Ok(new Dict { ["file"] = src, ["msg"] = "remote file is a directory, fetch cannot work on directories, not transferring, ignored" });
        if (!st.Exists || !st.Readable)
        {
            var msg = !st.Exists ? "the remote file does not exist, not transferring, ignored" : $"file is not readable: {src}";
            return failOnMissing ? Plan.Fail(msg, new Dict { ["file"] = src }) : Plan.Ok(new Dict { ["file"] = src, ["msg"] = msg });
        }

        var baseDir = ctx.Variables.TryGetRaw("playbook_dir", out var pd) && pd is string { Length: > 0 } d ? d : Directory.GetCurrentDirectory();
        string local;
        if (a.Bool("flat"))
        {
            if (Directory.Exists(dest) && !dest.EndsWith('/'))
                return Plan.Fail("dest is an existing directory, use a trailing slash if you want to fetch src into that directory");
            local = dest.EndsWith('/') ? dest + Path.GetFileName(src) : dest;
            if (!local.StartsWith('/')) local = Path.Combine(baseDir, local);
        }
        else local = $"{Path.Combine(baseDir, dest)}/{ctx.Host}/{src}";
        local = Path.GetFullPath(local);

        var localSum = File.Exists(local) ? Hashes.Sha1(await File.ReadAllBytesAsync(local, ct)) : null;
        if (st.Sha1 is { } remoteSum && remoteSum == localSum)
        {
            var same = await File.ReadAllBytesAsync(local, ct);
            return Plan.Ok(new Dict { ["file"] = src, ["dest"] = local, ["checksum"] = localSum, ["md5sum"] = Hashes.Md5(same) });
        }
        var data = await ctx.Facts.GetAsync(new FileContentFact(src), ct);
        if (data is null) return Plan.Fail($"unable to slurp file: {src}", new Dict { ["file"] = src });
        var remote = st.Sha1 ?? Hashes.Sha1(data);
        var newSum = Hashes.Sha1(data);
        if (a.Bool("validate_checksum", true) && newSum != remote)
            return Plan.Fail("checksum mismatch", new Dict
            {
                ["file"] = src, ["dest"] = local, ["md5sum"] = Hashes.Md5(data), ["remote_md5sum"] = null, ["checksum"] = newSum, ["remote_checksum"] = remote,
            });
        return new Plan
        {
            Result = new Dict { ["dest"] = local, ["checksum"] = newSum, ["md5sum"] = Hashes.Md5(data), ["remote_checksum"] = remote, ["remote_md5sum"] = null },
        }.Add(new CallStep($"write {local} on the controller ({data.Length} bytes)", async t =>
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                // beside the file, then renamed: a reader never sees half a copy
                var tmp = $"{local}.runner-{Guid.NewGuid():N}";
                await File.WriteAllBytesAsync(tmp, data, t);
                File.Move(tmp, local, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new Runner.Engine.Errors.RunnerException($"Failed to fetch the file: {e.Message}");
            }
            return null;
        }));
    }
}

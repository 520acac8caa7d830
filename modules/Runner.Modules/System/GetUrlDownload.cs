using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;
using Runner.Modules.Sys.Http;

namespace Runner.Modules.Sys;

/// <summary>
/// What get_url does once its GET has an answer (<see cref="GetUrlModule"/>; Ansible's get_url main() after url_get):
/// 304 ends the task ok, another status than 200 fails it ("Request failed"); else the body is a temp file on the target
/// (curl wrote it, or the controller's bytes are put there with the connection's atomic write), its digests are read,
/// a checksum mismatch removes it and fails, an identical dest keeps dest as it is, a different one is replaced
/// (backup first when asked), and the file attributes are applied. In check mode (no answer) the task reports changed.
/// </summary>
internal sealed class GetUrlDownload
{
    private readonly PlanContext _ctx;
    private readonly Dict _result;
    private readonly string _dest;
    private readonly bool _destIsDir;
    private readonly FileState _destState;
    private readonly string? _algorithm;
    private readonly string? _expected;
    private readonly DateTime _started;

    /// <summary>The rest of the task for <paramref name="dest"/> (probed as <paramref name="destState"/>), verified against <paramref name="expected"/> (<paramref name="algorithm"/>'s hex digest) when given.</summary>
    public GetUrlDownload(PlanContext ctx, Dict result, string dest, bool destIsDir, FileState destState, string? algorithm, string? expected, DateTime started) =>
        (_ctx, _result, _dest, _destIsDir, _destState, _algorithm, _expected, _started) = (ctx, result, dest, destIsDir, destState, algorithm, expected, started);

    /// <summary>The plan for fetch_url's answer <paramref name="info"/> (null: check mode, nothing was requested).</summary>
    public Task<Plan> ReceivedAsync(HttpInfo? info, CancellationToken ct)
    {
        var elapsed = new Dict { ["elapsed"] = (long)(DateTime.UtcNow - _started).TotalSeconds };
        if (info is null)
        {
            // check mode: the file would be downloaded; later tasks of the run may count on it
            var planned = _destIsDir ? Path.Combine(_dest, GetUrlModule.UrlFileName(_result.Str("url")!)) : _dest;
            _ctx.Planned.AddPath(planned);
            return Task.FromResult(new Plan { Result = new Dict(elapsed) { ["dest"] = planned, ["msg"] = "OK (check mode: not downloaded)" }, Changed = true });
        }
        if (info.Status == 304)
        {
            var ok = new Dict(elapsed) { ["msg"] = info.Msg, ["status_code"] = 304L };
            FileAttrs.Describe(ok, _destState, "dest");
            return Task.FromResult(Discard(info, Plan.Ok(ok)));
        }
        if (info.Status == -1) return Task.FromResult(Discard(info, Plan.Fail(info.Msg, elapsed)));
        if (info.Status != 200)
            return Task.FromResult(Discard(info, Plan.Fail("Request failed", new Dict(elapsed) { ["status_code"] = (long)info.Status, ["response"] = info.Msg })));

        var dest = _destIsDir ? Path.Combine(_dest, HeaderFileName(info) ?? GetUrlModule.UrlFileName(info.FinalUrl)) : _dest;
        var done = new Dict(elapsed) { ["dest"] = dest, ["msg"] = info.Msg, ["status_code"] = 200L };
        if (info.BodyFile is { } file) return VerifyAsync(file, dest, done, ct);
        // the controller made the request: the bytes go beside dest first, so that dest changes only when verified
        var tmp = Path.Combine(_destIsDir ? _dest : GetUrlModule.Parent(_dest), $".runner-get_url-{Guid.NewGuid():N}");
        var put = new Plan { Result = done }.Add(new PutFileStep(tmp, info.Body ?? Array.Empty<byte>()) { CountsAsChange = false });
        put.Then = (_, t) => VerifyAsync(tmp, dest, done, t);
        return Task.FromResult(put);
    }

    /// <summary>Digests of the temp file <paramref name="tmp"/> checked, then dest replaced when it differs.</summary>
    private async Task<Plan> VerifyAsync(string tmp, string dest, Dict done, CancellationToken ct)
    {
        var digests = new TempDigestsFact(tmp, _algorithm);
        var destStat = new FileStatFact(dest, follow: true, checksum: "sha1");
        await _ctx.Facts.GetAsync(ct, digests, destStat);
        var d = await _ctx.Facts.GetAsync(digests, ct);
        var st = await _ctx.Facts.GetAsync(destStat, ct);
        var result = new Dict(done) { ["src"] = tmp, ["checksum_src"] = d.Sha1, ["checksum_dest"] = st.Exists ? st.Sha1 : null };
        var drop = new RunStep(Argv.Of("rm", "-f", "--", tmp)) { CountsAsChange = false };
        if (_expected is not null && d.Digest != _expected)
            return Then(new Plan { Result = result }.Add(drop), Plan.Fail($"The checksum for {dest} did not match {_expected}; it was {d.Digest}.", new Dict()));
        result["md5sum"] = d.Md5;
        var plan = new Plan { Result = result };
        if (st.Exists && st.Sha1 == d.Sha1) plan.Add(drop);
        else
        {
            if (st.Exists && _ctx.Args.Bool("backup"))
            {
                var backup = dest + "." + DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss~");
                plan.Add(new RunStep(Argv.Of("cp", "-p", "--", dest, backup)));
                result["backup_file"] = backup;
            }
            var noBody = new HttpInfo(200, dest, "", false, new Dict(), null, null, tmp, dest);
            plan.Add(BodyPlacement.Place(noBody, dest, unlessSame: false, null)!);
        }
        plan.Then = async (_, t) => FileAttrs.Finish(_ctx, await _ctx.Facts.GetAsync(new FileStatFact(dest, follow: true), t), new Dict(), pathKey: "dest");
        return plan;
    }

    /// <summary>The body file of <paramref name="info"/> removed (when curl left one), then <paramref name="next"/>.</summary>
    private static Plan Discard(HttpInfo info, Plan next) =>
        BodyPlacement.Discard(info) is { } drop ? Then(new Plan().Add(drop), next) : next;

    private static Plan Then(Plan first, Plan next)
    {
        first.Then = (_, _) => Task.FromResult(next);
        return first;
    }

    /// <summary>Ansible's extract_filename_from_headers: Content-Disposition "attachment; filename=NAME" (its base name), or null.</summary>
    private static string? HeaderFileName(HttpInfo info) =>
        info.Header("content-disposition") is { } cd && Regex.Match(cd, "^attachment; ?filename=\"?([^\"]+)") is { Success: true } m
            ? Path.GetFileName(m.Groups[1].Value) is { Length: > 0 } name ? name : null
            : null;

    /// <summary>sha1, md5 and the checksum algorithm's digest of a downloaded temp file (coreutils NAMEsum tools).</summary>
    private sealed class TempDigestsFact : Fact<TempDigestsFact.Digests>
    {
        public sealed record Digests(string Sha1, string Md5, string Digest);

        private readonly string _path;
        private readonly string _algorithm;

        public TempDigestsFact(string path, string? algorithm) => (_path, _algorithm) = (path, algorithm ?? "sha1");

        public override string Key => $"digests:{_algorithm}:{_path}";

        public override string Script
        {
            get
            {
                var q = ShellQuote.Quote(_path);
                return $"sha1sum < {q} | cut -d' ' -f1; md5sum < {q} | cut -d' ' -f1; {Checksums.Tools[_algorithm]} < {q} | cut -d' ' -f1";
            }
        }

        public override Digests Parse(CommandResult output)
        {
            var l = output.Stdout.Split('\n');
            return new Digests(l[0].Trim(), l.Length > 1 ? l[1].Trim() : "", l.Length > 2 ? l[2].Trim() : "");
        }
    }
}

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
/// ansible.builtin.get_url (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/get_url_module.html), as
/// its main() decides: when dest is an existing file and not force, a checksum ("sha256:HEX", "md5:", ... or
/// "ALGO:URL-of-a-checksum-file") that dest already has ends the task ("file already exists", mode/owner/group still
/// applied); a checksum dest lacks forces the download; without a checksum the request carries If-Modified-Since and a
/// 304 is ok (asked with HEAD while planning, so check mode knows it too, unless headers or credentials would show
/// in the probe's script on the target). dest may be a folder (the name from Content-Disposition or the final URL; always downloaded). The GET
/// runs on the target's curl, or from the controller when the target has none (the bytes then reach a temp file
/// beside dest through the connection's verified atomic write); the body is checked against the checksum before it
/// replaces dest (a mismatch leaves dest untouched), and replaces it only when its sha1 differs. Transient failures
/// (no response, 408, 429, 5xx) are retried 3 times. In check mode nothing is downloaded: changed unless dest's
/// checksum already matches or the server says 304. Result: url, dest, msg ("OK (N bytes)"), status_code, checksum_src / checksum_dest
/// (sha1), md5sum, src (the temp file), elapsed (s), backup_file, and dest's state, mode, uid, gid, owner, group, size.
/// Errors: "The checksum for DEST did not match CHECKSUM; it was ACTUAL.", "Request failed" with status_code and
/// response for an HTTP error, urllib's message for no response, "Destination DIR does not exist".
/// </summary>
public sealed class GetUrlModule : PlanningModule
{
    /// <inheritdoc/>
    public override string Name => "get_url";

    /// <inheritdoc/>
    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("url", Required: true), new("dest", OptionType.Path, Required: true),
        new("checksum", Default: ""), new("force", OptionType.Bool, Default: false, Aliases: new[] { "thirsty" }),
        new("timeout", OptionType.Int, Default: 10L), new("headers", OptionType.Dict),
        new("url_username", Aliases: new[] { "username" }), new("url_password", NoLog: true, Aliases: new[] { "password" }),
        new("force_basic_auth", OptionType.Bool, Default: false), new("validate_certs", OptionType.Bool, Default: true),
        new("backup", OptionType.Bool, Default: false), new("tmp_dest", OptionType.Path), new("use_proxy", OptionType.Bool, Default: true),
        new("http_agent", Default: "ansible-httpget"), new("decompress", OptionType.Bool, Default: true),
    }.Concat(FileAttrs.Options).ToList());

    /// <inheritdoc/>
    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var url = a.Str("url")!;
        var dest = a.Str("dest")!;
        var force = a.Bool("force");
        var result = new Dict { ["checksum_dest"] = null, ["checksum_src"] = null, ["dest"] = dest, ["elapsed"] = 0L, ["url"] = url };
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            return Plan.Fail($"Runner's get_url downloads http and https URLs only, not {PyStr.Repr(url)}", result);
        string? algo = null, expected = null;
        if (a.Str("checksum") is { Length: > 0 } cs)
        {
            var (al, value, err) = Checksums.Parse(cs);
            if (err is not null) return Plan.Fail(err, result);
            (algo, expected) = (al, value);
        }

        var tool = new HttpToolFact();
        var destStat = new FileStatFact(dest, follow: true, checksum: "sha1");
        var destAlgo = algo is null or "sha1" ? destStat : new FileStatFact(dest, follow: true, checksum: algo);
        var parent = new FileStatFact(Parent(dest), follow: true);
        await ctx.Facts.GetAsync(ct, tool, destStat, destAlgo, parent);
        var http = await ctx.Facts.GetAsync(tool, ct);
        var st = await ctx.Facts.GetAsync(destStat, ct);
        var isDir = st.Type == "directory";

        if (expected is not null && Checksums.IsUrl(expected))
        {
            var reply = await PlanningFetch.GetAsync(ctx, http, expected, a.Bool("validate_certs", true), ct);
            if (reply.Status != 200)
                return Plan.Fail(reply.Status == -1 ? PlanningFetch.Message(reply) : "Request failed",
                    new Dict { ["status_code"] = (long)reply.Status, ["response"] = PlanningFetch.Message(reply), ["url"] = expected, ["dest"] = dest });
            var found = Checksums.FromFile(System.Text.Encoding.UTF8.GetString(reply.Body ?? Array.Empty<byte>()), UrlFileName(url));
            if (found is null) return Plan.Fail($"Unable to find a checksum for file '{UrlFileName(url)}' in '{expected}'");
            expected = found;
        }
        if (expected is not null)
        {
            // as Ansible: every non-word character (the infamous zero-width space) goes, then it must be hex
            expected = Regex.Replace(expected, @"\W+", "").ToLowerInvariant();
            if (expected.Length == 0 || !expected.All(Uri.IsHexDigit)) return Plan.Fail("The checksum format is invalid", result);
        }

        DateTime? modifiedSince = null;
        if (!isDir && st.Exists)
        {
            var mismatch = !force && expected is not null && (await ctx.Facts.GetAsync(destAlgo, ct)).Sha1 != expected;
            if (!force && expected is not null && !mismatch)
            {
                result["msg"] = FileAttrs.Compare(a, st).Steps.Count > 0 ? "file already exists but file attributes changed" : "file already exists";
                return FileAttrs.Finish(ctx, st, result, pathKey: "dest");
            }
            // a checksum dest lacks forces the download: dest's time may be newer than the server's
            if (mismatch) force = true;
            else modifiedSince = DateTimeOffset.FromUnixTimeMilliseconds((long)(st.Mtime * 1000)).UtcDateTime;
        }
        else if (!isDir && !(await ctx.Facts.GetAsync(parent, ct)).Exists)
            return Plan.Fail($"Destination {Parent(dest)} does not exist", result);

        var user = a.Str("url_username") is { Length: > 0 } u ? u : null;
        var basic = a.Bool("force_basic_auth") && user is not null;
        var headers = (a.Get("headers") as Dict ?? new Dict()).Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value as string ?? PyStr.Str(kv.Value)));
        var request = new HttpRequest("GET", url)
        {
            Headers = HttpRequest.Build(a.Str("http_agent") ?? "", modifiedSince, force, basic ? user : null, a.Str("url_password"), headers),
            User = basic ? null : user, Password = basic ? null : a.Str("url_password"),
            ValidateCerts = a.Bool("validate_certs", true), Timeout = a.Long("timeout", 10),
        };
        // Ansible asks with HEAD in check mode; a HEAD here tells both modes that a 304 leaves dest as it is. Headers
        // and credentials would be part of the probe's script on the target: with them only the GET asks.
        if (modifiedSince is not null && (http != "curl" || (a.Get("url_password") is null && a.Get("headers") is not Dict { Count: > 0 })))
        {
            var head = await PlanningFetch.SendAsync(ctx, http, request with { Method = "HEAD" }, ct);
            if (head.Status == 304)
            {
                var ok = new Dict(result) { ["msg"] = PlanningFetch.Message(head), ["status_code"] = 304L };
                FileAttrs.Describe(ok, st, "dest");
                return Plan.Ok(ok);
            }
        }
        var download = new GetUrlDownload(ctx, result, dest, isDir, st, algo, expected, DateTime.UtcNow);
        var sink = new BodySink(a.Str("tmp_dest") ?? (isDir ? dest : Parent(dest)), Keep: true, Return: false);
        // fetch_url's default for a module without follow_redirects: urllib2
        var plan = HttpExchange.Send(http, request, "urllib2", sink, download.ReceivedAsync, retries: 3);
        plan.Result.Clear();
        foreach (var (k, v) in result) plan.Result[k] = v;
        return plan;
    }

    /// <summary>dest's folder ("/" for a top-level path, "." for a bare name).</summary>
    internal static string Parent(string path) => Path.GetDirectoryName(path.TrimEnd('/')) is { Length: > 0 } d ? d : path.StartsWith('/') ? "/" : ".";

    /// <summary>Ansible's url_filename: the last segment of the URL's path as written, or index.html.</summary>
    internal static string UrlFileName(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.AbsolutePath : url;
        return path[(path.LastIndexOf('/') + 1)..] is { Length: > 0 } name ? name : "index.html";
    }
}

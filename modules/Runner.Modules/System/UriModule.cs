using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;
using Runner.Modules.Sys.Http;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.uri (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/uri_module.html): one HTTP
/// request, made on the target with curl (Ansible's module runs there) or, when the target has no curl, from the
/// controller (<see cref="HttpExchange"/>; redirects as follow_redirects says, default safe). The body is sent as
/// given (raw), JSON-encoded (json: Content-Type application/json unless a header says otherwise) or form-urlencoded;
/// url_username/url_password answer a 401 challenge, or with force_basic_auth go in an Authorization header; every
/// secret reaches curl on stdin. creates/removes (paths on the target) skip the request with ok and
/// "skipped, since PATH exists" / "does not exist" in stdout. dest writes the body there (into a folder: the name from
/// Content-Disposition or the URL, else index.html) when the status is accepted and not 304, with mode/owner/group;
/// an existing dest sends If-Modified-Since. Result: status, url, redirected, msg ("OK (N bytes)" or
/// "HTTP Error 404: Not Found"), elapsed (s), cookies, cookies_string, every response header by its lower-cased name
/// with '-' as '_' (location made absolute), json when the response is JSON, content with return_content, path (and
/// its attributes) with dest; changed only when dest was written. A status not in status_code fails with
/// "Status code was 404 and not [200]: MSG". Ansible's uri does not support check mode: the task is skipped.
/// Not supported (a clear failure): src, unix_socket, body_format form-multipart, client certificates, ca_path, ciphers, gssapi.
/// </summary>
public sealed class UriModule : PlanningModule
{
    private static readonly HashSet<string> JsonTypes = new(StringComparer.Ordinal) { "json", "javascript" };
    private static readonly string[] Unsupported = { "src", "unix_socket", "client_cert", "client_key", "ca_path", "ciphers" };

    public override string Name => "uri";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("url", Required: true), new("dest", OptionType.Path),
        new("url_username", Aliases: new[] { "user" }), new("url_password", NoLog: true, Aliases: new[] { "password" }),
        new("body", OptionType.Raw),
        new("body_format", Default: "raw", Choices: new[] { "form-urlencoded", "json", "raw", "form-multipart" }),
        new("src", OptionType.Path), new("method", Default: "GET"), new("return_content", OptionType.Bool, Default: false),
        new("follow_redirects", Default: "safe", Choices: new[] { "all", "no", "none", "safe", "urllib2", "yes" }),
        new("creates", OptionType.Path), new("removes", OptionType.Path),
        new("status_code", OptionType.List, Default: new List<object?> { 200L }, Elements: OptionType.Int),
        new("timeout", OptionType.Int, Default: 30L), new("headers", OptionType.Dict, Default: new Dict()),
        new("unix_socket", OptionType.Path), new("remote_src", OptionType.Bool, Default: false), new("ca_path", OptionType.Path),
        new("unredirected_headers", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new("decompress", OptionType.Bool, Default: true), new("ciphers", OptionType.List, Elements: OptionType.Str),
        new("use_netrc", OptionType.Bool, Default: true),
        new("force", OptionType.Bool, Default: false), new("http_agent", Default: "ansible-httpget"),
        new("use_proxy", OptionType.Bool, Default: true), new("validate_certs", OptionType.Bool, Default: true),
        new("force_basic_auth", OptionType.Bool, Default: false), new("client_cert", OptionType.Path),
        new("client_key", OptionType.Path), new("use_gssapi", OptionType.Bool, Default: false),
    }.Concat(FileAttrs.Options).ToList(), SupportsCheckMode: false)
    {
        MutuallyExclusive = new[] { new[] { "body", "src" } },
        CheckModeSkipMessage = "remote module (ansible.legacy.uri) does not support check mode",
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        if (Unsupported.FirstOrDefault(a.Has) is { } option) return Plan.Fail($"Runner's uri does not support {option}");
        if (a.Bool("use_gssapi")) return Plan.Fail("Runner's uri does not support use_gssapi");
        var url = a.Str("url")!;
        var method = a.Str("method")!.ToUpperInvariant();
        if (!Regex.IsMatch(method, "^[A-Z]+$")) return Plan.Fail("Parameter 'method' needs to be a single word in uppercase, like GET or POST.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            return Plan.Fail($"unknown url type: {PyStr.Repr(url)}", new Dict { ["status"] = -1L, ["url"] = url, ["elapsed"] = 0L });
        var headers = ((Dict)a["headers"]!).Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value as string ?? PyStr.Str(kv.Value))).ToList();
        var (body, bodyError) = Body(a.Get("body"), a.Str("body_format")!.ToLowerInvariant(), headers);
        if (bodyError is not null) return Plan.Fail(bodyError, new Dict { ["elapsed"] = 0L });

        var dest = a.Str("dest");
        var creates = a.Str("creates") is { } c ? new PathExistsFact(c) : null;
        var removes = a.Str("removes") is { } r ? new PathExistsFact(r) : null;
        var destStat = dest is null ? null : new FileStatFact(dest, follow: true, checksum: "sha1");
        var tool = new HttpToolFact();
        await ctx.Facts.GetAsync(ct, new Engine.Modules.Facts.Fact?[] { creates, removes, destStat, tool }.OfType<Engine.Modules.Facts.Fact>().ToArray());
        if (creates is not null && await ctx.Facts.GetAsync(creates, ct))
            return Plan.Ok(new Dict { ["stdout"] = $"skipped, since '{a.Str("creates")}' exists" });
        if (removes is not null && !await ctx.Facts.GetAsync(removes, ct))
            return Plan.Ok(new Dict { ["stdout"] = $"skipped, since '{a.Str("removes")}' does not exist" });
        var st = destStat is null ? null : await ctx.Facts.GetAsync(destStat, ct);

        var user = a.Str("url_username") is { Length: > 0 } u ? u : null;
        var force = a.Bool("force_basic_auth") && user is not null;
        var request = new HttpRequest(method, url)
        {
            Headers = HttpRequest.Build(a.Str("http_agent") ?? "", st is { Type: "file" } ? DateTimeOffset.FromUnixTimeMilliseconds((long)(st.Mtime * 1000)).UtcDateTime : null,
                a.Bool("force"), force ? user : null, a.Str("url_password"), headers),
            Body = body, User = force ? null : user, Password = force ? null : a.Str("url_password"),
            ValidateCerts = a.Bool("validate_certs", true), Timeout = a.Long("timeout", 30),
        };
        var destDir = st is { Type: "directory" } ? dest : dest is null ? null : Path.GetDirectoryName(dest);
        var started = DateTime.UtcNow;
        return HttpExchange.Send(await ctx.Facts.GetAsync(tool, ct), request, a.Str("follow_redirects")!,
            new BodySink(destDir is { Length: > 0 } ? destDir : null, Keep: dest is not null, Return: true),
            (info, _) => Task.FromResult(info is null ? Plan.Ok() : Finish(ctx, info, url, dest, st, (long)(DateTime.UtcNow - started).TotalSeconds)));
    }

    /// <summary>The request body for body_format (Ansible's uri main), or an error message; may add a Content-Type header.</summary>
    private static (byte[]? Body, string? Error) Body(object? body, string format, List<KeyValuePair<string, string>> headers)
    {
        void ContentType(string type)
        {
            if (!headers.Any(h => h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase))) headers.Add(new("Content-Type", type));
        }
        switch (format)
        {
            case "json":
                ContentType("application/json");
                return (Encoding.UTF8.GetBytes(body as string ?? AsciiJson(PyStr.JsonDumps(body))), null);
            case "form-urlencoded":
                ContentType("application/x-www-form-urlencoded");
                if (body is null or string) return (body is string s ? Encoding.UTF8.GetBytes(s) : null, null);
                return FormUrlEncoded(body) is { } form ? (Encoding.UTF8.GetBytes(form), null) : (null, "failed to parse body as form_urlencoded: cannot form-urlencode body, expect list or dict");
            case "form-multipart":
                return (null, "Runner's uri does not support body_format form-multipart");
            default:
                return body switch
                {
                    null => (null, null),
                    string s => (Encoding.UTF8.GetBytes(s), null),
                    _ => (null, $"An unknown error occurred: POST data should be bytes, an iterable of bytes, or a file object. It cannot be of type {PyType(body)}."),
                };
        }
    }

    private static string PyType(object v) => v switch { Dict => "dict", List<object?> => "list", bool => "bool", long => "int", double => "float", _ => "str" };

    /// <summary>Python json.dumps's ensure_ascii: every character above U+007F as \uXXXX (UTF-16 units).</summary>
    private static string AsciiJson(string json)
    {
        var sb = new StringBuilder(json.Length);
        foreach (var ch in json) sb.Append(ch > 0x7F ? $"\\u{(int)ch:x4}" : ch.ToString());
        return sb.ToString();
    }

    /// <summary>Ansible's form_urlencoded: a dict's or a list of pairs' items, list values repeated, None values left out, as urlencode.</summary>
    private static string? FormUrlEncoded(object body)
    {
        IEnumerable<(object? Key, object? Values)> pairs;
        if (body is Dict d) pairs = d.Select(kv => ((object?)kv.Key, kv.Value));
        else if (body is List<object?> l)
        {
            var list = new List<(object?, object?)>();
            foreach (var item in l)
            {
                if (item is List<object?> { Count: 2 } p) list.Add((p[0], p[1]));
                else return null;
            }
            pairs = list;
        }
        else return null;
        var parts = new List<string>();
        foreach (var (key, values) in pairs)
        {
            var items = values switch
            {
                Dict vd => vd.Keys.Cast<object?>().ToList(),
                List<object?> vl => vl,
                _ => new List<object?> { values },
            };
            foreach (var v in items.Where(v => v is not null))
                parts.Add(QuotePlus(PyStr.Str(key)) + "=" + QuotePlus(PyStr.Str(v)));
        }
        return string.Join("&", parts);
    }

    /// <summary>Python urllib.parse.quote_plus (safe: letters, digits, "_.-~"; space as '+').</summary>
    private static string QuotePlus(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b == ' ') sb.Append('+');
            else if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'.' or (byte)'-' or (byte)'~') sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    /// <summary>The task's result from fetch_url's info: dest written when the status is accepted, the content and json, the status check.</summary>
    private static Plan Finish(PlanContext ctx, HttpInfo info, string url, string? dest, FileState? destState, long elapsed)
    {
        var a = ctx.Args;
        var statusCodes = a.Get("status_code") as List<object?> ?? new List<object?> { 200L };
        var accepted = statusCodes.Contains((long)info.Status);
        var (contentType, subType, charset) = ContentType(info);
        var suffix = subType.Contains('+') ? subType[(subType.IndexOf('+') + 1)..] : subType;
        var maybeJson = contentType.Length > 0 && JsonTypes.Contains(suffix.ToLowerInvariant());
        var returnContent = a.Bool("return_content");
        var maybeOutput = maybeJson || returnContent || !accepted;

        var resp = new Dict { ["redirected"] = info.Url != url };
        foreach (var (k, v) in info.ToDict()) resp[k] = v;
        // urllib's HTTPError keeps the body in info['body'] unless the module read it for its output
        if (info.IsError && info.Status != -1 && !maybeOutput) resp["body"] = Decode(info.Body ?? Array.Empty<byte>(), charset);
        resp["elapsed"] = elapsed;
        resp["changed"] = false;

        var plan = new Plan();
        string? path = null;
        if (dest is not null && info.Status != -1)
        {
            path = destState is { Type: "directory" } ? Path.Combine(dest, ResponseFilename(info) ?? "index.html") : dest;
            if (accepted && info.Status != 304)
            {
                var sameFile = path == dest ? destState?.Sha1 : null;
                if (BodyPlacement.Place(info, path, unlessSame: true, sameFile) is { } place) plan.Add(place);
                plan.Changed = true;
            }
            else if (BodyPlacement.Discard(info) is { } drop) plan.Add(drop);
            resp["path"] = path;
        }
        else if (BodyPlacement.Discard(info) is { } drop) plan.Add(drop);

        var uresp = new Dict();
        foreach (var (k, v) in resp) uresp[k.Replace("-", "_").ToLowerInvariant()] = v;
        if (uresp.Get("location") is string location) uresp["location"] = AbsoluteLocation(url, location);
        string? content = null;
        if (maybeOutput)
        {
            content = Decode(info.Body ?? Array.Empty<byte>(), charset);
            if (maybeJson)
            {
                try { uresp["json"] = Data.FromJson(System.Text.Json.JsonDocument.Parse(content).RootElement.Clone()); }
                catch (System.Text.Json.JsonException) { /* Ansible leaves json out when the body does not parse */ }
            }
        }
        if (returnContent) uresp["content"] = content;
        plan.Result.Clear();
        foreach (var (k, v) in uresp) if (k != "changed" && k != "msg") plan.Result[k] = v;
        var msg = uresp.Get("msg") as string ?? "";
        if (!accepted) msg = $"Status code was {info.Status} and not {PyStr.Repr(statusCodes)}: {msg}";

        plan.Then = async (_, ct) =>
        {
            if (path is null) return accepted ? Plan.Ok(new Dict { ["msg"] = msg }) : Plan.Fail(msg);
            // the file's attributes (mode/owner/group when written) and Ansible's path info
            var now = await ctx.Facts.GetAsync(new FileStatFact(path), ct);
            if (!accepted || info.Status == 304 || !now.Exists)
            {
                var described = new Dict { ["msg"] = msg };
                FileAttrs.Describe(described, now);
                return accepted ? Plan.Ok(described) : Plan.Fail(msg, described);
            }
            return FileAttrs.Finish(ctx, now, new Dict { ["msg"] = msg });
        };
        return plan;
    }

    /// <summary>Python's to_text(content, encoding=charset) with surrogate escapes as U+FFFD.</summary>
    private static string Decode(byte[] bytes, string charset)
    {
        try { return Encoding.GetEncoding(charset).GetString(bytes); }
        catch (ArgumentException) { return Encoding.UTF8.GetString(bytes); }
    }

    /// <summary>parse_content_type: Python's email get_content_type (text/plain when missing or malformed), the subtype, the charset (utf-8).</summary>
    private static (string Type, string SubType, string Charset) ContentType(HttpInfo info)
    {
        if (info.Status == -1) return ("application/octet-stream", "octet-stream", "utf-8");
        var header = info.Header("content-type");
        var type = "text/plain";
        var charset = "utf-8";
        if (header is not null)
        {
            var parts = header.Split(';');
            var t = parts[0].Trim().ToLowerInvariant();
            if (t.Count(ch => ch == '/') == 1) type = t;
            foreach (var p in parts.Skip(1))
                if (p.Split('=', 2) is [var k, var v] && k.Trim().Equals("charset", StringComparison.OrdinalIgnoreCase)) charset = v.Trim().Trim('"');
        }
        type = type.Split(',')[0];
        return (type, type[(type.IndexOf('/') + 1)..], charset.Split(',')[0]);
    }

    /// <summary>get_response_filename: Content-Disposition's filename, else the final URL's last path segment (unquoted), else null.</summary>
    private static string? ResponseFilename(HttpInfo info)
    {
        if (info.Header("content-disposition") is { } cd && Regex.Match(cd, "filename\\*?=\\s*(?:\"([^\"]*)\"|([^;\\s]+))", RegexOptions.IgnoreCase) is { Success: true } m)
            return m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
        var name = Uri.TryCreate(info.FinalUrl, UriKind.Absolute, out var u) ? Path.GetFileName(u.AbsolutePath.TrimEnd('/')) : "";
        return name.Length > 0 ? Uri.UnescapeDataString(name) : null;
    }

    /// <summary>Ansible's absolute_location for the Location header.</summary>
    private static string AbsoluteLocation(string url, string location)
    {
        if (location.Contains("://")) return location;
        if (location.StartsWith('/'))
        {
            // urlsplit(url).path: after "scheme://netloc", up to '?' or '#'; Ansible removes every occurrence of it
            var start = url.IndexOf("://", StringComparison.Ordinal) is var s and >= 0 ? url.IndexOf('/', s + 3) : -1;
            var path = start < 0 ? "" : url[start..].Split('?', '#')[0];
            return (path.Length == 0 ? url : url.Replace(path, "")) + location;
        }
        var slash = url.LastIndexOf('/');
        return (slash < 0 ? "" : url[..slash]) + "/" + location;
    }
}

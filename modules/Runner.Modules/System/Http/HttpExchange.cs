using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Sys.Http;

/// <summary>Where a response body goes: a file on the target (curl writes it there) and/or back to the controller.</summary>
/// <param name="TempDir">The folder of the body file on the target (dest's folder, so that a move is a rename); null: $TMPDIR or /tmp.</param>
/// <param name="Keep">Leave the final body file for the task (its path is <see cref="HttpInfo.BodyFile"/>); else it is removed.</param>
/// <param name="Return">Bring the body to the controller (<see cref="HttpInfo.Body"/>).</param>
internal sealed record BodySink(string? TempDir, bool Keep, bool Return);

/// <summary>
/// What Ansible's fetch_url (module_utils/urls.py) reports for a request, redirects followed: the status (-1 without a
/// response), the info url (the final URL after a success, else the URL asked for), msg ("OK (N bytes)",
/// "HTTP Error 404: Not Found", "Request failed: ..."), the response headers with lower-cased names (duplicates joined
/// with ", " after a success; the last one after an error), and after a success the cookies set along the way. The body
/// is in <see cref="Body"/> (when returned) and/or on the target in <see cref="BodyFile"/> (curl, when kept); when the
/// controller made the request a kept body is in <see cref="Body"/> too.
/// </summary>
internal sealed record HttpInfo(int Status, string Url, string Msg, bool IsError, Dict Headers, Dict? Cookies, byte[]? Body, string? BodyFile, string FinalUrl)
{
    /// <summary>fetch_url's info dict in its key order: url, status, headers, then cookies_string, cookies, msg (success) or msg (error).</summary>
    public Dict ToDict()
    {
        var d = new Dict { ["url"] = Url, ["status"] = (long)Status };
        foreach (var (k, v) in Headers) d[k] = v;
        if (Cookies is not null)
        {
            d["cookies_string"] = string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}"));
            d["cookies"] = Cookies;
        }
        d["msg"] = Msg;
        d["url"] = Url;
        d["status"] = (long)Status;
        return d;
    }

    /// <summary>A header of the final response by lower-case name, or null.</summary>
    public string? Header(string name) => Headers.Get(name) as string;
}

/// <summary>
/// The plan that sends an HTTP request for uri, get_url and unarchive as Ansible's fetch_url does, on the target's curl
/// when <c>tool</c> is "curl", else from the controller: one step per hop, each redirect decided here as urllib's
/// HTTPRedirectHandler with Ansible's RedirectHandlerFactory (follow_redirects all/yes: any method; safe: GET and HEAD
/// only; none/no: never; urllib2: GET/HEAD, and POST on 301-303; 307/308 keep the method and body, 303 and 302 turn
/// into GET, 301 turns POST into GET; at most 10 redirects and 4 visits of one URL; credentials only for the first
/// host; cookies set along the way are sent on). The request steps change nothing the task reports; in check mode they
/// do not run and the continuation gets null. With retries, a transient reply (no response, 408, 429, 5xx) sends the
/// hop again after 1 s, then 2 s, 4 s, ... (get_url's retries of a flaky server; Ansible's fetch_url has none).
/// </summary>
internal static class HttpExchange
{
    private static readonly int[] RedirectCodes = { 301, 302, 303, 307, 308 };

    /// <summary>The plan sending <paramref name="request"/>; <paramref name="done"/> turns fetch_url's result (null in check mode) into the rest of the task.</summary>
    /// <param name="retries">How many times a transient reply is retried (0: never).</param>
    public static Plan Send(string tool, HttpRequest request, string follow, BodySink sink, Func<HttpInfo?, CancellationToken, Task<Plan>> done, int retries = 0)
    {
        var state = new State(tool, follow, sink, done, request.Url, new Uri(request.Url).Authority) { RetriesLeft = retries };
        return Hop(state, request, null);
    }

    private sealed record State(string Tool, string Follow, BodySink Sink, Func<HttpInfo?, CancellationToken, Task<Plan>> Done, string FirstUrl, string FirstHost)
    {
        public Dictionary<string, int> Visited { get; } = new(StringComparer.Ordinal);
        public Dict Cookies { get; } = new();
        public int RetriesLeft { get; set; }
        public int Retried { get; set; }
    }

    private static Plan Hop(State st, HttpRequest request, string? previousFile)
    {
        var sent = WithCookies(st, request);
        Step step;
        Func<StepOutcome, (HttpReply, string?)> read;
        if (st.Tool == "curl")
        {
            step = CurlHop.Step(sent, st.Sink.TempDir, st.Sink.Keep, st.Sink.Return, previousFile);
            read = o =>
            {
                var (reply, file) = CurlHop.Parse(o.Result!, st.Sink.Return);
                return (reply, st.Sink.Keep ? file : null);
            };
        }
        else
        {
            HttpReply? got = null;
            step = new CallStep($"{sent.Method} {sent.Url} from the controller", async ct =>
            {
                got = await ControllerHop.SendAsync(sent, ct);
                return null;
            }) { CountsAsChange = false };
            read = _ => (got!, null);
        }
        var plan = new Plan().Add(step);
        plan.Then = async (outcomes, ct) =>
        {
            var outcome = outcomes.First(o => ReferenceEquals(o.Step, step));
            if (!outcome.Ran) return await st.Done(null, ct);
            var (reply, file) = read(outcome);
            if (st.RetriesLeft > 0 && reply.Status is -1 or 408 or 429 or >= 500)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, st.Retried++)), ct);
                st.RetriesLeft--;
                return Hop(st, request, file);
            }
            foreach (var (k, v) in reply.Headers)
                if (string.Equals(k, "Set-Cookie", StringComparison.OrdinalIgnoreCase) && v.Split(';')[0].Split('=', 2) is [var name, var value])
                    st.Cookies[name.Trim()] = value.Trim();
            var (next, error) = Redirect(st, request, reply);
            if (next is not null) return Hop(st, next, file);
            return await st.Done(Info(st, request, reply, error, file), ct);
        };
        return plan;
    }

    /// <summary>The request with a Cookie header for the cookies set so far (when it goes to the first host).</summary>
    private static HttpRequest WithCookies(State st, HttpRequest r)
    {
        if (st.Cookies.Count == 0 || new Uri(r.Url).Authority != st.FirstHost) return r;
        var cookie = string.Join("; ", st.Cookies.Select(c => $"{c.Key}={c.Value}"));
        return r with { Headers = r.Headers.Where(h => !string.Equals(h.Key, "Cookie", StringComparison.OrdinalIgnoreCase)).Append(new("Cookie", cookie)).ToList() };
    }

    /// <summary>The next hop's request when <paramref name="reply"/> is a redirect to follow; else null and, for a redirect that is not followed, urllib's error text (null: the reply's own).</summary>
    private static (HttpRequest? Next, string? Error) Redirect(State st, HttpRequest req, HttpReply reply)
    {
        if (!RedirectCodes.Contains(reply.Status)) return (null, null);
        var location = reply.Header("Location") ?? reply.Header("URI");
        if (location is null) return (null, null);
        var method = req.Method;
        var follows = st.Follow switch
        {
            "urllib2" => (reply.Status is 307 or 308 && method is "GET" or "HEAD") || (reply.Status is 301 or 302 or 303 && method is "GET" or "HEAD" or "POST"),
            "all" or "yes" => true,
            "safe" => method is "GET" or "HEAD",
            _ => false,
        };
        if (!follows) return (null, null);
        Uri target;
        try { target = new Uri(new Uri(req.Url), location); }
        catch (UriFormatException) { return (null, null); }
        if (target.Scheme is not ("http" or "https" or "ftp"))
            return (null, $"HTTP Error {reply.Status}: {reply.Reason} - Redirection to url '{target}' is not allowed");
        var url = target.AbsoluteUri.Replace(" ", "%20");
        if (st.Visited.GetValueOrDefault(url) >= 4 || st.Visited.Count >= 10)
            return (null, $"HTTP Error {reply.Status}: The HTTP server returned a redirect error that would lead to an infinite loop.\nThe last 30x error message was:\n{reply.Reason}");
        st.Visited[url] = st.Visited.GetValueOrDefault(url) + 1;

        var keep = reply.Status is 307 or 308 && st.Follow != "urllib2";
        var headers = keep ? req.Headers : req.Headers.Where(h => h.Key.ToLowerInvariant() is not ("content-length" or "content-type" or "transfer-encoding")).ToList();
        if (st.Follow == "urllib2") method = "GET";
        else if (!keep && ((reply.Status is 302 or 303 && method != "HEAD") || (reply.Status == 301 && method == "POST"))) method = "GET";
        var sameHost = target.Authority == st.FirstHost;
        return (req with
        {
            Method = method, Url = url, Headers = headers, Body = keep ? req.Body : null,
            User = sameHost ? req.User : null, Password = sameHost ? req.Password : null,
        }, null);
    }

    /// <summary>fetch_url's info for the final reply: 2xx is a success, anything else urllib's HTTPError (or no response).</summary>
    private static HttpInfo Info(State st, HttpRequest last, HttpReply reply, string? redirectError, string? file)
    {
        var headers = new Dict();
        var body = reply.Body;
        if (reply.Failure is not null) return new HttpInfo(-1, st.FirstUrl, reply.Failure, true, headers, null, body, file, last.Url);
        var ok = reply.Status is >= 200 and < 300;
        foreach (var (k, v) in reply.Headers)
        {
            var key = k.ToLowerInvariant();
            headers[key] = ok && headers.Get(key) is string before ? before + ", " + v : v;
        }
        if (ok)
            return new HttpInfo(reply.Status, last.Url, $"OK ({reply.Header("Content-Length") ?? "unknown"} bytes)", false, headers, new Dict(st.Cookies), body, file, last.Url);
        return new HttpInfo(reply.Status, st.FirstUrl, redirectError ?? $"HTTP Error {reply.Status}: {reply.Reason}", true, headers, null, body, file, last.Url);
    }
}

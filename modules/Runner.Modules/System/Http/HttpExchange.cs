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
    /// <summary>The plan sending <paramref name="request"/>; <paramref name="done"/> turns fetch_url's result (null in check mode) into the rest of the task.</summary>
    /// <param name="retries">How many times a transient reply is retried (0: never).</param>
    public static Plan Send(string tool, HttpRequest request, string follow, BodySink sink, Func<HttpInfo?, CancellationToken, Task<Plan>> done, int retries = 0)
    {
        var state = new State(tool, sink, done, request.Url, new RedirectPolicy(follow, request.Url)) { RetriesLeft = retries };
        return Hop(state, request, null);
    }

    private sealed record State(string Tool, BodySink Sink, Func<HttpInfo?, CancellationToken, Task<Plan>> Done, string FirstUrl, RedirectPolicy Redirects)
    {
        public string FirstHost => Redirects.FirstHost;
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
            var (next, error) = st.Redirects.Next(request, reply);
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

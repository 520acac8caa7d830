namespace Runner.Modules.Sys.Http;

/// <summary>
/// Which redirect fetch_url follows and how the next request looks, as urllib's HTTPRedirectHandler with Ansible's
/// RedirectHandlerFactory (lib/ansible/module_utils/urls.py): follow all/yes: any method; safe: GET and HEAD only;
/// none/no: never; urllib2: GET/HEAD, and POST on 301-303. 307/308 keep the method and body, 303 and 302 turn into
/// GET, 301 turns POST into GET; at most 10 redirects and 4 visits of one URL; credentials only for the first host.
/// One policy per request chain (it counts the visits).
/// </summary>
internal sealed class RedirectPolicy(string follow, string firstUrl)
{
    private static readonly int[] Codes = { 301, 302, 303, 307, 308 };
    private readonly string _follow = follow;
    private readonly Dictionary<string, int> _visited = new(StringComparer.Ordinal);

    /// <summary>The first request's host[:port]: credentials and cookies go only there.</summary>
    public string FirstHost { get; } = new Uri(firstUrl).Authority;

    /// <summary>The next hop's request when <paramref name="reply"/> is a redirect to follow; else null and, for a redirect that is not followed, urllib's error text (null: the reply's own).</summary>
    public (HttpRequest? Next, string? Error) Next(HttpRequest req, HttpReply reply)
    {
        if (!Codes.Contains(reply.Status)) return (null, null);
        var location = reply.Header("Location") ?? reply.Header("URI");
        if (location is null) return (null, null);
        var method = req.Method;
        var follows = _follow switch
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
        if (_visited.GetValueOrDefault(url) >= 4 || _visited.Count >= 10)
            return (null, $"HTTP Error {reply.Status}: The HTTP server returned a redirect error that would lead to an infinite loop.\nThe last 30x error message was:\n{reply.Reason}");
        _visited[url] = _visited.GetValueOrDefault(url) + 1;

        var keep = reply.Status is 307 or 308 && _follow != "urllib2";
        var headers = keep ? req.Headers : req.Headers.Where(h => h.Key.ToLowerInvariant() is not ("content-length" or "content-type" or "transfer-encoding")).ToList();
        if (_follow == "urllib2") method = "GET";
        else if (!keep && ((reply.Status is 302 or 303 && method != "HEAD") || (reply.Status == 301 && method == "POST"))) method = "GET";
        var sameHost = target.Authority == FirstHost;
        return (req with
        {
            Method = method, Url = url, Headers = headers, Body = keep ? req.Body : null,
            User = sameHost ? req.User : null, Password = sameHost ? req.Password : null,
        }, null);
    }
}

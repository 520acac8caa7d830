using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// url (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/url_lookup.html): GETs each URL from the
/// controller (http, https, file) and returns the body, one item per line with split_lines=True (the default).
/// Options: validate_certs, headers, timeout (10 s), username/password (basic auth on challenge, or at once with
/// force_basic_auth), http_agent (ansible-httpget), follow_redirects. Errors as Ansible's: "Received HTTP error for
/// URL : HTTP Error 404: Not Found", "Failed lookup url for URL : REASON".
/// </summary>
internal sealed class UrlLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "url" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var ret = new List<object?>();
        foreach (var t in terms)
        {
            var url = PyOps.Str(t);
            var body = Get(url, call);
            if (call.Bool("split_lines", true)) ret.AddRange(SplitLines(body));
            else ret.Add(body);
        }
        return ret;
    }

    private static string Get(string url, LookupCall call)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) throw new TemplateError($"Failed lookup url for {url} : unknown url type: '{url}'");
        if (uri.IsFile)
        {
            try { return File.ReadAllText(uri.LocalPath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TemplateError($"Failed lookup url for {url} : <urlopen error [Errno 2] No such file or directory: '{uri.LocalPath}'>");
            }
        }
        var handler = new HttpClientHandler { AllowAutoRedirect = call.Str("follow_redirects", "urllib2") is not ("no" or "none" or "False" or "false") };
        if (!call.Bool("validate_certs", true)) handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        if (!call.Bool("use_proxy", true)) handler.UseProxy = false;
        var user = call.Str("username");
        var password = call.Str("password") ?? "";
        if (user is not null && !call.Bool("force_basic_auth", false)) handler.Credentials = new NetworkCredential(user, password);
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(call.Int("timeout", 10)) };
        using var req = new HttpRequestMessage(HttpMethod.Get, uri);
        req.Headers.TryAddWithoutValidation("User-Agent", call.Str("http_agent", "ansible-httpget"));
        if (user is not null && call.Bool("force_basic_auth", false))
            req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        if (call.Option("headers") is IReadOnlyDictionary<string, object?> headers)
            foreach (var (k, v) in headers) req.Headers.TryAddWithoutValidation(k, PyOps.Str(v));
        try
        {
            using var resp = client.Send(req);
            if (!resp.IsSuccessStatusCode)
                throw new TemplateError($"Received HTTP error for {url} : HTTP Error {(int)resp.StatusCode}: {resp.ReasonPhrase}");
            using var reader = new StreamReader(resp.Content.ReadAsStream(), new UTF8Encoding(false));
            return reader.ReadToEnd();
        }
        catch (HttpRequestException e)
        {
            // urllib's URLError shows the socket error as "[Errno N] text"
            var reason = e.InnerException is System.Net.Sockets.SocketException se && Errno(se.SocketErrorCode) is { } n
                ? $"[Errno {n}] {se.Message}" : e.InnerException?.Message ?? e.Message;
            throw new TemplateError($"Failed lookup url for {url} : <urlopen error {reason}>");
        }
        catch (TaskCanceledException)
        {
            throw new TemplateError($"Failed lookup url for {url} : <urlopen error timed out>");
        }
    }

    /// <summary>The Linux errno of a socket error urllib would name.</summary>
    private static int? Errno(System.Net.Sockets.SocketError e) => e switch
    {
        System.Net.Sockets.SocketError.ConnectionRefused => 111,
        System.Net.Sockets.SocketError.HostUnreachable => 113,
        System.Net.Sockets.SocketError.NetworkUnreachable => 101,
        System.Net.Sockets.SocketError.TimedOut => 110,
        System.Net.Sockets.SocketError.ConnectionReset => 104,
        _ => null,
    };
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Runner.Modules.Sys.Http;

/// <summary>
/// One HTTP request made from the controller (HttpClient; no redirect followed, no cookies kept: <see cref="HttpExchange"/>
/// does both as Ansible does), for a target without curl. Credentials answer a 401 challenge (Basic or Digest), as
/// urllib's auth handlers; the timeout covers the whole request. The URL is then reached from the controller's
/// network, not the target's.
/// </summary>
internal static class ControllerHop
{
    /// <summary>Sends <paramref name="r"/>; a request that gets no response gives a failed reply with Ansible's message.</summary>
    public static async Task<HttpReply> SendAsync(HttpRequest r, CancellationToken ct)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None };
        if (!r.ValidateCerts) handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        if (r.User is not null) handler.Credentials = new NetworkCredential(r.User, r.Password ?? "");
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(Math.Max(1, r.Timeout)) };
        using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Url) { Version = HttpVersion.Version11 };
        if (r.Body is not null) request.Content = new ByteArrayContent(r.Body);
        var contentType = false;
        foreach (var (k, v) in r.Headers)
        {
            if (request.Headers.TryAddWithoutValidation(k, v)) continue;
            request.Content ??= new ByteArrayContent(Array.Empty<byte>());
            request.Content.Headers.TryAddWithoutValidation(k, v);
            contentType |= string.Equals(k, "Content-Type", StringComparison.OrdinalIgnoreCase);
        }
        // urllib's default for a request with a body and no Content-Type
        if (r.Body is not null && !contentType) request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            // the values as received (NonValidated: not re-parsed or re-joined)
            var headers = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
                .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();
            var body = r.Method == "HEAD" ? Array.Empty<byte>() : await response.Content.ReadAsByteArrayAsync(ct);
            return new HttpReply((int)response.StatusCode, response.ReasonPhrase ?? "", headers, body);
        }
        catch (HttpRequestException e)
        {
            return HttpReply.Failed((e.InnerException as SocketException)?.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "Request failed: <urlopen error [Errno 111] Connection refused>",
                SocketError.HostNotFound or SocketError.NoData => "Request failed: <urlopen error [Errno -2] Name or service not known>",
                SocketError.TimedOut => "Request failed: <urlopen error timed out>",
                _ => $"Request failed: <urlopen error {e.Message}>",
            });
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return HttpReply.Failed("Request failed: <urlopen error timed out>");
        }
    }
}

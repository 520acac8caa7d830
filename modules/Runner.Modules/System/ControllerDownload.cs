using System.Net;
using System.Net.Http.Headers;
using Runner.Engine.Modules;

namespace Runner.Modules.Sys;

/// <summary>
/// get_url/unarchive downloads for a target without curl or wget: the controller fetches the URL (HttpClient:
/// redirects followed, the timeout in seconds, headers, basic auth sent up front with force_basic_auth or after a 401
/// challenge, If-Modified-Since) and the bytes go to <c>tmp</c> on the target through the connection's atomic write,
/// which checks size and sha256 on the target. The URL is then reached from the controller's network, not the
/// target's: documented in the README.
/// </summary>
internal static class ControllerDownload
{
    /// <summary>Downloads and puts the bytes at <paramref name="tmp"/>; a 304 (with If-Modified-Since) leaves tmp as it is.</summary>
    public static async Task<DownloadResult> FetchAsync(ModuleContext ctx, string url, string tmp, long timeout, List<(string Key, string Value)> headers,
        string? user, string? password, bool validateCerts, bool forceBasicAuth, string? ifModifiedSince, CancellationToken ct)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 50 };
        if (!validateCerts) handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        if (user is not null && !forceBasicAuth) handler.Credentials = new NetworkCredential(user, password ?? "");
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(Math.Max(1, timeout)) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.ParseAdd("ansible-httpget");
        foreach (var (k, v) in headers) request.Headers.TryAddWithoutValidation(k, v);
        if (user is not null && forceBasicAuth)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + (password ?? ""))));
        if (ifModifiedSince is not null && DateTimeOffset.TryParse(ifModifiedSince, out var since)) request.Headers.IfModifiedSince = since;
        try
        {
            using var response = await http.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            if (status is < 200 or >= 300) return new DownloadResult(0, status, response.ReasonPhrase ?? "", "controller");
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            await ctx.Connection.PutFileAsync(bytes, tmp, ctx.Exec, ct);
            return new DownloadResult(0, status, "", "controller");
        }
        catch (HttpRequestException e) { return new DownloadResult(7, 0, $"Request failed: {e.Message}", "controller"); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DownloadResult(28, 0, $"Request failed: the read operation timed out after {timeout} s", "controller");
        }
    }
}

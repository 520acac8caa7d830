using System.Net.Http.Headers;
using System.Text;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;

namespace Runner.Modules.Cloud.Cloudflare;

/// <summary>
/// Cloudflare API v4 (https://developers.cloudflare.com/api/) calls used by cloudflare_dns: zones by name and DNS
/// records (list, create, update, delete). Replies are the v4 envelope {"success", "errors", "messages", "result"};
/// a reply with success false or an error status throws <see cref="CloudApiException"/> carrying the first error's
/// code and message. 429 and 5xx are retried with <see cref="CloudRetry"/>; 4xx (403 bad token) fail at once.
/// </summary>
public sealed class CloudflareClient
{
    /// <summary>The public API root.</summary>
    public const string DefaultBaseUrl = "https://api.cloudflare.com/client/v4";

    private readonly HttpClient _http;
    private readonly string _base;
    private readonly Action<HttpRequestMessage> _auth;

    /// <param name="baseUrl">API root without trailing slash, e.g. https://api.cloudflare.com/client/v4.</param>
    /// <param name="apiToken">Bearer API token; when null, <paramref name="email"/> and <paramref name="apiKey"/> (global key) are used.</param>
    public CloudflareClient(HttpClient http, string baseUrl, string? apiToken, string? email = null, string? apiKey = null)
    {
        _http = http;
        _base = baseUrl.TrimEnd('/');
        _auth = apiToken is not null
            ? r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiToken)
            : r => { r.Headers.TryAddWithoutValidation("X-Auth-Email", email); r.Headers.TryAddWithoutValidation("X-Auth-Key", apiKey); };
    }

    /// <summary>GET /zones?name=NAME: the zone's id, or null when there is none.</summary>
    public async Task<string?> FindZoneIdAsync(string name, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, "/zones?name=" + Uri.EscapeDataString(name), null, ct) as List<object?>)
            ?.OfType<Dict>().FirstOrDefault(z => z.Get("name") as string == name)?.Get("id") as string;

    /// <summary>GET /zones/{zone}/dns_records?type=&amp;name=: the records of that type and full name (all pages).</summary>
    public async Task<List<Dict>> ListRecordsAsync(string zoneId, string type, string name, CancellationToken ct)
    {
        var all = new List<Dict>();
        for (var page = 1; page < 100; page++)
        {
            var (result, info) = await SendFullAsync(HttpMethod.Get,
                $"/zones/{zoneId}/dns_records?type={Uri.EscapeDataString(type)}&name={Uri.EscapeDataString(name)}&per_page=100&page={page}", null, ct);
            var items = (result as List<object?>)?.OfType<Dict>().ToList() ?? new();
            all.AddRange(items);
            var totalPages = info?.Get("total_pages") is long tp ? tp : 1;
            if (page >= totalPages || items.Count == 0) break;
        }
        return all;
    }

    /// <summary>POST /zones/{zone}/dns_records: the created record.</summary>
    public async Task<Dict> CreateRecordAsync(string zoneId, Dict record, CancellationToken ct) =>
        (Dict)(await SendAsync(HttpMethod.Post, $"/zones/{zoneId}/dns_records", record, ct))!;

    /// <summary>PUT /zones/{zone}/dns_records/{id}: the updated record.</summary>
    public async Task<Dict> UpdateRecordAsync(string zoneId, string id, Dict record, CancellationToken ct) =>
        (Dict)(await SendAsync(HttpMethod.Put, $"/zones/{zoneId}/dns_records/{id}", record, ct))!;

    /// <summary>DELETE /zones/{zone}/dns_records/{id}.</summary>
    public Task DeleteRecordAsync(string zoneId, string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"/zones/{zoneId}/dns_records/{id}", null, ct);

    private async Task<object?> SendAsync(HttpMethod method, string path, Dict? body, CancellationToken ct) =>
        (await SendFullAsync(method, path, body, ct)).Result;

    private async Task<(object? Result, Dict? ResultInfo)> SendFullAsync(HttpMethod method, string path, Dict? body, CancellationToken ct)
    {
        using var resp = await CloudRetry.SendAsync(_http, () =>
        {
            var req = new HttpRequestMessage(method, _base + path);
            if (body is not null) req.Content = new StringContent(JsonData.Dumps(body), Encoding.UTF8, "application/json");
            _auth(req);
            return Task.FromResult(req);
        }, ct);
        var text = await resp.Content.ReadAsStringAsync(ct);
        Dict? env;
        try { env = JsonData.Parse(text) as Dict; }
        catch (System.Text.Json.JsonException) { env = null; }
        if (env is null)
            throw new CloudApiException((int)resp.StatusCode, $"HTTP{(int)resp.StatusCode}", $"{method} {path}: the reply is not a JSON envelope");
        if (!resp.IsSuccessStatusCode || env.Get("success") is not true)
        {
            var err = (env.Get("errors") as List<object?>)?.OfType<Dict>().FirstOrDefault();
            throw new CloudApiException((int)resp.StatusCode, PyStr.Str(err?.Get("code") ?? (int)resp.StatusCode),
                err?.Get("message") as string ?? $"HTTP {(int)resp.StatusCode}");
        }
        return (env.Get("result"), env.Get("result_info") as Dict);
    }
}

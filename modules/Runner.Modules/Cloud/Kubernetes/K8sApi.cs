using System.Net.Http.Headers;
using System.Text;
using k8s;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>Where a kind lives: its REST path segment (plural) and whether it is namespaced (from API discovery).</summary>
public sealed record K8sResourceType(string ApiVersion, string Kind, string Plural, bool Namespaced);

/// <summary>
/// Generic Kubernetes REST calls (https://kubernetes.io/docs/reference/using-api/api-concepts/) on top of a
/// KubernetesClient <see cref="IKubernetes"/>: its HttpClient, base URI and credentials are used for every request,
/// so whatever the client was built with (kubeconfig, token, a tunnel's local endpoint) applies. Kinds are resolved
/// through discovery (GET /api/v1, /apis/GROUP/VERSION). Error replies (Status objects) throw
/// <see cref="CloudApiException"/> with the Status reason (NotFound, AlreadyExists, Forbidden, Invalid) and message.
/// 429 and 5xx are retried.
/// </summary>
public sealed class K8sApi
{
    private readonly k8s.Kubernetes _client;
    private readonly Dictionary<string, List<K8sResourceType>> _discovery = new();

    public K8sApi(k8s.Kubernetes client) => _client = client;

    /// <summary>The typed KubernetesClient (for pods and logs).</summary>
    public k8s.Kubernetes Client => _client;

    /// <summary>Resolves apiVersion + kind. Errors: <see cref="CloudApiException"/> "NotFound" when the server does not serve it.</summary>
    public async Task<K8sResourceType> ResolveAsync(string apiVersion, string kind, CancellationToken ct)
    {
        if (!_discovery.TryGetValue(apiVersion, out var list))
        {
            var path = apiVersion.Contains('/') ? "/apis/" + apiVersion : "/api/" + apiVersion;
            var doc = await SendAsync(HttpMethod.Get, path, null, null, ct) as Dict;
            list = ((doc?.Get("resources") as List<object?>) ?? new()).OfType<Dict>()
                .Where(r => r.Get("name") is string n && !n.Contains('/'))
                .Select(r => new K8sResourceType(apiVersion, (string)r["kind"]!, (string)r["name"]!, r.Get("namespaced") is true)).ToList();
            _discovery[apiVersion] = list;
        }
        return list.FirstOrDefault(r => r.Kind == kind) ?? list.FirstOrDefault(r => string.Equals(r.Kind, kind, StringComparison.OrdinalIgnoreCase))
            ?? throw new CloudApiException(404, "NotFound", $"Failed to find exact match for {apiVersion}.{kind} by [kind, name, singularName, shortNames]");
    }

    /// <summary>The collection path: /api/v1/namespaces/NS/pods or /apis/batch/v1/jobs.</summary>
    public static string CollectionPath(K8sResourceType t, string? ns)
    {
        var root = t.ApiVersion.Contains('/') ? "/apis/" + t.ApiVersion : "/api/" + t.ApiVersion;
        return t.Namespaced && ns is not null ? $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{t.Plural}" : $"{root}/{t.Plural}";
    }

    /// <summary>GET one object; null when it does not exist.</summary>
    public async Task<Dict?> GetAsync(K8sResourceType t, string? ns, string name, CancellationToken ct)
    {
        try { return await SendAsync(HttpMethod.Get, CollectionPath(t, ns) + "/" + Uri.EscapeDataString(name), null, null, ct) as Dict; }
        catch (CloudApiException e) when (e.StatusCode == 404) { return null; }
    }

    /// <summary>GET a list (labelSelector/fieldSelector as the API takes them); the items.</summary>
    public async Task<List<Dict>> ListAsync(K8sResourceType t, string? ns, string? labelSelector, string? fieldSelector, CancellationToken ct)
    {
        var q = new List<string>();
        if (!string.IsNullOrEmpty(labelSelector)) q.Add("labelSelector=" + Uri.EscapeDataString(labelSelector));
        if (!string.IsNullOrEmpty(fieldSelector)) q.Add("fieldSelector=" + Uri.EscapeDataString(fieldSelector));
        var list = await SendAsync(HttpMethod.Get, CollectionPath(t, ns) + (q.Count > 0 ? "?" + string.Join('&', q) : ""), null, null, ct) as Dict;
        return ((list?.Get("items") as List<object?>) ?? new()).OfType<Dict>().Select(i =>
        {
            // List items carry no apiVersion/kind; put them back as kubectl does.
            i.TryAdd("apiVersion", t.ApiVersion);
            i.TryAdd("kind", t.Kind);
            return i;
        }).ToList();
    }

    /// <summary>POST (create).</summary>
    public async Task<Dict> CreateAsync(K8sResourceType t, string? ns, Dict obj, CancellationToken ct) =>
        (Dict)(await SendAsync(HttpMethod.Post, CollectionPath(t, ns), obj, "application/json", ct))!;

    /// <summary>PUT (replace; obj should carry metadata.resourceVersion).</summary>
    public async Task<Dict> ReplaceAsync(K8sResourceType t, string? ns, string name, Dict obj, CancellationToken ct) =>
        (Dict)(await SendAsync(HttpMethod.Put, CollectionPath(t, ns) + "/" + Uri.EscapeDataString(name), obj, "application/json", ct))!;

    /// <summary>PATCH with a JSON merge patch (RFC 7386).</summary>
    public async Task<Dict> MergePatchAsync(K8sResourceType t, string? ns, string name, Dict patch, CancellationToken ct) =>
        (Dict)(await SendAsync(HttpMethod.Patch, CollectionPath(t, ns) + "/" + Uri.EscapeDataString(name), patch, "application/merge-patch+json", ct))!;

    /// <summary>DELETE with propagationPolicy (Background, Foreground or Orphan); false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(K8sResourceType t, string? ns, string name, string propagation, CancellationToken ct)
    {
        var body = new Dict { ["apiVersion"] = "v1", ["kind"] = "DeleteOptions", ["propagationPolicy"] = propagation };
        try { await SendAsync(HttpMethod.Delete, CollectionPath(t, ns) + "/" + Uri.EscapeDataString(name), body, "application/json", ct); return true; }
        catch (CloudApiException e) when (e.StatusCode == 404) { return false; }
    }

    private async Task<object?> SendAsync(HttpMethod method, string path, Dict? body, string? contentType, CancellationToken ct)
    {
        var baseUri = _client.BaseUri.ToString().TrimEnd('/');
        using var resp = await CloudRetry.SendAsync(_client.HttpClient, async () =>
        {
            var req = new HttpRequestMessage(method, baseUri + path);
            if (body is not null)
            {
                req.Content = new StringContent(JsonData.Dumps(body), Encoding.UTF8);
                req.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
            }
            req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (_client.Credentials is { } creds) await creds.ProcessHttpRequestAsync(req, ct);
            return req;
        }, ct);
        var text = await resp.Content.ReadAsStringAsync(ct);
        object? parsed;
        try { parsed = text.Length == 0 ? null : JsonData.Parse(text); }
        catch (System.Text.Json.JsonException) { parsed = null; }
        if (!resp.IsSuccessStatusCode)
        {
            var status = parsed as Dict;
            throw new CloudApiException((int)resp.StatusCode, status?.Get("reason") as string ?? resp.StatusCode.ToString(),
                status?.Get("message") as string ?? $"{method} {path}: HTTP {(int)resp.StatusCode}");
        }
        return parsed;
    }
}

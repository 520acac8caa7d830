using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Runner.Tests.Cloud.Fakes;

/// <summary>
/// Fake Kubernetes API server: discovery (/api/v1, /apis/batch/v1), namespaced ServiceAccounts, ConfigMaps, Pods
/// (with /log) and Jobs: GET (one or a list with labelSelector), POST, PUT, PATCH (merge patch), DELETE.
/// Errors are Status objects (404 NotFound, 409 AlreadyExists, 405 MethodNotAllowed). Objects get uid,
/// resourceVersion and creationTimestamp. A created Job spawns one pod (label job-name) and reports
/// Complete (or Failed when <see cref="FailJobs"/>) after <see cref="JobPollsUntilDone"/> GETs of the Job.
/// </summary>
public sealed class FakeKubernetes : FakeHttpServer
{
    private static readonly Dictionary<string, (string Kind, string ApiVersion)> Plurals = new()
    {
        ["serviceaccounts"] = ("ServiceAccount", "v1"), ["configmaps"] = ("ConfigMap", "v1"), ["pods"] = ("Pod", "v1"), ["jobs"] = ("Job", "batch/v1"),
    };

    public Dictionary<string, JsonObject> Objects { get; } = new();
    public List<string> Writes { get; } = new();
    public int JobPollsUntilDone { get; set; } = 2;
    public bool FailJobs { get; set; }
    public string PodLog { get; set; } = "line1\nline2\n";
    private readonly Dictionary<string, int> _jobPolls = new();
    private int _rv = 100;

    /// <summary>A fake on 127.0.0.1.</summary>
    public FakeKubernetes() { }

    /// <summary>A fake listening on <paramref name="bindAddress"/> (a local address, e.g. the lab bridge's).</summary>
    public FakeKubernetes(string bindAddress) : base(bindAddress) { }

    protected override FakeReply Handle(FakeRequest req)
    {
        var path = req.PathAndQuery.Split('?')[0];
        var query = req.PathAndQuery.Contains('?') ? req.PathAndQuery.Split('?', 2)[1] : "";
        if (req.Method == "GET" && path == "/api/v1") return Json(200, Discovery("v1", ("serviceaccounts", "ServiceAccount"), ("configmaps", "ConfigMap"), ("pods", "Pod")));
        if (req.Method == "GET" && path == "/apis/batch/v1") return Json(200, Discovery("batch/v1", ("jobs", "Job")));
        var m = Regex.Match(path, @"^/(?:api/v1|apis/batch/v1)/namespaces/([^/]+)/([a-z]+)(?:/([^/]+))?(/log)?$");
        if (!m.Success || !Plurals.TryGetValue(m.Groups[2].Value, out var type))
            return Status(404, "NotFound", "the server could not find the requested resource");
        var ns = m.Groups[1].Value;
        var plural = m.Groups[2].Value;
        var name = m.Groups[3].Success ? m.Groups[3].Value : null;
        var key = $"{plural}/{ns}/{name}";
        var group = plural == "jobs" ? "batch" : "";

        if (m.Groups[4].Success)
            return Objects.ContainsKey(key) ? new FakeReply(200, "text/plain", PodLog) : Status(404, "NotFound", $"pods \"{name}\" not found", name, "pods");

        if (name is null)
        {
            if (req.Method == "GET")
            {
                var selector = Regex.Match(query, @"labelSelector=([^&]*)");
                var items = Objects.Where(kv => kv.Key.StartsWith($"{plural}/{ns}/")).Select(kv => kv.Value)
                    .Where(o => !selector.Success || Matches(o, Uri.UnescapeDataString(selector.Groups[1].Value)))
                    .Select(o => (JsonNode)o.DeepClone()).ToArray();
                return Json(200, new JsonObject
                {
                    ["kind"] = type.Kind + "List", ["apiVersion"] = type.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = _rv.ToString() }, ["items"] = new JsonArray(items),
                });
            }
            if (req.Method != "POST") return Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            var obj = JsonNode.Parse(req.Body)!.AsObject();
            var objName = (string)obj["metadata"]!["name"]!;
            key = $"{plural}/{ns}/{objName}";
            if (Objects.ContainsKey(key)) return Status(409, "AlreadyExists", $"{plural}{(group == "" ? "" : "." + group)} \"{objName}\" already exists", objName, plural);
            Writes.Add("POST " + key);
            Stamp(obj, ns);
            if (type.Kind == "Job") OnJobCreated(obj, ns, objName);
            Objects[key] = obj;
            return Json(201, obj.DeepClone());
        }

        if (!Objects.TryGetValue(key, out var existing))
            return Status(404, "NotFound", $"{plural}{(group == "" ? "" : "." + group)} \"{name}\" not found", name, plural);
        switch (req.Method)
        {
            case "GET":
                if (type.Kind == "Job") AdvanceJob(existing, key);
                return Json(200, existing.DeepClone());
            case "PUT":
            {
                var obj = JsonNode.Parse(req.Body)!.AsObject();
                Writes.Add("PUT " + key);
                obj["status"] = existing["status"]?.DeepClone();
                Stamp(obj, ns, existing);
                Objects[key] = obj;
                return Json(200, obj.DeepClone());
            }
            case "PATCH":
                if (req.Headers.GetValueOrDefault("Content-Type")?.StartsWith("application/merge-patch+json") != true)
                    return Status(415, "UnsupportedMediaType", "the body of the request was in an unknown format");
                Writes.Add("PATCH " + key);
                MergePatch(existing, JsonNode.Parse(req.Body)!.AsObject());
                existing["metadata"]!["resourceVersion"] = (++_rv).ToString();
                return Json(200, existing.DeepClone());
            case "DELETE":
                Writes.Add("DELETE " + key);
                Objects.Remove(key);
                return Json(200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success", ["details"] = new JsonObject { ["name"] = name, ["kind"] = plural } });
        }
        return Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    private void Stamp(JsonObject obj, string ns, JsonObject? previous = null)
    {
        var md = obj["metadata"]!.AsObject();
        md["namespace"] = ns;
        md["uid"] = previous?["metadata"]?["uid"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        md["resourceVersion"] = (++_rv).ToString();
        md["creationTimestamp"] = previous?["metadata"]?["creationTimestamp"]?.GetValue<string>() ?? "2024-01-01T00:00:00Z";
    }

    private void OnJobCreated(JsonObject job, string ns, string name)
    {
        job["status"] = new JsonObject { ["active"] = 1, ["startTime"] = "2024-01-01T00:00:00Z" };
        var podName = name + "-x7k2p";
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = podName, ["labels"] = new JsonObject { ["job-name"] = name } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = "busybox" }) },
            ["status"] = new JsonObject { ["phase"] = "Running" },
        };
        Stamp(pod, ns);
        Objects[$"pods/{ns}/{podName}"] = pod;
    }

    private void AdvanceJob(JsonObject job, string key)
    {
        _jobPolls[key] = _jobPolls.GetValueOrDefault(key) + 1;
        if (_jobPolls[key] < JobPollsUntilDone || job["status"]?["conditions"] is not null) return;
        var cond = FailJobs
            ? new JsonObject { ["type"] = "Failed", ["status"] = "True", ["reason"] = "BackoffLimitExceeded", ["message"] = "Job has reached the specified backoff limit" }
            : new JsonObject { ["type"] = "Complete", ["status"] = "True" };
        job["status"] = new JsonObject { [FailJobs ? "failed" : "succeeded"] = 1, ["conditions"] = new JsonArray(cond) };
    }

    private static bool Matches(JsonObject o, string selector) => selector.Split(',', StringSplitOptions.RemoveEmptyEntries).All(term =>
    {
        var kv = term.Split('=', 2);
        var v = o["metadata"]?["labels"]?[kv[0]]?.GetValue<string>();
        return kv.Length == 1 ? v is not null : v == kv[1];
    });

    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (k, v) in patch.ToList())
        {
            if (v is null) target.Remove(k);
            else if (v is JsonObject po && target[k] is JsonObject to) MergePatch(to, po);
            else target[k] = v.DeepClone();
        }
    }

    private static JsonObject Discovery(string gv, params (string Name, string Kind)[] rs) => new()
    {
        ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = gv,
        ["resources"] = new JsonArray(rs.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name, ["singularName"] = r.Kind.ToLowerInvariant(), ["namespaced"] = true, ["kind"] = r.Kind,
            ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
        }).ToArray()),
    };

    private static FakeReply Json(int status, JsonNode body) => new(status, "application/json", body.ToJsonString());

    private static FakeReply Status(int code, string reason, string message, string? name = null, string? kind = null) => Json(code, new JsonObject
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = message,
        ["reason"] = reason, ["details"] = name is null ? null : new JsonObject { ["name"] = name, ["kind"] = kind }, ["code"] = code,
    });
}

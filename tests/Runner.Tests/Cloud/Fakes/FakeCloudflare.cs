using System.Text.Json;
using System.Text.Json.Nodes;

namespace Runner.Tests.Cloud.Fakes;

/// <summary>
/// Fake Cloudflare API v4: GET /zones?name=, GET/POST /zones/{id}/dns_records, PUT/DELETE /zones/{id}/dns_records/{id},
/// with the v4 envelope {"success","errors","messages","result"[, "result_info"]}. Requires "Authorization: Bearer TOKEN"
/// (else 400 code 6003 "Invalid request headers"); unknown routes get 404 code 7003. Records live in memory.
/// </summary>
public sealed class FakeCloudflare : FakeHttpServer
{
    public const string Token = "cf-test-token";
    public const string ZoneId = "023e105f4ecef8ad9ca31a8372d0c353";
    public const string ZoneName = "example.test";

    public List<JsonObject> Records { get; } = new();
    public List<string> Writes { get; } = new();
    public int RateLimitNext { get; set; }
    public bool Forbidden { get; set; }
    private int _next = 1;

    protected override FakeReply Handle(FakeRequest req)
    {
        if (req.Headers.GetValueOrDefault("Authorization") != "Bearer " + Token)
            return Fail(400, 6003, "Invalid request headers");
        if (RateLimitNext > 0) { RateLimitNext--; return Fail(429, 971, "Please wait and consider throttling your request speed"); }
        if (Forbidden) return Fail(403, 10000, "Authentication error");
        var path = req.PathAndQuery.Split('?')[0];
        var query = req.PathAndQuery.Contains('?') ? req.PathAndQuery.Split('?', 2)[1] : "";
        var q = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""));
        var recs = $"/client/v4/zones/{ZoneId}/dns_records";
        if (req.Method == "GET" && path == "/client/v4/zones")
        {
            var zones = new JsonArray();
            if (!q.TryGetValue("name", out var n) || n == ZoneName)
                zones.Add(new JsonObject { ["id"] = ZoneId, ["name"] = ZoneName, ["status"] = "active" });
            return Ok(zones, zones.Count);
        }
        if (path == recs && req.Method == "GET")
        {
            var found = new JsonArray(Records.Where(r => (!q.TryGetValue("type", out var t) || (string?)r["type"] == t)
                && (!q.TryGetValue("name", out var nm) || (string?)r["name"] == nm)).Select(r => (JsonNode)r.DeepClone()).ToArray());
            return Ok(found, found.Count);
        }
        if (path == recs && req.Method == "POST")
        {
            var body = JsonNode.Parse(req.Body)!.AsObject();
            var rec = Complete(body, (_next++).ToString("x32"));
            Records.Add(rec);
            Writes.Add("POST");
            return Ok(rec.DeepClone());
        }
        if (path.StartsWith(recs + "/") && req.Method is "PUT" or "DELETE")
        {
            var id = path[(recs.Length + 1)..];
            var existing = Records.FirstOrDefault(r => (string?)r["id"] == id);
            if (existing is null) return Fail(404, 81044, "Record does not exist.");
            Writes.Add(req.Method);
            Records.Remove(existing);
            if (req.Method == "DELETE") return Ok(new JsonObject { ["id"] = id });
            var rec = Complete(JsonNode.Parse(req.Body)!.AsObject(), id);
            Records.Add(rec);
            return Ok(rec.DeepClone());
        }
        return Fail(404, 7003, "Could not route to " + path + ", perhaps your object identifier is invalid?");
    }

    private static JsonObject Complete(JsonObject body, string id)
    {
        var rec = new JsonObject
        {
            ["id"] = id, ["zone_id"] = ZoneId, ["zone_name"] = ZoneName, ["name"] = (string?)body["name"], ["type"] = (string?)body["type"],
            ["content"] = (string?)body["content"], ["proxiable"] = true, ["proxied"] = body["proxied"]?.GetValue<bool>() ?? false,
            ["ttl"] = body["ttl"]?.GetValue<long>() ?? 1, ["locked"] = false, ["created_on"] = "2024-01-01T00:00:00Z", ["modified_on"] = "2024-01-01T00:00:00Z",
        };
        if (body["priority"] is { } p) rec["priority"] = p.GetValue<long>();
        return rec;
    }

    private static FakeReply Ok(JsonNode result, int? count = null)
    {
        var env = new JsonObject { ["success"] = true, ["errors"] = new JsonArray(), ["messages"] = new JsonArray(), ["result"] = result };
        if (count is { } c) env["result_info"] = new JsonObject { ["page"] = 1, ["per_page"] = 100, ["count"] = c, ["total_count"] = c, ["total_pages"] = 1 };
        return new FakeReply(200, "application/json", env.ToJsonString());
    }

    private static FakeReply Fail(int status, int code, string message) => new(status, "application/json",
        new JsonObject
        {
            ["success"] = false, ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
            ["messages"] = new JsonArray(), ["result"] = null,
        }.ToJsonString());
}

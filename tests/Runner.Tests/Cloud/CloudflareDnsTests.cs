using Runner.Engine.Values;
using Runner.Modules.Cloud.Cloudflare;
using Runner.Tests.Cloud.Fakes;
using Runner.Tests.Modules;

namespace Runner.Tests.Cloud;

public class CloudflareDnsTests : IDisposable
{
    private readonly FakeCloudflare _cf = new();
    private readonly CloudHarness _h = new();
    private readonly CloudflareDnsModule _m = new();

    public CloudflareDnsTests()
    {
        _h.Env["CLOUDFLARE_API_TOKEN"] = FakeCloudflare.Token;
        _h.Env["CLOUDFLARE_API_BASE_URL"] = _cf.BaseUrl + "/client/v4";
    }

    public void Dispose() { _cf.Dispose(); _h.Dispose(); }

    private static Dict A(params object?[] extra)
    {
        var d = D.Of("zone", "example.test", "record", "oidc", "type", "A", "value", "192.0.2.10", "ttl", 300);
        foreach (var (k, v) in D.Of(extra)) d[k] = v;
        return d;
    }

    [Fact]
    public async Task CreateNoChangeUpdateDelete()
    {
        var r1 = await _h.Run(_m, A());
        Assert.Equal(true, r1["changed"]);
        var rec = (Dict)((Dict)r1["result"]!)["record"]!;
        Assert.Equal("oidc.example.test", rec["name"]);
        Assert.Equal("192.0.2.10", rec["content"]);
        Assert.Equal(300L, rec["ttl"]);
        Assert.Equal(new[] { "POST" }, _cf.Writes);

        var r2 = await _h.Run(_m, A());
        Assert.Equal(false, r2["changed"]);
        Assert.Single(_cf.Writes);

        var r3 = await _h.Run(_m, A("ttl", 600), diff: true);
        Assert.Equal(true, r3["changed"]);
        Assert.Equal(new[] { "POST", "PUT" }, _cf.Writes);
        Assert.Equal(600L, (long)_cf.Records.Single()["ttl"]!);
        var diff = (Dict)r3["diff"]!;
        Assert.Equal(300L, ((Dict)((List<object?>)((Dict)diff["before"]!)["records"]!)[0]!)["ttl"]);
        Assert.Equal(600L, ((Dict)((List<object?>)((Dict)diff["after"]!)["records"]!)[0]!)["ttl"]);

        var r4 = await _h.Run(_m, A("state", "absent"));
        Assert.Equal(true, r4["changed"]);
        Assert.Empty(_cf.Records);
        Assert.Equal(false, (await _h.Run(_m, A("state", "absent")))["changed"]);
    }

    [Fact]
    public async Task SoloReplacesOtherValuesAndCheckModeWritesNothing()
    {
        await _h.Run(_m, A());
        await _h.Run(_m, A("value", "192.0.2.11"));
        Assert.Equal(2, _cf.Records.Count);
        var c = await _h.Run(_m, A("value", "192.0.2.12", "solo", true), check: true);
        Assert.Equal(true, c["changed"]);
        Assert.Equal(2, _cf.Writes.Count);
        await _h.Run(_m, A("value", "192.0.2.12", "solo", true));
        Assert.Equal("192.0.2.12", (string)_cf.Records.Single()["content"]!);
    }

    [Fact]
    public async Task TxtAndMxRecords()
    {
        var txt = D.Of("zone", "example.test", "record", "@", "type", "TXT", "value", "v=spf1 -all");
        Assert.Equal(true, (await _h.Run(_m, txt))["changed"]);
        Assert.Equal(false, (await _h.Run(_m, txt))["changed"]);
        var mx = D.Of("zone", "example.test", "type", "MX", "value", "mail.example.test", "priority", 10);
        Assert.Equal(true, (await _h.Run(_m, mx))["changed"]);
        Assert.Equal(10L, (long)_cf.Records.Single(r => (string)r["type"]! == "MX")["priority"]!);
        Assert.Equal("example.test", (string)_cf.Records[0]["name"]!);
    }

    [Fact]
    public async Task RateLimitIsRetried()
    {
        _cf.RateLimitNext = 2;
        var r = await _h.Run(_m, A());
        Assert.Equal(true, r["changed"]);
        Assert.Single(_cf.Records);
    }

    [Fact]
    public async Task ForbiddenFailsOnceWithTheApiMessage()
    {
        _cf.Forbidden = true;
        var r = await _h.Run(_m, A());
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Unable to ensure A record oidc.example.test in zone example.test: API error 10000: Authentication error", r["msg"]);
        Assert.Single(_cf.Requests);
    }

    [Fact]
    public async Task UnknownZoneAndMissingToken()
    {
        var r = await _h.Run(_m, A("zone", "nope.test"));
        Assert.Equal("No zone found with name nope.test", r["msg"]);
        _h.Env.Remove("CLOUDFLARE_API_TOKEN");
        var r2 = await _h.Run(_m, A());
        Assert.Equal(true, r2["failed"]);
        Assert.Contains("api_token", (string)r2["msg"]!);
    }
}

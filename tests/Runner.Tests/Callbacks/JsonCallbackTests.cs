using System.Text.Json;
using System.Text.RegularExpressions;
using Runner.Engine.Results;

namespace Runner.Tests.Callbacks;

/// <summary>JsonCallback against the document ansible.posix.json printed for the same run (ansible-core 2.14).</summary>
public sealed class JsonCallbackTests
{
    private static (string Text, JsonElement Root) RunJson()
    {
        var sw = new StringWriter();
        var t = new DateTime(2026, 11, 29, 15, 58, 11, DateTimeKind.Utc);
        var tick = 0;
        CallbackFixture.Run(new JsonCallback(sw, () => t.AddTicks(10 * 1000 * ++tick)));
        var text = sw.ToString();
        return (text, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public void TopLevelKeysAndStats()
    {
        var (text, root) = RunJson();
        Assert.Equal(new[] { "custom_stats", "global_custom_stats", "plays", "stats" }, root.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("{\n    \"custom_stats\": {},\n    \"global_custom_stats\": {},\n    \"plays\": [\n        {\n            \"play\": {", text);
        var stats = root.GetProperty("stats").GetProperty("localhost");
        Assert.Equal(new[] { "changed", "failures", "ignored", "ok", "rescued", "skipped", "unreachable" }, stats.EnumerateObject().Select(p => p.Name));
        Assert.Equal(6, stats.GetProperty("ok").GetInt32());
        Assert.Equal(1, stats.GetProperty("failures").GetInt32());
        Assert.Equal(1, stats.GetProperty("ignored").GetInt32());
    }

    [Fact]
    public void PlayAndTaskHeaders()
    {
        var (_, root) = RunJson();
        var play = root.GetProperty("plays")[0];
        var p = play.GetProperty("play");
        Assert.Equal("First play", p.GetProperty("name").GetString());
        Assert.Equal("/tmp/obs/site.yml:1", p.GetProperty("path").GetString());
        Assert.Equal(new[] { "duration", "id", "name", "path" }, p.EnumerateObject().Select(x => x.Name));
        var iso = new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$");
        Assert.Matches(iso, p.GetProperty("duration").GetProperty("start").GetString()!);
        Assert.Equal("2026-11-29T15:58:11.001000Z", p.GetProperty("duration").GetProperty("start").GetString());
        var tasks = play.GetProperty("tasks");
        Assert.Equal(7, tasks.GetArrayLength());
        var first = tasks[0].GetProperty("task");
        Assert.Equal("say hi", first.GetProperty("name").GetString());
        Assert.Equal("/tmp/obs/site.yml:5", first.GetProperty("path").GetString());
        Assert.Matches(iso, first.GetProperty("duration").GetProperty("end").GetString()!);
        var ids = tasks.EnumerateArray().Select(t => t.GetProperty("task").GetProperty("id").GetString()).Append(p.GetProperty("id").GetString());
        Assert.Equal(8, ids.Distinct().Count());
    }

    [Fact]
    public void HostResultsCarryActionAndLoopItems()
    {
        var (text, root) = RunJson();
        var tasks = root.GetProperty("plays")[0].GetProperty("tasks");
        var hi = tasks[0].GetProperty("hosts").GetProperty("localhost");
        Assert.Equal("debug", hi.GetProperty("action").GetString());
        Assert.Equal("hi", hi.GetProperty("msg").GetString());
        Assert.False(hi.GetProperty("changed").GetBoolean());
        var skipped = tasks[2].GetProperty("hosts").GetProperty("localhost");
        Assert.True(skipped.GetProperty("skipped").GetBoolean());
        var loop = tasks[3].GetProperty("hosts").GetProperty("localhost");
        Assert.Equal(2, loop.GetProperty("results").GetArrayLength());
        Assert.Equal(2, loop.GetProperty("results")[1].GetProperty("item").GetInt32());
        var inc = tasks[5].GetProperty("hosts").GetProperty("localhost");
        Assert.Equal("{\"action\":\"include_tasks\",\"changed\":false,\"include\":\"inc.yml\",\"include_args\":{}}",
            JsonSerializer.Serialize(inc));
        // Python's json.dumps default ensure_ascii=True
        Assert.Contains("\"msg\": \"r\\u00e9al failure\"", text);
    }
}

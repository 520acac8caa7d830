using System.Text.Json;
using Runner.Engine.Values;

namespace Runner.Tests.Templating;

/// <summary>
/// Lookup plugins (lookup/query/q) and with_&lt;lookup&gt; loops against ansible-core 2.14.18: the tasks tagged
/// "lookups" of tests/ansible-recordings/templating-playbook.yml, recorded by record-templating.sh into
/// templating-recorded.json, run by Runner (<see cref="RecordedLookupRun"/>) and compared result by result:
/// each key of "lookups recorded", and each other task's msg, failed flag and loop items (item and msg). Paths
/// are compared relative to each run's playbook folder.
/// </summary>
public class RecordedLookupTests
{
    public static TheoryData<string> LookupKeys()
    {
        var data = new TheoryData<string>();
        foreach (var k in Recording.Result("lookups recorded").GetProperty("msg").EnumerateObject()) data.Add(k.Name);
        return data;
    }

    public static TheoryData<string> OtherTasks()
    {
        var data = new TheoryData<string>();
        foreach (var n in RecordedLookupRun.TaskNames().Where(n => n != "lookups recorded")) data.Add(n);
        foreach (var n in new[] { "role include_vars first_found", "role include_vars first_found result", "role lookups", "role with_fileglob" })
            data.Add("lookuprole : " + n);
        return data;
    }

    [Theory]
    [MemberData(nameof(LookupKeys))]
    public void Lookup_matches_ansible(string key)
    {
        var expected = Recording.Result("lookups recorded").GetProperty("msg").GetProperty(key);
        var actual = Runner("lookups recorded");
        Assert.False(actual.TryGetProperty("failed", out var f) && f.GetBoolean(), actual.GetProperty("msg").ToString());
        Assert.Equal(Normalize(expected, RecordedDir), Normalize(actual.GetProperty("msg").GetProperty(key), RecordedLookupRun.Dir));
    }

    [Theory]
    [MemberData(nameof(OtherTasks))]
    public void Task_matches_ansible(string task)
    {
        var expected = Recording.Result(task);
        var actual = Runner(task);
        Assert.Equal(Failed(expected), Failed(actual));
        Assert.Equal(Msg(expected, RecordedDir), Msg(actual, RecordedLookupRun.Dir));
        Assert.Equal(Items(expected, RecordedDir), Items(actual, RecordedLookupRun.Dir));
    }

    private static JsonElement Runner(string task) =>
        RecordedLookupRun.Result(task) ?? throw new Xunit.Sdk.XunitException($"Runner did not run task '{task}'");

    /// <summary>The recording's playbook folder (from the play's path).</summary>
    private static string RecordedDir
    {
        get
        {
            var text = File.ReadAllText(Path.Combine(Recording.Dir, "templating-recorded.json"));
            var path = JsonDocument.Parse(text[..(text.LastIndexOf('}') + 1)]).RootElement
                .GetProperty("plays")[0].GetProperty("play").GetProperty("path").GetString()!;
            return Path.GetDirectoryName(path[..path.LastIndexOf(':')])!;
        }
    }

    private static bool Failed(JsonElement r) => r.TryGetProperty("failed", out var f) && f.ValueKind == JsonValueKind.True;

    /// <summary>
    /// The msg. An undefined-variable failure is compared without what Runner's task runner words differently for
    /// every undefined variable (not the lookups' concern): Ansible's "The error was: M. M" repeats M and then quotes
    /// the offending line.
    /// </summary>
    private static string Msg(JsonElement r, string dir)
    {
        if (!r.TryGetProperty("msg", out var m)) return "";
        if (m.ValueKind != JsonValueKind.String) return Normalize(m, dir);
        var s = m.GetString()!.Replace(dir, "PLAYBOOK_DIR");
        const string lead = "The task includes an option with an undefined variable. The error was: ";
        if (!s.StartsWith(lead, StringComparison.Ordinal)) return s;
        var rest = s[lead.Length..];
        if (rest.IndexOf("\n\n", StringComparison.Ordinal) is var cut and >= 0) rest = rest[..cut];
        var half = (rest.Length - 2) / 2;
        if (rest.Length > 2 && rest[..half] + ". " + rest[..half] == rest) rest = rest[..half];
        return lead + rest;
    }

    private static List<string> Items(JsonElement r, string dir) =>
        r.TryGetProperty("results", out var rs)
            ? rs.EnumerateArray().Select(x => $"{Get(x, "item", dir)} -> {Get(x, "msg", dir)} failed={Failed(x)}").ToList()
            : new List<string>();

    private static string Get(JsonElement x, string name, string dir) => x.TryGetProperty(name, out var v) ? Normalize(v, dir) : "-";

    /// <summary>Sorted-key JSON with the playbook folder replaced by "PLAYBOOK_DIR".</summary>
    private static string Normalize(JsonElement e, string dir) =>
        PyStr.JsonDumps(Data.FromJson(e), sortKeys: true).Replace(dir, "PLAYBOOK_DIR");
}

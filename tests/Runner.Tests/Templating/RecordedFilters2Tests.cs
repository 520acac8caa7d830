// Expected values: ansible-core 2.14.18 (Jinja 3.1.2), recorded by tests/ansible-recordings/record-templating.sh
// from templating-playbook.yml tasks "filters recorded 2" and "filters recorded 3". Each key of those tasks' msg is one
// case, read from the playbook and the recording at run time, so a new key there is a new test here. Keys listed in
// Pending are filters Runner does not implement yet.
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Tests.Templating;

public class RecordedFilters2Tests
{
    private static readonly string[] Tasks = { "filters recorded 2", "filters recorded 3" };

    private static readonly HashSet<string> Pending = new();

    public static IEnumerable<object[]> Cases() => Tasks.SelectMany(task =>
        Recording.PlaybookMsg(task).Keys.Where(k => !Pending.Contains(k)).Select(k => new object[] { task, k }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_matches_ansible(string task, string key)
    {
        var template = Recording.PlaybookMsg(task)[key];
        var expected = Recording.Result(task).GetProperty("msg").GetProperty(key).GetRawText();
        var vars = new Dictionary<string, object?>(Recording.Vars);
        foreach (var kv in Recording.PlaybookTask(task).Get("vars") as Dict ?? new Dict()) vars[kv.Key] = kv.Value;
        var got = PyStr.JsonDumps(new Templar().Template(template, new DictionaryScope(vars, new[] { Recording.Dir })), sortKeys: true);
        Assert.True(Normalize(expected) == got, $"{key}: expected {expected}, got {got}");
    }

    private static string Normalize(string json) => PyStr.JsonDumps(Data.FromJson(System.Text.Json.JsonDocument.Parse(json).RootElement), sortKeys: true);
}

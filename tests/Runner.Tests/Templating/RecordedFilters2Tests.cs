// Expected values: ansible-core 2.14.18 (Jinja 3.1.2), recorded by tests/ansible-recordings/record-templating.sh
// from templating-playbook.yml task "filters recorded 2". Each key of that task's msg is one case, read from the
// playbook and the recording at run time, so a new key there is a new test here. Keys listed in Pending are
// filters Runner does not implement yet.
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Tests.Templating;

public class RecordedFilters2Tests
{
    private const string Task = "filters recorded 2";

    private static readonly HashSet<string> Pending = new();

    public static IEnumerable<object[]> Cases() => Recording.PlaybookMsg(Task).Keys.Where(k => !Pending.Contains(k)).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_matches_ansible(string key)
    {
        var template = Recording.PlaybookMsg(Task)[key];
        var expected = Recording.Result(Task).GetProperty("msg").GetProperty(key).GetRawText();
        var vars = new Dictionary<string, object?>(Recording.Vars);
        foreach (var kv in (Dict)Recording.PlaybookTask(Task)["vars"]!) vars[kv.Key] = kv.Value;
        var got = PyStr.JsonDumps(new Templar().Template(template, new DictionaryScope(vars, new[] { Recording.Dir })), sortKeys: true);
        Assert.True(Normalize(expected) == got, $"{key}: expected {expected}, got {got}");
    }

    private static string Normalize(string json) => PyStr.JsonDumps(Data.FromJson(System.Text.Json.JsonDocument.Parse(json).RootElement), sortKeys: true);
}

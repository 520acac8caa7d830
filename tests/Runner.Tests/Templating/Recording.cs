using System.Text.Json;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Tests.Templating;

/// <summary>
/// tests/ansible-recordings/templating-playbook.yml and what ansible-core 2.14 returned for it
/// (templating-recorded.json, written by record-templating.sh with the JSON callback): a task's
/// arguments as Runner's YAML loader reads them, and that task's recorded result.
/// </summary>
internal static class Recording
{
    public static string Dir { get; } = FindDir();

    private static readonly Lazy<JsonElement> Json = new(() =>
    {
        var text = File.ReadAllText(Path.Combine(Dir, "templating-recorded.json"));
        // record-templating.sh appends the "ansible [core x.y.z]" line after the JSON document
        return JsonDocument.Parse(text[..(text.LastIndexOf('}') + 1)]).RootElement.Clone();
    });

    private static readonly Lazy<Dict> Play = new(() =>
        (Dict)((List<object?>)YamlLoader.LoadFile(Path.Combine(Dir, "templating-playbook.yml"))!)[0]!);

    /// <summary>The play's vars.</summary>
    public static Dict Vars => (Dict)Play.Value["vars"]!;

    /// <summary>The debug msg dict of the playbook task named <paramref name="task"/>, as written (templates unrendered).</summary>
    public static Dict PlaybookMsg(string task) => (Dict)((Dict)PlaybookTask(task)["debug"]!)["msg"]!;

    /// <summary>The recorded result of the task named <paramref name="task"/> on localhost.</summary>
    public static JsonElement Result(string task)
    {
        foreach (var t in Json.Value.GetProperty("plays")[0].GetProperty("tasks").EnumerateArray())
            if (t.GetProperty("task").GetProperty("name").GetString() == task) return t.GetProperty("hosts").GetProperty("localhost");
        throw new InvalidOperationException($"no task '{task}' in templating-recorded.json: run record-templating.sh");
    }

    public static Dict PlaybookTask(string task) =>
        ((List<object?>)Play.Value["tasks"]!).Cast<Dict>().First(t => (string?)t["name"] == task);

    private static string FindDir()
    {
        var dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "tests", "ansible-recordings"))) dir = Path.GetDirectoryName(dir)!;
        return Path.Combine(dir, "tests", "ansible-recordings");
    }
}

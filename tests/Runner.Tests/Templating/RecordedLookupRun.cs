using System.Text.Json;
using Runner.Cli;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Tests.Templating;

/// <summary>
/// Runs the tasks tagged "lookups" of tests/ansible-recordings/templating-playbook.yml with Runner (in-process, JSON
/// callback) once, for <see cref="RecordedLookupTests"/>. The play (its vars and those tasks only: Runner lacks some
/// modules the rest uses) is written to a temp folder whose files/, templates/ and roles/ link to the recording's;
/// RUNNER_LOOKUP_ENV is set as record-templating.sh sets it.
/// </summary>
internal static class RecordedLookupRun
{
    public const string Tag = "lookups";

    private static readonly Lazy<(string Dir, Dictionary<string, JsonElement> Results)> Run = new(Execute);

    /// <summary>The names of the playbook's tasks tagged "lookups", in order.</summary>
    public static List<string> TaskNames() => LookupTasks().Select(t => PyStr.Str(t["name"])).ToList();

    /// <summary>The folder Runner ran the play from (its playbook_dir).</summary>
    public static string Dir => Run.Value.Dir;

    /// <summary>Runner's result for the task named <paramref name="task"/> on localhost, or null when it did not run.</summary>
    public static JsonElement? Result(string task) => Run.Value.Results.TryGetValue(task, out var r) ? r : null;

    private static List<Dict> LookupTasks()
    {
        var play = (Dict)((List<object?>)YamlLoader.LoadFile(Path.Combine(Recording.Dir, "templating-playbook.yml"))!)[0]!;
        return ((List<object?>)play["tasks"]!).Cast<Dict>()
            .Where(t => t.GetValueOrDefault("tags") is List<object?> tags && tags.Contains(Tag)).ToList();
    }

    private static (string, Dictionary<string, JsonElement>) Execute()
    {
        var dir = Directory.CreateTempSubdirectory("runner-lookups-").FullName;
        foreach (var d in new[] { "files", "templates", "roles" })
            Directory.CreateSymbolicLink(Path.Combine(dir, d), Path.Combine(Recording.Dir, d));
        var play = (Dict)((List<object?>)YamlLoader.LoadFile(Path.Combine(Recording.Dir, "templating-playbook.yml"))!)[0]!;
        var derived = new Dict(play) { ["tasks"] = LookupTasks().Cast<object?>().ToList() };
        var path = Path.Combine(dir, "play.yml");
        File.WriteAllText(path, PyStr.JsonDumps(new List<object?> { derived }));
        Environment.SetEnvironmentVariable("RUNNER_LOOKUP_ENV", "from-env");
        var output = new StringWriter();
        PlayCommand.RunAsync(new[] { "-i", "localhost,", "-c", "local", path, "--stdout-callback", "json" }, output).GetAwaiter().GetResult();
        var text = output.ToString();
        var results = new Dictionary<string, JsonElement>();
        var json = JsonDocument.Parse(text[text.IndexOf('{')..(text.LastIndexOf('}') + 1)]).RootElement.Clone();
        foreach (var t in json.GetProperty("plays")[0].GetProperty("tasks").EnumerateArray())
            if (t.GetProperty("hosts").TryGetProperty("localhost", out var h))
                results[t.GetProperty("task").GetProperty("name").GetString()!] = h;
        return (dir, results);
    }
}

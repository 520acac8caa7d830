using Runner.Engine.Templating;
using Runner.Engine.Yaml;
using Runner.Engine.Values;

namespace Runner.Tests.Templating;

/// <summary>The play vars of tests/ansible-recordings/templating-playbook.yml, loaded with Runner's YAML loader.</summary>
internal static class RecordingVars
{
    public static DictionaryScope Scope(IReadOnlyList<string>? searchPaths = null)
    {
        var dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "tests", "ansible-recordings"))) dir = Path.GetDirectoryName(dir)!;
        var play = (List<object?>)YamlLoader.LoadFile(Path.Combine(dir, "tests", "ansible-recordings", "templating-playbook.yml"))!;
        var vars = (Dict)((Dict)play[0]!)["vars"]!;
        return new DictionaryScope(new Dictionary<string, object?>(vars), searchPaths);
    }
}

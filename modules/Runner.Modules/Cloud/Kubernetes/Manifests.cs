using System.Text.RegularExpressions;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>Reads Kubernetes manifests: one mapping, a list of them, or YAML text with several documents ("---").</summary>
public static class Manifests
{
    /// <summary>The objects in <paramref name="definition"/>; empty documents are skipped. Errors: RunnerException for bad YAML, FormatException for a non-mapping document.</summary>
    public static List<Dict> Read(object? definition, string fileName = "definition")
    {
        var docs = new List<Dict>();
        switch (definition)
        {
            case null: break;
            case Dict d:
                if (d.Get("kind") as string == "List" && d.Get("items") is List<object?> items) docs.AddRange(Read(items, fileName));
                else docs.Add(d);
                break;
            case List<object?> l:
                foreach (var x in l) docs.AddRange(Read(x, fileName));
                break;
            case string text:
                foreach (var part in Regex.Split(text, @"^(?:---|\.\.\.)[ \t]*(?:#.*)?$", RegexOptions.Multiline))
                {
                    if (string.IsNullOrWhiteSpace(part)) continue;
                    docs.AddRange(Read(YamlLoader.Load(part, fileName), fileName));
                }
                break;
            default:
                throw new FormatException($"a manifest must be a mapping, got {PyStr.Repr(definition)}");
        }
        return docs;
    }
}

using System.Text.Json;
using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Galaxy;

/// <summary>
/// A collection's metadata (MANIFEST.json's collection_info, or galaxy.yml normalized as ansible-galaxy 2.14
/// normalizes it: lib/ansible/galaxy/collection/concrete_artifact_manager.py, data/collections_galaxy_meta.yml):
/// namespace, name, version ("*" when galaxy.yml has none), authors, readme, tags, description, license,
/// license_file, dependencies, repository, documentation, homepage, issues; build_ignore from galaxy.yml.
/// </summary>
public sealed record CollectionMeta(Dict Info, List<string> BuildIgnore)
{
    /// <summary>namespace.name</summary>
    public string Fqcn => $"{Namespace}.{Name}";

    /// <summary>The namespace.</summary>
    public string Namespace => PyStr.Str(Info.GetValueOrDefault("namespace"));

    /// <summary>The collection name.</summary>
    public string Name => PyStr.Str(Info.GetValueOrDefault("name"));

    /// <summary>The version text ("*" when unknown).</summary>
    public string Version => Info.GetValueOrDefault("version") is { } v && PyStr.Str(v) is { Length: > 0 } s ? s : "*";

    private static readonly string[] Mandatory = ["authors", "name", "namespace", "readme", "version"];
    private static readonly string[] Lists = ["authors", "license", "tags"];

    /// <summary>Reads a collection folder: MANIFEST.json when present (an installed collection), else galaxy.yml.</summary>
    /// <exception cref="RunnerException">Neither file, unreadable JSON/YAML, or mandatory galaxy.yml keys missing.</exception>
    public static CollectionMeta FromDir(string dir)
    {
        var manifest = Path.Combine(dir, "MANIFEST.json");
        if (File.Exists(manifest)) return FromManifestJson(File.ReadAllText(manifest), manifest);
        var galaxyYml = Path.Combine(dir, "galaxy.yml");
        if (!File.Exists(galaxyYml)) throw new RunnerException($"The collection galaxy.yml path '{galaxyYml}' does not exist.");
        if (YamlLoader.LoadFile(galaxyYml) is not Dict g) throw new RunnerException($"The collection galaxy.yml at '{galaxyYml}' is incorrectly formatted.");
        var missing = Mandatory.Where(k => !g.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new RunnerException($"The collection galaxy.yml at '{galaxyYml}' is missing the following mandatory keys: {string.Join(", ", missing)}");
        var info = new Dict();
        foreach (var key in new[] { "namespace", "name", "version", "authors", "readme", "tags", "description", "license", "license_file",
                     "dependencies", "repository", "documentation", "homepage", "issues" })
        {
            var v = g.GetValueOrDefault(key);
            if (Lists.Contains(key)) v = v switch { null => new List<object?>(), List<object?> l => l, _ => new List<object?> { v } };
            else if (key == "dependencies") v ??= new Dict();
            else if (key == "license_file" && v is string { Length: 0 }) v = null;
            else if (key == "version" && (v is null || PyStr.Str(v).Length == 0)) v = "*";
            info[key] = v is null or string or List<object?> or Dict ? v : PyStr.Str(v);
        }
        var ignore = g.GetValueOrDefault("build_ignore") is List<object?> bi ? bi.Select(PyStr.Str).ToList() : [];
        return new CollectionMeta(info, ignore);
    }

    /// <summary>Reads MANIFEST.json text (its collection_info).</summary>
    /// <exception cref="RunnerException">Not JSON, or no collection_info with a version.</exception>
    public static CollectionMeta FromManifestJson(string json, string where)
    {
        Dict? info;
        try { info = (Data.FromJson(JsonDocument.Parse(json).RootElement) as Dict)?.GetValueOrDefault("collection_info") as Dict; }
        catch (JsonException) { throw new RunnerException("Collection tar file member MANIFEST.json does not contain a valid json string."); }
        if (info is null || info.GetValueOrDefault("version") is null or "")
            throw new RunnerException($"Collection metadata file `MANIFEST.json` at `{where}` is expected to have a valid SemVer version value but got None");
        return new CollectionMeta(info, []);
    }
}

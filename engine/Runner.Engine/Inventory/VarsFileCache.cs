using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Inventory;

/// <summary>
/// Finds and loads group_vars/ and host_vars/ files as Ansible's <c>host_group_vars</c> vars plugin and
/// <c>DataLoader.find_vars_files</c> do: for an entity NAME in folder D, the first existing of D/NAME,
/// D/NAME.yml, D/NAME.yaml, D/NAME.json is used; when it is a folder, every file in it (recursively, sorted,
/// skipping hidden files and backups ending in '~', only files without extension or with .yml/.yaml/.json)
/// is loaded in order. Each folder is listed once and each file parsed once, so 100 hosts cost one listing.
/// </summary>
internal sealed class VarsFileCache
{
    private static readonly string[] Extensions = ["", ".yml", ".yaml", ".json"];
    private readonly Dictionary<string, HashSet<string>?> _listings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dict?> _files = new(StringComparer.Ordinal);

    /// <summary>The vars files for <paramref name="name"/> in <paramref name="folder"/> (e.g. ".../group_vars"), in load order.</summary>
    public List<string> Find(string folder, string name)
    {
        var found = new List<string>();
        var entries = Listing(folder);
        if (entries is null) return found;
        foreach (var ext in Extensions)
        {
            var candidate = name + ext;
            if (!entries.Contains(candidate)) continue;
            var full = Path.Combine(folder, candidate);
            if (Directory.Exists(full)) found.AddRange(DirFiles(full));
            else found.Add(full);
            break;
        }
        return found;
    }

    private static IEnumerable<string> DirFiles(string dir)
    {
        foreach (var entry in Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal))
        {
            if (entry is null || entry.StartsWith('.') || entry.EndsWith('~')) continue;
            var full = Path.Combine(dir, entry);
            var ext = Path.GetExtension(entry);
            if (Directory.Exists(full))
            {
                if (ext.Length == 0) foreach (var f in DirFiles(full)) yield return f;
            }
            else if (ext.Length == 0 || Extensions.Contains(ext)) yield return full;
        }
    }

    private HashSet<string>? Listing(string folder)
    {
        if (_listings.TryGetValue(folder, out var set)) return set;
        set = Directory.Exists(folder)
            ? Directory.GetFileSystemEntries(folder).Select(p => Path.GetFileName(p)!).ToHashSet(StringComparer.Ordinal)
            : null;
        _listings[folder] = set;
        return set;
    }

    /// <summary>The mapping in vars file <paramref name="path"/>; null for an empty file. Errors: not a mapping, bad YAML (exit 4).</summary>
    public Dict? Load(string path)
    {
        if (_files.TryGetValue(path, out var d)) return d;
        var data = YamlLoader.LoadFile(path);
        if (data is not (Dict or null))
            throw new RunnerException($"Invalid variables file '{path}': expected a dictionary of variables, got a {(data is List<object?> ? "list" : "scalar")}",
                SourceMap.Of(data) ?? new SourceLocation(path, 1, 1), exitCode: ExitCodes.ParserError);
        var dict = data as Dict;
        if (dict is { Count: 0 }) dict = null;
        _files[path] = dict;
        return dict;
    }
}

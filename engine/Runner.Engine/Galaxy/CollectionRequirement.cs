using System.Text.RegularExpressions;
using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Galaxy;

/// <summary>
/// One collection to install, as ansible-galaxy 2.14 reads a requirements.yml collections entry or a command-line
/// item (lib/ansible/galaxy/dependency_resolution/dataclasses.py from_requirement_dict; docs "Installing collections
/// with ansible-galaxy"): a string is a name; a mapping has name, version (default "*"), type (galaxy, file, url,
/// dir, subdirs, git) and source. Without a type, an FQCN name is a Galaxy collection and a name that points at
/// something concrete gives the type: "git+" or "git@" a git URL, http(s) a URL, a file a tar.gz, a folder with
/// MANIFEST.json or galaxy.yml a dir, a folder of such folders subdirs. For every type but galaxy the source is
/// the pointer (the name when no source was given).
/// </summary>
public sealed record CollectionRequirement(string? Name, string Version, string? Source, string Type)
{
    /// <summary>namespace.collection, each part a Python identifier (AnsibleCollectionRef.is_valid_collection_name).</summary>
    public static bool IsFqcn(string? name) => name is not null && Regex.IsMatch(name, @"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$");

    /// <summary>Parses a string or mapping entry.</summary>
    /// <exception cref="RunnerException">ansible-galaxy's messages: nothing concrete and no FQCN, an unknown type.</exception>
    public static CollectionRequirement Parse(object? entry)
    {
        var d = entry as Dict ?? new Dict { ["name"] = PyStr.Str(entry) };
        string? Str(string key) => d.GetValueOrDefault(key) is { } v ? PyStr.Str(v) : null;
        var name = Str("name");
        var version = Str("version") is { Length: > 0 } v ? v : "*";
        var type = Str("type");
        var source = Str("source");
        string? pointer = null;
        if (type is null)
        {
            if (IsFqcn(name)) type = "galaxy";
            else if (name is not null && IsConcrete(name)) (pointer, name) = (name, null);
            else throw new RunnerException(NotConcrete(name, source));
            if (pointer is not null)
            {
                type = pointer.StartsWith("git+") || pointer.StartsWith("git@") ? "git"
                    : IsHttp(pointer) ? "url"
                    : File.Exists(pointer) ? "file"
                    : IsCollectionDir(pointer) ? "dir" : "subdirs";
                source = pointer;
            }
        }
        if (type is not ("file" or "galaxy" or "git" or "url" or "dir" or "subdirs"))
            throw new RunnerException("The collection requirement entry key 'type' must be one of file, galaxy, git, dir, subdirs, or url.");
        if (name is null && type == "galaxy")
            throw new RunnerException("Collections requirement entry should contain the key 'name' if it's requested from a Galaxy-like index server.");
        if (type != "galaxy" && source is null) (source, name) = (name, null);
        if (type != "galaxy" && source is null) throw new RunnerException($"The collection requirement of type '{type}' needs a name or a source.");
        return new CollectionRequirement(name, version, source, type);
    }

    private static bool IsHttp(string s) => s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static bool IsConcrete(string s) =>
        s.StartsWith("git+") || s.StartsWith("git@") || IsHttp(s) || File.Exists(s) || IsCollectionDir(s) || IsNamespaceDir(s);

    /// <summary>A folder holding MANIFEST.json (an installed collection) or galaxy.yml (a source tree).</summary>
    public static bool IsCollectionDir(string dir) =>
        File.Exists(Path.Combine(dir, "MANIFEST.json")) || File.Exists(Path.Combine(dir, "galaxy.yml"));

    /// <summary>A folder whose subfolders include a collection folder (a namespace folder).</summary>
    public static bool IsNamespaceDir(string dir) =>
        Directory.Exists(dir) && Directory.EnumerateDirectories(dir).Any(IsCollectionDir);

    private static string NotConcrete(string? name, string? source)
    {
        var tip = source is not null && Directory.Exists(source) || name is not null && Directory.Exists(name)
            ? $"\n\nTip: Make sure you are pointing to the right subdirectory — `{(source is not null && Directory.Exists(source) ? source : name)}` looks like a directory but it is neither a collection, nor a namespace dir."
            : name is { Length: > 0 } ? $"\n\nCould not find {name}." : "";
        return "Neither the collection requirement entry key 'name', nor 'source' point to a concrete resolvable collection artifact. " +
               "Also 'name' is not an FQCN. A valid collection name must be in the format <namespace>.<collection>. " +
               "Please make sure that the namespace and the collection name contain characters from [a-zA-Z0-9_] only." + tip;
    }
}

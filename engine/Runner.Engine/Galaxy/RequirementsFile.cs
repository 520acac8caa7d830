using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Galaxy;

/// <summary>
/// A requirements.yml, as ansible-galaxy 2.14 reads it (lib/ansible/cli/galaxy.py _parse_requirements_file; docs
/// "Installing multiple roles from a file"): the old form is a list of roles; the new form is a mapping with only
/// the keys roles and collections. A role entry may be {include: FILE} (a list of roles in another file).
/// </summary>
public sealed record RequirementsFile(List<RoleRequirement> Roles, List<CollectionRequirement> Collections)
{
    /// <summary>Reads the file at <paramref name="path"/> (absolute).</summary>
    /// <exception cref="RunnerException">ansible-galaxy's messages: the file does not exist, does not parse, is empty,
    /// has other top-level keys, or an include is missing.</exception>
    public static RequirementsFile Load(string path)
    {
        if (!File.Exists(path)) throw new RunnerException($"The requirements file '{path}' does not exist.");
        object? data;
        try { data = YamlLoader.LoadFile(path); }
        catch (RunnerException e) { throw new RunnerException($"Failed to parse the requirements yml at '{path}' with the following error:\n{e.Message}"); }
        if (data is null) throw new RunnerException($"No requirements found in file '{path}'");
        var roles = new List<RoleRequirement>();
        var collections = new List<CollectionRequirement>();
        if (data is List<object?> oldForm)
        {
            foreach (var r in oldForm) roles.AddRange(ParseRole(r, path));
            return new RequirementsFile(roles, collections);
        }
        if (data is not Dict d)
            throw new RunnerException($"Expecting requirements file to be a list of roles or a dict with the keys 'roles' and/or 'collections': '{path}'");
        var extra = d.Keys.Where(k => k is not ("roles" or "collections")).ToList();
        if (extra.Count > 0)
            throw new RunnerException($"Expecting only 'roles' and/or 'collections' as base keys in the requirements file. Found: {string.Join(", ", extra)}");
        foreach (var r in d.GetValueOrDefault("roles") as List<object?> ?? []) roles.AddRange(ParseRole(r, path));
        foreach (var c in d.GetValueOrDefault("collections") as List<object?> ?? []) collections.Add(CollectionRequirement.Parse(c));
        return new RequirementsFile(roles, collections);
    }

    private static IEnumerable<RoleRequirement> ParseRole(object? entry, string file)
    {
        if (entry is not Dict d || d.GetValueOrDefault("include") is not { } include) return [RoleRequirement.Parse(entry)];
        var included = PyStr.Str(include);
        if (!File.Exists(included)) throw new RunnerException($"Failed to find include requirements file '{included}' in '{file}'");
        try { return (YamlLoader.LoadFile(included) as List<object?> ?? []).Select(RoleRequirement.Parse).ToList(); }
        catch (RunnerException e) { throw new RunnerException($"Unable to load data from include requirements file: {file} {e.Message}"); }
    }
}

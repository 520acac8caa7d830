using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Galaxy;

/// <summary>
/// `runner galaxy [role] list [NAME]` and `runner galaxy collection list [NAME]`, as ansible-galaxy 2.14's
/// execute_list_role / execute_list_collection (lib/ansible/cli/galaxy.py): roles as "# PATH" then "- NAME, VERSION"
/// (the version from meta/.galaxy_install_info, else "(unknown version)") for each folder with meta/main.yml;
/// collections per PATH/ansible_collections as a "Collection Version" table (columns at least 10 and 7 wide), or
/// JSON with --format json. A configured path that does not exist is a warning; none usable is an options error (exit 5).
/// Folders are listed in ordinal order (Python lists them in directory order).
/// </summary>
public static class GalaxyList
{
    /// <summary>Lists roles in <see cref="GalaxyOptions.RolesPaths"/>; returns the exit code.</summary>
    public static int Roles(GalaxyOptions o, GalaxyOutput output)
    {
        var name = o.Items.FirstOrDefault();
        var warnings = new List<string>();
        bool pathFound = false, roleFound = false;
        foreach (var path in o.RolesPaths)
        {
            if (!Directory.Exists(path)) { warnings.Add($"- the configured path {path} does not exist."); continue; }
            pathFound = true;
            if (name is not null)
            {
                var dir = Path.Combine(path, name);
                if (Directory.Exists(dir))
                {
                    roleFound = true;
                    output.Line($"# {path}");
                    output.Line(RoleLine(name, dir));
                    break;
                }
                warnings.Add($"- the role {name} was not found");
                continue;
            }
            output.Line($"# {path}");
            foreach (var dir in Directory.EnumerateDirectories(path).OrderBy(d => d, StringComparer.Ordinal))
                if (File.Exists(Path.Combine(dir, "meta", "main.yml")) || File.Exists(Path.Combine(dir, "meta", "main.yaml")))
                    output.Line(RoleLine(Path.GetFileName(dir), dir));
        }
        if (!(roleFound && name is not null)) warnings.ForEach(output.Warning);
        if (!pathFound) throw new RunnerException("- None of the provided paths were usable. Please specify a valid path with --roles-path", exitCode: ExitCodes.BadOptions);
        return ExitCodes.Ok;
    }

    private static string RoleLine(string name, string dir)
    {
        var (_, version) = RoleInstallInfo.Read(dir);
        return $"- {name}, {(string.IsNullOrEmpty(version) ? "(unknown version)" : version)}";
    }

    /// <summary>Lists collections in <see cref="GalaxyOptions.CollectionsPaths"/> (-p entries first); returns the exit code.</summary>
    public static int Collections(GalaxyOptions o, GalaxyOutput output, IReadOnlyCollection<string> defaultPaths, bool json)
    {
        var name = o.Items.FirstOrDefault();
        var warnings = new List<string>();
        var asJson = new Dict();
        bool pathFound = false, found = false;
        foreach (var path in o.CollectionsPaths.Distinct())
        {
            if (!Directory.Exists(path))
            {
                if (!defaultPaths.Contains(path)) warnings.Add($"- the configured path {path} does not exist.");
                continue;
            }
            pathFound = true;
            var root = Path.GetFileName(path.TrimEnd('/')) == "ansible_collections" ? path : Path.Combine(path, "ansible_collections");
            var installed = CollectionInstaller.Installed(root);
            if (name is not null)
            {
                if (!CollectionRequirement.IsFqcn(name)) throw new RunnerException($"Invalid collection name '{name}', name must be in the format <namespace>.<collection>.");
                if (!installed.ContainsKey(name)) { warnings.Add($"- unable to find {name} in collection paths"); continue; }
                found = true;
                installed = new Dictionary<string, string> { [name] = installed[name] };
            }
            if (installed.Count == 0) continue;
            if (json) { asJson[root] = new Dict(installed.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (object?)new Dict { ["version"] = kv.Value }))); continue; }
            var w1 = Math.Max(installed.Keys.Max(k => k.Length), 10);
            var w2 = Math.Max(installed.Values.Max(v => v.Length), 7);
            output.Line($"\n# {root}\n{"Collection".PadRight(w1)} {"Version".PadRight(w2)}\n{new string('-', w1)} {new string('-', w2)}");
            foreach (var (fqcn, version) in installed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                output.Line($"{fqcn.PadRight(w1)} {version.PadRight(w2)}");
        }
        if (!(found && name is not null)) warnings.ForEach(output.Warning);
        if (!pathFound) throw new RunnerException("- None of the provided paths were usable. Please specify a valid path with --collections-path", exitCode: ExitCodes.BadOptions);
        if (json) output.Line(PyStr.JsonDumps(asJson));
        return ExitCodes.Ok;
    }
}

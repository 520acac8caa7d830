using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Galaxy;

/// <summary>
/// Installs roles into the first roles path as ansible-galaxy 2.14 does (lib/ansible/cli/galaxy.py
/// _execute_install_role, lib/ansible/galaxy/role.py install): ROOT/NAME/ holds the archive's role (the folder
/// of its shortest meta/main.yml, prefix stripped) plus meta/.galaxy_install_info; an installed role at the
/// requested version is skipped, another version is kept with a warning unless --force; dependencies from
/// meta/main.yml and meta/requirements.yml that are not plain local names are added to the list. The messages
/// are ansible-galaxy's; a failure is a warning "- NAME was NOT installed successfully: WHY" and, without
/// --ignore-errors, the end of the run (exit 1).
/// </summary>
public sealed class RoleInstaller(GalaxyOptions options, GalaxyOutput output)
{
    /// <summary>Installs every role (and the dependencies found on the way); returns false when one failed and
    /// --ignore-errors was not given.</summary>
    public async Task<bool> InstallAsync(List<RoleRequirement> roles)
    {
        var root = options.RolesPaths[0];
        for (var i = 0; i < roles.Count; i++)
        {
            var role = roles[i];
            var path = Path.Combine(root, role.Name);
            var (installed, version) = RoleInstallInfo.Read(path);
            if (installed)
            {
                if (version != role.Version || options.Force)
                {
                    if (!options.Force)
                    {
                        output.Warning($"- {role.Name} ({version}) is already installed - use --force to change version to {Unspecified(role.Version)}");
                        continue;
                    }
                    output.Line($"- changing role {role.Name} from {version} to {Unspecified(role.Version)}");
                    Remove(path);
                }
                else
                {
                    output.Line($"- {role} is already installed, skipping.");
                    continue;
                }
            }
            Dict? meta;
            try { meta = await InstallOneAsync(role, path); }
            catch (RunnerException e)
            {
                output.Warning($"- {role.Name} was NOT installed successfully: {e.Message} ");
                if (!options.IgnoreErrors) return Fail();
                continue;
            }
            if (!options.NoDeps) AddDependencies(role, path, meta, roles);
        }
        return true;
    }

    private bool Fail()
    {
        output.Error("- you can use --ignore-errors to skip failed roles and finish processing the list.");
        return false;
    }

    private static string Unspecified(string? v) => string.IsNullOrEmpty(v) ? "unspecified" : v;

    private async Task<Dict?> InstallOneAsync(RoleRequirement role, string path)
    {
        var members = await RoleSource.MembersAsync(role, options.TempDir);
        var (prefix, metaItem) = FindMeta(members) ?? throw new RunnerException("this role does not appear to have a meta/main.yml file.");
        Dict? meta;
        try { meta = YamlLoader.Load(System.Text.Encoding.UTF8.GetString(metaItem.Content), metaItem.Name) as Dict; }
        catch (RunnerException) { throw new RunnerException("this role does not appear to have a valid meta/main.yml file."); }
        output.Line($"- extracting {role.Name} to {path}");
        if (File.Exists(path)) throw new RunnerException("the specified roles path exists and is not a directory.");
        if (Directory.Exists(path))
        {
            if (!options.Force) throw new RunnerException($"the specified role {role.Name} appears to already exist. Use --force to replace it.");
            if (!Remove(path))
                throw new RunnerException($"{path} doesn't appear to contain a role.\n  please remove this directory manually if you really want to put the role here.");
        }
        Directory.CreateDirectory(path);
        TarArchive.Extract(members, path, m => prefix.Length == 0 ? m.Name : ReplaceFirst(m.Name, prefix));
        RoleInstallInfo.Write(path, role.Version);
        output.Line($"- {role} was installed successfully");
        return meta;
    }

    private static string ReplaceFirst(string s, string what) => s.IndexOf(what, StringComparison.Ordinal) is var i and >= 0 ? s.Remove(i, what.Length) : s;

    /// <summary>The archive folder holding the role (parent of the shortest-pathed meta/main.yml) and that member.</summary>
    private static (string Prefix, TarItem Meta)? FindMeta(List<TarItem> members)
    {
        (string, TarItem)? best = null;
        foreach (var m in members.Where(m => m.IsFile && (m.Name.Contains("meta/main.yml") || m.Name.Contains("meta/main.yaml"))))
        {
            var parent = Path.GetDirectoryName(Path.GetDirectoryName(m.Name)) ?? "";
            if (best is null || parent.Length < best.Value.Item1.Length) best = (parent, m);
        }
        return best;
    }

    /// <summary>Removes an installed role folder; only one with a meta/main.yml (GalaxyRole.remove's sanity check).</summary>
    private static bool Remove(string path)
    {
        if (!File.Exists(Path.Combine(path, "meta", "main.yml")) && !File.Exists(Path.Combine(path, "meta", "main.yaml"))) return false;
        Directory.Delete(path, recursive: true);
        return true;
    }

    private void AddDependencies(RoleRequirement role, string path, Dict? meta, List<RoleRequirement> roles)
    {
        if (meta is null) { output.Warning($"Meta file {path} is empty. Skipping dependencies."); return; }
        var deps = new List<object?>();
        if (meta.GetValueOrDefault("dependencies") is List<object?> listed) deps.AddRange(listed);
        foreach (var name in new[] { "requirements.yml", "requirements.yaml" })
        {
            var file = Path.Combine(path, "meta", name);
            if (!File.Exists(file)) continue;
            if (YamlLoader.LoadFile(file) is List<object?> reqs) deps.AddRange(reqs);
            break;
        }
        foreach (var entry in deps)
        {
            var dep = RoleRequirement.Parse(entry is Dict d ? new Dict(d.Where(kv => kv.Key is "name" or "role" or "src" or "scm" or "version")) : entry);
            if (!dep.Name.Contains('.') && !dep.Src.Contains('.') && dep.Scm is null) continue;
            var (installed, version) = RoleInstallInfo.Read(Path.Combine(options.RolesPaths[0], dep.Name));
            if (!installed)
            {
                if (roles.Any(r => r.Name == dep.Name)) output.Line($"- dependency {dep.Name} already pending installation.");
                else { output.Line($"- adding dependency: {dep}"); roles.Add(dep); }
            }
            else if (version != dep.Version)
                output.Warning($"- dependency {dep} ({dep.Version}) from role {role.Name} differs from already installed version ({version}), skipping");
            else output.Line($"- dependency {dep.Name} is already installed, skipping.");
        }
    }
}

using Runner.Engine.Errors;
using Runner.Engine.Modules;

namespace Runner.Engine.Galaxy;

/// <summary>
/// `runner galaxy [role|collection] install`, as ansible-galaxy 2.14's execute_install (lib/ansible/cli/galaxy.py):
/// roles from -r FILE (.yml/.yaml) or the positional items into the first roles path; with `galaxy install -r` and
/// no -p, the file's collections too, into the first collections path (with -p they are skipped with a warning);
/// `collection install` installs collections into -p or the first collections path. Runner's one addition: a
/// roles entry that is only the name of a collection Runner implements natively (the seed's `- name:
/// kubernetes.core`, which ansible-galaxy would fetch from Galaxy) installs that collection's metadata.
/// </summary>
public static class GalaxyInstall
{
    /// <summary>Runs the install; returns the exit code (0, or 1 when a role failed without --ignore-errors).</summary>
    /// <exception cref="RunnerException">ansible-galaxy's errors (exit 1), or missing items (exit 5).</exception>
    public static async Task<int> RunAsync(GalaxyOptions options, GalaxyOutput output)
    {
        var temp = Directory.CreateTempSubdirectory("runner-galaxy-").FullName;
        try { return await RunInAsync(options with { TempDir = temp }, output); }
        finally { Directory.Delete(temp, recursive: true); }
    }

    private static async Task<int> RunInAsync(GalaxyOptions o, GalaxyOutput output)
    {
        var file = o.RequirementsFile is null ? null : Path.GetFullPath(o.RequirementsFile);
        List<RoleRequirement> roles = [];
        List<CollectionRequirement> collections = [];
        string? collectionsPath = null;
        if (o.Type == "collection")
        {
            if (file is not null && o.Items.Count > 0) throw new RunnerException("The positional collection_name arg and --requirements-file are mutually exclusive.");
            if (file is null && o.Items.Count == 0) throw new RunnerException("You must specify a collection name or a requirements file.");
            collections = file is not null ? RequirementsFile.Load(file).Collections : o.Items.Select(ParseCollectionItem).ToList();
            collectionsPath = o.CollectionsPaths[0];
        }
        else
        {
            if (file is null && o.Items.Count == 0) throw new RunnerException("- you must specify a user/role name or a roles file", exitCode: ExitCodes.BadOptions);
            if (file is not null)
            {
                if (!(file.EndsWith(".yml") || file.EndsWith(".yaml"))) throw new RunnerException("Invalid role requirements file, it must end with a .yml or .yaml extension");
                var reqs = RequirementsFile.Load(file);
                roles = reqs.Roles.Where(r => o.Items.Count == 0 || o.Items.Contains(r.Name)).ToList();
                var native = roles.Where(IsNativeCollection).ToList();
                roles = roles.Except(native).ToList();
                collections = reqs.Collections.Concat(native.Select(r => new CollectionRequirement(r.Name, r.Version is { Length: > 0 } v ? v : "*", null, "galaxy"))).ToList();
                if (collections.Count > 0 && (!o.ImplicitRole || o.RolesPathGiven))
                {
                    var msg = $"The requirements file '{file}' contains collections which will be ignored. To install these collections run " +
                              "'ansible-galaxy collection install -r' or to install both at the same time run 'ansible-galaxy install -r' without a custom install path.";
                    if (o.ImplicitRole) output.Warning(msg);
                    collections = [];
                }
                else collectionsPath = o.CollectionsPaths[0];
            }
            else roles = o.Items.Select(i => RoleRequirement.Parse(i.Trim())).ToList();
        }
        if (roles.Count == 0 && collections.Count == 0)
        {
            output.Line("Skipping install, no requirements found");
            return ExitCodes.Ok;
        }
        if (roles.Count > 0)
        {
            output.Line("Starting galaxy role install process");
            if (!await new RoleInstaller(o, output).InstallAsync(roles)) return ExitCodes.Error;
        }
        if (collections.Count > 0)
        {
            output.Line("Starting galaxy collection install process");
            await new CollectionInstaller(o, output).InstallAsync(collections, collectionsPath!);
        }
        return ExitCodes.Ok;
    }

    private static bool IsNativeCollection(RoleRequirement r) =>
        r.Scm is null && r.Src == r.Name && ModuleRegistry.NativeCollections.Contains(r.Name);

    /// <summary>A command-line collection item: "NS.NAME[:VERSION]" or a path/URL (ansible-galaxy's Requirement.from_string).</summary>
    private static CollectionRequirement ParseCollectionItem(string item)
    {
        var colon = item.IndexOf(':');
        if (colon > 0 && CollectionRequirement.IsFqcn(item[..colon]) && !File.Exists(item))
            return CollectionRequirement.Parse(new Values.Dict { ["name"] = item[..colon], ["version"] = item[(colon + 1)..] });
        return CollectionRequirement.Parse(item);
    }
}

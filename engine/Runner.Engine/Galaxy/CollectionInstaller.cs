using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Galaxy;

/// <summary>
/// Installs collections as ansible-galaxy 2.14 does (lib/ansible/galaxy/collection/__init__.py install_collections,
/// install, install_artifact, install_src): into PATH/ansible_collections/NS/NAME/ (PATH/ansible_collections when PATH
/// does not already end so), replacing what is there; a tar.gz is extracted as its FILES.json lists
/// (<see cref="CollectionTarInstall"/>), a source folder is built (<see cref="CollectionBuild"/>), a native collection gets its
/// MANIFEST.json only. A collection already installed at a satisfying version is skipped unless --force. The
/// messages are ansible-galaxy's. Dependencies (galaxy.yml dependencies) are not followed.
/// </summary>
public sealed class CollectionInstaller(GalaxyOptions options, GalaxyOutput output)
{
    /// <summary>Installs <paramref name="requirements"/> under <paramref name="path"/>.</summary>
    /// <exception cref="RunnerException">An artifact that cannot be found or read, or a git failure.</exception>
    public async Task InstallAsync(List<CollectionRequirement> requirements, string path)
    {
        if (!options.CollectionsPaths.Any(p => p.StartsWith(path, StringComparison.Ordinal)))
            output.Warning($"The specified collections path '{path}' is not part of the configured Ansible collections paths " +
                           $"'{string.Join(':', options.CollectionsPaths)}'. The installed collection will not be picked up in an Ansible run, " +
                           "unless within a playbook-adjacent collections directory.");
        var root = Path.GetFileName(path.TrimEnd('/')) == "ansible_collections" ? path : Path.Combine(path, "ansible_collections");
        var artifacts = new List<CollectionArtifact>();
        foreach (var req in requirements) artifacts.AddRange(await CollectionArtifact.ResolveAsync(req, options.TempDir));
        var existing = Installed(root);
        bool Satisfied(CollectionArtifact a) =>
            existing.TryGetValue(a.Meta.Fqcn, out var have) && VersionSpec.Meets(have, a.Requested == "*" && !a.IsNative ? a.Meta.Version : a.Requested);
        if (!options.Force && artifacts.All(Satisfied))
        {
            output.Line("Nothing to do. All requested collections are already installed. If you want to reinstall them, consider using `--force`.");
            return;
        }
        output.Line("Process install dependency map");
        output.Line("Starting collection install process");
        Directory.CreateDirectory(root);
        foreach (var a in artifacts)
        {
            if (!options.Force && Satisfied(a))
            {
                output.Line($"'{a.Meta.Fqcn}:{existing[a.Meta.Fqcn]}' is already installed, skipping.");
                continue;
            }
            var dest = Path.Combine(root, a.Meta.Namespace, a.Meta.Name);
            output.Line($"Installing '{a}' to '{dest}'");
            if (Directory.Exists(dest)) Directory.Delete(dest, recursive: true);
            if (a.Members is { } members) CollectionTarInstall.Install(members, a.TarPath!, dest);
            else if (a.Folder is { } folder)
            {
                CollectionBuild.Install(folder, dest, a.Meta);
                output.Line($"Created collection for {a} at {dest}");
            }
            else WriteNative(dest, a.Meta);
            output.Line(a.IsNative
                ? $"{a} was installed successfully (metadata only: Runner implements its modules natively)"
                : $"{a} was installed successfully");
        }
    }

    /// <summary>The collections installed under an ansible_collections folder: FQCN to version (from MANIFEST.json or galaxy.yml).</summary>
    public static Dictionary<string, string> Installed(string root)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root)) return found;
        foreach (var ns in Directory.EnumerateDirectories(root))
            foreach (var coll in Directory.EnumerateDirectories(ns).Where(CollectionRequirement.IsCollectionDir))
            {
                try { var m = CollectionMeta.FromDir(coll); found[m.Fqcn] = m.Version; }
                catch (RunnerException) { }
            }
        return found;
    }

    private static void WriteNative(string dest, CollectionMeta meta)
    {
        Directory.CreateDirectory(dest);
        var manifest = new Dict { ["collection_info"] = meta.Info, ["format"] = 1L };
        File.WriteAllText(Path.Combine(dest, "MANIFEST.json"), PyStr.JsonDumps(manifest, indent: 1));
    }
}

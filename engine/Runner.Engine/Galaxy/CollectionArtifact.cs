using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Engine.Galaxy;

/// <summary>
/// A collection found where a requirement points, ready to install: its metadata and either a tar archive's
/// members, a source folder, or nothing (a collection Runner implements natively: only its metadata is written).
/// </summary>
public sealed record CollectionArtifact(CollectionMeta Meta, string Requested, List<TarItem>? Members, string? Folder, string? TarPath = null)
{
    /// <summary>"namespace.name:version", as ansible-galaxy names a candidate.</summary>
    public override string ToString() => $"{Meta.Fqcn}:{Meta.Version}";

    /// <summary>True for a native collection's metadata-only install.</summary>
    public bool IsNative => Members is null && Folder is null;

    /// <summary>
    /// The collections a requirement points to, offline, as ansible-galaxy 2.14 finds them (concrete_artifact_manager.py):
    /// file: a tar.gz with MANIFEST.json (a file:// URL too); dir: a folder with MANIFEST.json or galaxy.yml;
    /// subdirs: each such subfolder; git: "git+URL[#/subdir][,ref]" (or version) cloned with the controller's git and
    /// checked out at the ref, then read as dir or subdirs. A Galaxy name Runner implements natively
    /// (<see cref="ModuleRegistry.NativeCollections"/>) gives its metadata only; other Galaxy names and http(s) URLs
    /// need a server and are refused.
    /// </summary>
    /// <exception cref="RunnerException">ansible-galaxy's message for a missing or bad artifact, a git failure, or a
    /// source that needs the network.</exception>
    public static async Task<List<CollectionArtifact>> ResolveAsync(CollectionRequirement req, string tempRoot)
    {
        switch (req.Type)
        {
            case "galaxy":
                if (!ModuleRegistry.NativeCollections.Contains(req.Name!))
                    throw new RunnerException($"{req.Name} is a Galaxy collection: Runner installs collections offline only (a tar.gz, a folder or a git URL), and implements natively only {string.Join(", ", ModuleRegistry.NativeCollections)}");
                return [Native(req.Name!, req.Version)];
            case "url":
                if (!req.Source!.StartsWith("file://", StringComparison.Ordinal))
                    throw new RunnerException($"Failed to download collection tar from '{req.Source}': Runner installs collections offline only (a tar.gz, a folder or a git URL)");
                return [FromTar(new Uri(req.Source).LocalPath, req.Version)];
            case "file":
                return [FromTar(req.Source!, req.Version)];
            case "dir":
                return [FromFolder(req.Source!, req.Version)];
            case "subdirs":
                return FromNamespaceFolder(req.Source!);
            default:
                var folder = await GitCheckoutAsync(req, tempRoot);
                return CollectionRequirement.IsCollectionDir(folder) ? [FromFolder(folder, "*")] : FromNamespaceFolder(folder);
        }
    }

    private static CollectionArtifact Native(string fqcn, string version)
    {
        var dot = fqcn.IndexOf('.');
        var info = new Dict
        {
            ["namespace"] = fqcn[..dot], ["name"] = fqcn[(dot + 1)..], ["version"] = VersionSpec.Pinned(version) ?? "*",
            ["authors"] = new List<object?> { "Runner" }, ["readme"] = "README.md", ["tags"] = new List<object?>(),
            ["description"] = "Runner implements this collection's modules natively; this folder holds its metadata only.",
            ["license"] = new List<object?>(), ["license_file"] = null, ["dependencies"] = new Dict(),
            ["repository"] = null, ["documentation"] = null, ["homepage"] = null, ["issues"] = null,
        };
        return new CollectionArtifact(new CollectionMeta(info, []), version, null, null);
    }

    private static CollectionArtifact FromTar(string path, string version)
    {
        if (!File.Exists(path))
            throw new RunnerException($"Collection artifact at '{path}' does not exist.");
        if (!TarArchive.IsTar(path)) throw new RunnerException($"Collection artifact at '{path}' is not a valid tar file.");
        var members = TarArchive.Read(path);
        var manifest = members.FirstOrDefault(m => m.IsFile && m.Name == "MANIFEST.json")
            ?? throw new RunnerException($"Collection at '{path}' does not contain the required file MANIFEST.json.");
        var meta = CollectionMeta.FromManifestJson(System.Text.Encoding.UTF8.GetString(manifest.Content), path);
        return new CollectionArtifact(meta, version, members, null, Path.GetFullPath(path));
    }

    private static CollectionArtifact FromFolder(string dir, string version)
    {
        if (File.Exists(Path.Combine(dir, "MANIFEST.json")) && File.Exists(Path.Combine(dir, "galaxy.yml")))
            throw new RunnerException($"Collection requirement at '{dir}' has both a MANIFEST.json file and a galaxy.yml.\nThe requirement must either be an installed collection directory or a source collection directory, not both.");
        return new CollectionArtifact(CollectionMeta.FromDir(dir), version, null, Path.GetFullPath(dir));
    }

    private static List<CollectionArtifact> FromNamespaceFolder(string dir)
    {
        var found = Directory.Exists(dir)
            ? Directory.EnumerateDirectories(dir).Where(CollectionRequirement.IsCollectionDir).OrderBy(d => d, StringComparer.Ordinal).Select(d => FromFolder(d, "*")).ToList()
            : [];
        return found.Count > 0 ? found
            : throw new RunnerException($"Neither the collection requirement entry key 'name', nor 'source' point to a concrete resolvable collection artifact: `{dir}` is neither a collection, nor a namespace dir.");
    }

    /// <summary>Clones a git source into a temporary folder and checks out the ref; returns the collection folder
    /// (the URL's #fragment subfolder when given). ansible-galaxy's parse_scm: "URL,REF" or the version; HEAD by default.</summary>
    private static async Task<string> GitCheckoutAsync(CollectionRequirement req, string tempRoot)
    {
        var src = req.Source!;
        var version = req.Version;
        var comma = src.IndexOf(',');
        if (comma >= 0) (src, version) = (src[..comma], src[(comma + 1)..]);
        else if (version is "*" or "") version = "HEAD";
        var url = src.StartsWith("git+") ? src[4..] : src;
        var hash = url.IndexOf('#');
        var fragment = hash >= 0 ? url[(hash + 1)..].Trim('/') : "";
        if (hash >= 0) url = url[..hash];
        var dir = Directory.CreateDirectory(Path.Combine(tempRoot, "collection-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var clone = version == "HEAD" ? new[] { "clone", "--depth=1", url, dir } : ["clone", url, dir];
        var r = await Git.RunAsync(tempRoot, url, clone);
        if (r.ExitCode != 0) throw new RunnerException($"Failed to clone a Git repository from `{url}`. ({r.OneLineError})");
        r = await Git.RunAsync(dir, url, "checkout", version);
        if (r.ExitCode != 0)
            throw new RunnerException($"Failed to switch a cloned Git repo `{url}` to the requested revision `{version}`. ({r.OneLineError})");
        return fragment.Length > 0 ? Path.Combine(dir, fragment) : dir;
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Galaxy;

/// <summary>
/// Extracts a collection artifact as ansible-galaxy 2.14's install_artifact does (lib/ansible/galaxy/collection/
/// __init__.py): MANIFEST.json and FILES.json, then exactly the entries FILES.json lists: folders, and files whose
/// sha256 must match ("Checksum mismatch for 'F' inside collection at 'TAR'"), mode 0644 (0755 when executable in
/// the archive); symbolic links must stay inside the collection. On a failure the half-written folder is removed.
/// </summary>
public static class CollectionTarInstall
{
    /// <summary>Installs the archive's <paramref name="members"/> (read from <paramref name="tarPath"/>) into the new folder <paramref name="dest"/>.</summary>
    /// <exception cref="RunnerException">A listed member missing, a checksum mismatch, a path leaving the folder, bad FILES.json.</exception>
    public static void Install(List<TarItem> members, string tarPath, string dest)
    {
        var byName = new Dictionary<string, TarItem>(StringComparer.Ordinal);
        foreach (var m in members) byName[m.Name.TrimEnd('/')] = m;
        TarItem Member(string name) => byName.TryGetValue(name, out var m) ? m
            : throw new RunnerException($"Collection tar at '{tarPath}' does not contain the expected file '{name}'.");
        Directory.CreateDirectory(dest);
        try
        {
            var files = Member("FILES.json");
            List<object?> entries;
            try { entries = (Data.FromJson(JsonDocument.Parse(files.Content).RootElement) as Dict)?.GetValueOrDefault("files") as List<object?> ?? []; }
            catch (JsonException) { throw new RunnerException("Collection tar file member FILES.json does not contain a valid json string."); }
            var wanted = new List<(TarItem Item, string? Sha)> { (Member("MANIFEST.json"), null), (files, null) };
            var dirs = new List<string>();
            foreach (var e in entries.OfType<Dict>())
            {
                var name = PyStr.Str(e.GetValueOrDefault("name"));
                if (name == ".") continue;
                if (PyStr.Str(e.GetValueOrDefault("ftype")) == "file") wanted.Add((Member(name), e.GetValueOrDefault("chksum_sha256") as string));
                else { Member(name); dirs.Add(name); }
            }
            foreach (var (item, sha) in wanted)
                if (sha is not null && item.IsFile && Convert.ToHexStringLower(SHA256.HashData(item.Content)) != sha)
                    throw new RunnerException($"Checksum mismatch for '{item.Name}' inside collection at '{tarPath}'");
            TarArchive.Extract(wanted.Select(w => w.Item).Concat(dirs.Select(d => byName[d])), dest, m => m.Name.TrimEnd('/'), directories: true);
            foreach (var (item, _) in wanted.Where(w => w.Item.IsFile))
                CollectionBuild.Chmod(Path.Combine(dest, item.Name), (item.Mode & UnixFileMode.UserExecute) != 0 ? 0x1ed : 0x1a4);
        }
        catch
        {
            Directory.Delete(dest, recursive: true);
            throw;
        }
    }
}

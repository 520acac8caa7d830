using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Inventory;
using Runner.Engine.Values;

namespace Runner.Engine.Galaxy;

/// <summary>
/// Installs a collection source folder as ansible-galaxy 2.14 installs a dir or git source (lib/ansible/galaxy/
/// collection/__init__.py install_src, _build_files_manifest_walk, _build_collection_dir): the folder's files
/// minus the build ignores (MANIFEST.json, FILES.json, galaxy.yml, galaxy.yaml, .git, *.pyc, *.retry, tests/output,
/// NS-NAME-*.tar.gz, VCS folders and galaxy.yml's build_ignore, as fnmatch patterns on the relative path), plus a
/// generated FILES.json (every entry with its sha256) and MANIFEST.json (collection_info and FILES.json's sha256),
/// JSON as Python's json.dumps(indent=True). Files are mode 0644, executables and folders 0755. Entries are in
/// ordinal order (Python lists them in directory order).
/// </summary>
public static class CollectionBuild
{
    /// <summary>Writes the installed collection for source <paramref name="src"/> into the new folder <paramref name="dest"/>.</summary>
    public static void Install(string src, string dest, CollectionMeta meta)
    {
        var ignores = new[] { "MANIFEST.json", "FILES.json", "galaxy.yml", "galaxy.yaml", ".git", "*.pyc", "*.retry", "tests/output",
                $"{meta.Namespace}-{meta.Name}-*.tar.gz" }.Concat(meta.BuildIgnore)
            .Select(p => new Regex("^" + HostPattern.FnmatchToRegex(p) + @"\z", RegexOptions.Singleline)).ToList();
        var entries = new List<object?> { Entry(".", "dir", null) };
        var copies = new List<(string Rel, bool Dir)>();
        void Walk(string dir)
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(dir).OrderBy(p => p, StringComparer.Ordinal))
            {
                var rel = Path.GetRelativePath(src, path);
                if (ignores.Any(r => r.IsMatch(rel))) continue;
                if (Directory.Exists(path))
                {
                    if (RoleSource.VcsFolders.Contains(Path.GetFileName(path))) continue;
                    entries.Add(Entry(rel, "dir", null));
                    copies.Add((rel, true));
                    if (new DirectoryInfo(path).LinkTarget is null) Walk(path);
                }
                else
                {
                    entries.Add(Entry(rel, "file", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))));
                    copies.Add((rel, false));
                }
            }
        }
        Walk(src);
        var files = PyStr.JsonDumps(new Dict { ["files"] = entries, ["format"] = 1L }, indent: 1);
        var manifest = new Dict
        {
            ["collection_info"] = meta.Info,
            ["file_manifest_file"] = new Dict
            {
                ["name"] = "FILES.json", ["ftype"] = "file", ["chksum_type"] = "sha256",
                ["chksum_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(files))), ["format"] = 1L,
            },
            ["format"] = 1L,
        };
        Directory.CreateDirectory(dest);
        Chmod(dest, 0x1ed);
        WriteFile(Path.Combine(dest, "MANIFEST.json"), Encoding.UTF8.GetBytes(PyStr.JsonDumps(manifest, indent: 1)), false);
        WriteFile(Path.Combine(dest, "FILES.json"), Encoding.UTF8.GetBytes(files), false);
        foreach (var (rel, isDir) in copies.OrderBy(c => c.Rel, StringComparer.Ordinal))
        {
            var from = Path.Combine(src, rel);
            var to = Path.Combine(dest, rel);
            if (isDir) { Directory.CreateDirectory(to); Chmod(to, 0x1ed); }
            else WriteFile(to, File.ReadAllBytes(from), !OperatingSystem.IsWindows() && (File.GetUnixFileMode(from) & UnixFileMode.UserExecute) != 0);
        }
    }

    private static void WriteFile(string path, byte[] content, bool executable)
    {
        File.WriteAllBytes(path, content);
        Chmod(path, executable ? 0x1ed : 0x1a4);
    }

    /// <summary>Sets Unix mode bits (octal 0755 is 0x1ed); nothing on Windows.</summary>
    internal static void Chmod(string path, int mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    /// <summary>One FILES.json entry: name, ftype, chksum_type, chksum_sha256, format.</summary>
    private static Dict Entry(string name, string ftype, string? sha256) => new()
    {
        ["name"] = name, ["ftype"] = ftype, ["chksum_type"] = sha256 is null ? null : "sha256", ["chksum_sha256"] = sha256, ["format"] = 1L,
    };
}

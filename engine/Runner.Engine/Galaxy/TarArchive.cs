using System.Formats.Tar;
using System.IO.Compression;
using Runner.Engine.Errors;

namespace Runner.Engine.Galaxy;

/// <summary>One member of a tar archive read into memory: its path inside the archive (no leading "./"),
/// kind, link target (symbolic links), Unix mode bits and content (regular files).</summary>
public sealed record TarItem(string Name, TarEntryType Kind, string LinkName, UnixFileMode Mode, byte[] Content)
{
    /// <summary>A regular file (any tar flavour's regular-file types).</summary>
    public bool IsFile => Kind is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;

    /// <summary>A symbolic link.</summary>
    public bool IsSymlink => Kind == TarEntryType.SymbolicLink;
}

/// <summary>
/// Reads .tar and .tar.gz archives (gzip found by its magic bytes, not the name) and extracts members safely:
/// a member whose path or link target leaves the destination is refused, as ansible-galaxy 2.14 refuses it
/// (lib/ansible/galaxy/role.py, "is not a subpath of the role").
/// </summary>
public static class TarArchive
{
    /// <summary>True when the file is a readable tar or gzip-compressed tar archive.</summary>
    public static bool IsTar(string path)
    {
        try { return Read(path).Count > 0; }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Every member, in archive order.</summary>
    /// <exception cref="InvalidDataException">Not a tar archive.</exception>
    public static List<TarItem> Read(string path)
    {
        using var file = File.OpenRead(path);
        var magic = new byte[2];
        var gz = file.Read(magic, 0, 2) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        using Stream stream = gz ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(stream);
        var items = new List<TarItem>();
        while (reader.GetNextEntry() is { } e)
        {
            if (e.EntryType is TarEntryType.GlobalExtendedAttributes) continue;
            var content = Array.Empty<byte>();
            if (e.DataStream is { } ds) { using var ms = new MemoryStream(); ds.CopyTo(ms); content = ms.ToArray(); }
            var name = e.Name.StartsWith("./") ? e.Name[2..] : e.Name;
            if (name.Length == 0 || name == ".") continue;
            items.Add(new TarItem(name, e.EntryType, e.LinkName ?? "", e.Mode, content));
        }
        return items;
    }

    /// <summary>
    /// Writes regular files and symbolic links of <paramref name="items"/> under <paramref name="dest"/>: each at the
    /// path <paramref name="relativePath"/> gives (null skips the member). Directories are created as needed, and for
    /// directory members too when <paramref name="directories"/> (a collection keeps its empty folders; a role does not).
    /// </summary>
    /// <exception cref="RunnerException">A member or link target outside <paramref name="dest"/>.</exception>
    public static void Extract(IEnumerable<TarItem> items, string dest, Func<TarItem, string?> relativePath, bool directories = false)
    {
        var root = Path.GetFullPath(dest).TrimEnd('/') + "/";
        foreach (var item in items)
        {
            var isDir = item.Kind == TarEntryType.Directory;
            if (!(item.IsFile || item.IsSymlink || directories && isDir) || relativePath(item) is not { Length: > 0 } rel) continue;
            var target = Path.GetFullPath(Path.Combine(root, rel.TrimStart('/')));
            if (!target.StartsWith(root, StringComparison.Ordinal))
                throw new RunnerException($"Invalid name for tarfile member: path {target} is not a subpath of the role {root.TrimEnd('/')}");
            if (isDir) { Directory.CreateDirectory(target); continue; }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (item.IsSymlink)
            {
                var linkTarget = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(target)!, item.LinkName));
                if (!linkTarget.StartsWith(root, StringComparison.Ordinal))
                    throw new RunnerException($"Invalid linkname for tarfile member: path {linkTarget} is not a subpath of the role {root.TrimEnd('/')}");
                if (File.Exists(target) || Directory.Exists(target)) File.Delete(target);
                File.CreateSymbolicLink(target, item.LinkName);
                continue;
            }
            File.WriteAllBytes(target, item.Content);
            var mode = item.Mode & (UnixFileMode)0x1ff;
            if (mode != 0) CollectionBuild.Chmod(target, (int)(mode | UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }
}

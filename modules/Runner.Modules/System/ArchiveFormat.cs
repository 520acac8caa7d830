using Runner.Engine.Connections;

namespace Runner.Modules.Sys;

/// <summary>
/// The archive kinds unarchive handles and their list/extract commands on the target (GNU tar, unzip):
/// .tar, .tar.gz/.tgz, .tar.bz2/.tbz2, .tar.xz/.txz, .tar.zst/.tzst, .zip. Ansible names the handler in its result
/// ("TarArchive", "TgzArchive", "TarBzipArchive", "TarXzArchive", "TarZstdArchive", "ZipArchive").
/// </summary>
internal sealed record ArchiveFormat(string Handler, string TarFlag, bool IsZip)
{
    /// <summary>The format from the file name, or null when the name has no known suffix.</summary>
    public static ArchiveFormat? FromName(string name)
    {
        var n = name.ToLowerInvariant();
        if (n.EndsWith(".zip")) return new("ZipArchive", "", true);
        if (n.EndsWith(".tar.gz") || n.EndsWith(".tgz")) return new("TgzArchive", "-z", false);
        if (n.EndsWith(".tar.bz2") || n.EndsWith(".tbz2") || n.EndsWith(".tbz")) return new("TarBzipArchive", "-j", false);
        if (n.EndsWith(".tar.xz") || n.EndsWith(".txz")) return new("TarXzArchive", "-J", false);
        if (n.EndsWith(".tar.zst") || n.EndsWith(".tzst")) return new("TarZstdArchive", "--zstd", false);
        if (n.EndsWith(".tar")) return new("TarArchive", "", false);
        return null;
    }

    /// <summary>The format from `file`-less sniffing on the target: the first bytes as hex (od), or null.</summary>
    public static ArchiveFormat? FromMagic(string hex)
    {
        if (hex.StartsWith("504b0304")) return new("ZipArchive", "", true);
        if (hex.StartsWith("1f8b")) return new("TgzArchive", "-z", false);
        if (hex.StartsWith("425a68")) return new("TarBzipArchive", "-j", false);
        if (hex.StartsWith("fd377a585a00")) return new("TarXzArchive", "-J", false);
        if (hex.StartsWith("28b52ffd")) return new("TarZstdArchive", "--zstd", false);
        return new("TarArchive", "", false);
    }

    /// <summary>The command listing member names, one a line.</summary>
    public string ListCommand(string archive) => IsZip
        ? $"unzip -Z1 {ShellQuote.Quote(archive)}"
        : $"tar {TarFlag} -tf {ShellQuote.Quote(archive)}".Replace("  ", " ");

    /// <summary>The command extracting the archive into <paramref name="dir"/> with include/exclude patterns and extra options.</summary>
    public string ExtractCommand(string archive, string dir, IReadOnlyList<string> include, IReadOnlyList<string> exclude, IReadOnlyList<string> extra)
    {
        if (IsZip)
        {
            var w = new List<string> { "unzip", "-o", "-q" };
            w.AddRange(extra);
            w.Add(archive);
            w.AddRange(include);
            if (exclude.Count > 0) { w.Add("-x"); w.AddRange(exclude); }
            w.Add("-d"); w.Add(dir);
            return ShellQuote.Join(w);
        }
        var t = new List<string> { "tar" };
        if (TarFlag.Length > 0) t.Add(TarFlag);
        t.AddRange(new[] { "--extract", "-C", dir });
        foreach (var e in exclude) t.Add("--exclude=" + e);
        t.AddRange(extra);
        t.Add("-f"); t.Add(archive);
        t.AddRange(include);
        return ShellQuote.Join(t);
    }
}

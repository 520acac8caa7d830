namespace Runner.Modules.Sys;

/// <summary>
/// get_url's checksum option ("algorithm:value", value a hex digest or the URL of a checksum file) as Ansible's
/// get_url parses it, and the coreutils command computing each digest on the target.
/// </summary>
internal static class Checksums
{
    /// <summary>Algorithm name to the coreutils tool printing that digest.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tools = new Dictionary<string, string>
    {
        ["md5"] = "md5sum", ["sha1"] = "sha1sum", ["sha224"] = "sha224sum", ["sha256"] = "sha256sum",
        ["sha384"] = "sha384sum", ["sha512"] = "sha512sum",
    };

    /// <summary>
    /// Splits "sha256:abc..." into (algorithm, value). Errors (as message): a missing ':' or an unknown algorithm give
    /// "The checksum parameter has to be in format <algorithm>:<checksum>" / "Unsupported hash algorithm ...".
    /// </summary>
    public static (string Algorithm, string Value, string? Error) Parse(string checksum)
    {
        var i = checksum.IndexOf(':');
        if (i <= 0) return ("", "", "The checksum parameter has to be in format <algorithm>:<checksum>");
        var algo = checksum[..i].Trim().ToLowerInvariant();
        var value = checksum[(i + 1)..].Trim();
        if (!Tools.ContainsKey(algo)) return (algo, value, $"Unsupported hash algorithm: {algo}");
        return (algo, value, null);
    }

    /// <summary>True when the value is a URL of a checksum file rather than a digest.</summary>
    public static bool IsUrl(string value) =>
        value.StartsWith("http://") || value.StartsWith("https://") || value.StartsWith("ftp://") || value.StartsWith("file://");

    /// <summary>
    /// Finds the digest for <paramref name="filename"/> in a checksum file ("DIGEST  name" or "DIGEST *name" lines;
    /// a file with one bare digest applies to any name). Returns null when no line names the file.
    /// </summary>
    public static string? FromFile(string text, string filename)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var line in lines)
        {
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2)
            {
                var name = parts[1].TrimStart('*');
                if (name.StartsWith("./")) name = name[2..];
                if (name == filename) return parts[0].ToLowerInvariant();
            }
        }
        if (lines.Count == 1 && !lines[0].Contains(' ')) return lines[0].ToLowerInvariant();
        return null;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Runner.Engine.Connections;

/// <summary>The outcome of looking a host key up in known_hosts files.</summary>
/// <param name="Status">Known (a matching entry), Unknown (no entry of this key type), Changed (an entry with another key), Revoked.</param>
/// <param name="File">For Changed/Revoked: the file holding the offending entry.</param>
/// <param name="Line">For Changed/Revoked: its 1-based line.</param>
public sealed record HostKeyLookup(HostKeyStatus Status, string? File = null, int Line = 0);

/// <summary>See <see cref="HostKeyLookup"/>.</summary>
public enum HostKeyStatus { Known, Unknown, Changed, Revoked }

/// <summary>
/// Reads and appends OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): host patterns
/// with * and ? wildcards and ! negation, hashed names (|1|base64 salt|base64 HMAC-SHA1), the [host]:port
/// form for ports other than 22, and the @revoked marker (@cert-authority lines are ignored).
/// </summary>
public static class SshKnownHosts
{
    /// <summary>The name a host has in known_hosts: "host" on port 22, else "[host]:port".</summary>
    public static string HostId(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    /// <summary>The key type inside an SSH public key blob (RFC 4253 6.6: string type, then the key data), e.g. "ssh-ed25519".</summary>
    public static string KeyType(byte[] blob)
    {
        if (blob.Length < 4) return "";
        var n = blob[0] << 24 | blob[1] << 16 | blob[2] << 8 | blob[3];
        return n > 0 && 4 + n <= blob.Length ? Encoding.ASCII.GetString(blob, 4, n) : "";
    }

    /// <summary>
    /// Looks <paramref name="keyBlob"/> up for <paramref name="host"/>:<paramref name="port"/> in <paramref name="files"/>
    /// (missing files count as empty). A matching entry anywhere wins over an entry with a different key.
    /// </summary>
    public static HostKeyLookup Lookup(IEnumerable<string> files, string host, int port, byte[] keyBlob)
    {
        var id = HostId(host, port);
        var type = KeyType(keyBlob);
        var key = Convert.ToBase64String(keyBlob);
        HostKeyLookup? changed = null;
        foreach (var file in files)
        {
            if (!System.IO.File.Exists(file)) continue;
            var lineNo = 0;
            foreach (var raw in System.IO.File.ReadLines(file))
            {
                lineNo++;
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                var marker = f[0].StartsWith('@') ? f[0] : null;
                if (marker is not null) f = f[1..];
                if (f.Length < 3 || marker == "@cert-authority") continue;
                if (!HostMatches(f[0], id)) continue;
                if (marker == "@revoked")
                {
                    if (f[2] == key) return new HostKeyLookup(HostKeyStatus.Revoked, file, lineNo);
                    continue;
                }
                if (f[1] != type) continue;
                if (f[2] == key) return new HostKeyLookup(HostKeyStatus.Known);
                changed ??= new HostKeyLookup(HostKeyStatus.Changed, file, lineNo);
            }
        }
        return changed ?? new HostKeyLookup(HostKeyStatus.Unknown);
    }

    /// <summary>Appends "HOSTID TYPE BASE64" to <paramref name="file"/> (creating it and its folder), as accept-new does.</summary>
    public static void Append(string file, string host, int port, byte[] keyBlob)
    {
        var dir = Path.GetDirectoryName(file);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var line = $"{HostId(host, port)} {KeyType(keyBlob)} {Convert.ToBase64String(keyBlob)}\n";
        var needsNewline = System.IO.File.Exists(file) && new FileInfo(file).Length > 0 && !System.IO.File.ReadAllText(file).EndsWith('\n');
        System.IO.File.AppendAllText(file, (needsNewline ? "\n" : "") + line);
    }

    /// <summary>True when the comma-separated <paramref name="patterns"/> match <paramref name="id"/> and no negated pattern does.</summary>
    internal static bool HostMatches(string patterns, string id)
    {
        if (patterns.StartsWith("|1|", StringComparison.Ordinal)) return HashedMatches(patterns, id);
        var matched = false;
        foreach (var p in patterns.Split(','))
        {
            var neg = p.StartsWith('!');
            var pat = neg ? p[1..] : p;
            if (!Glob(pat, id)) continue;
            if (neg) return false;
            matched = true;
        }
        return matched;
    }

    private static bool HashedMatches(string entry, string id)
    {
        var parts = entry.Split('|');
        if (parts.Length != 4) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var want = Convert.FromBase64String(parts[3]);
            var got = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(id));
            return CryptographicOperations.FixedTimeEquals(want, got);
        }
        catch (FormatException) { return false; }
    }

    private static bool Glob(string pat, string s)
    {
        // Iterative wildcard match: * any run, ? one character; case-insensitive as OpenSSH host names are.
        int p = 0, i = 0, star = -1, mark = 0;
        while (i < s.Length)
        {
            if (p < pat.Length && (pat[p] == '?' || char.ToLowerInvariant(pat[p]) == char.ToLowerInvariant(s[i]))) { p++; i++; }
            else if (p < pat.Length && pat[p] == '*') { star = p++; mark = i; }
            else if (star >= 0) { p = star + 1; i = ++mark; }
            else return false;
        }
        while (p < pat.Length && pat[p] == '*') p++;
        return p == pat.Length;
    }
}

using System.Text.RegularExpressions;
using Runner.Engine.Values;

namespace Runner.Modules.Sys;

/// <summary>
/// An authorized_keys file as ansible.posix.authorized_key reads and writes it: entries keyed by the key blob (other
/// lines, comments and blanks keyed by their text, so duplicates collapse), each with a rank (its line), written back
/// sorted by rank as "OPTIONS TYPE BLOB COMMENT\n" (a key without comment keeps a trailing space, as Ansible's).
/// The order of equal ranks and of re-added entries is a Python dict's (insertion order).
/// </summary>
internal sealed class AuthorizedKeys
{
    /// <summary>One entry: a key (Type set) or a line kept as it is (Type null, Line its text).</summary>
    public sealed record Entry(string Id, string? Type, IReadOnlyList<(string Key, string? Value)> Options, string Comment, int Rank, string Line = "")
    {
        /// <summary>Same type, blob, options (compared as a dict of value lists, order between names ignored) and comment.</summary>
        public bool SameAs(Entry o) => Type == o.Type && Id == o.Id && Comment == o.Comment && SameOptions(Options, o.Options);
    }

    private static readonly string[] Types =
    {
        "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
        "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
        "ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "ssh-dss", "ssh-rsa", "ssh-xmss@openssh.com", "ssh-xmss-cert-v01@openssh.com",
        "rsa-sha2-256", "rsa-sha2-512", "ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com",
        "rsa-sha2-512-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com",
    };

    private static readonly Regex OptionPart = new("((?:[^,\"']|\"[^\"]*\"|'[^']*')+)");

    private readonly List<Entry> _entries = new();

    /// <summary>The file's entries (Python dict semantics: setting an existing id replaces it in place).</summary>
    public static AuthorizedKeys Parse(string content)
    {
        var keys = new AuthorizedKeys();
        var rank = 0;
        foreach (var line in PyLines.Split(content, keepEnds: true, bytesOnly: true))
        {
            var e = ParseKey(line, rank) ?? new Entry(line, null, Array.Empty<(string, string?)>(), "", rank, line);
            keys.Set(e);
            rank++;
        }
        return keys;
    }

    /// <summary>Number of entries (Ansible's max rank for keys added after the existing ones).</summary>
    public int Count => _entries.Count;

    /// <summary>The entry with this id, or null.</summary>
    public Entry? Find(string id) => _entries.FirstOrDefault(e => e.Id == id);

    /// <summary>Adds or replaces (in place) the entry with <paramref name="e"/>'s id.</summary>
    public void Set(Entry e)
    {
        var i = _entries.FindIndex(x => x.Id == e.Id);
        if (i >= 0) _entries[i] = e; else _entries.Add(e);
    }

    /// <summary>Removes the entry with this id; true when there was one.</summary>
    public bool Remove(string id) => _entries.RemoveAll(e => e.Id == id) > 0;

    /// <summary>Removes every entry whose id is not in <paramref name="keep"/>; true when any was.</summary>
    public bool RemoveAllBut(ICollection<string> keep) => _entries.RemoveAll(e => !keep.Contains(e.Id)) > 0;

    /// <summary>The file's text: entries by rank (stable), keys as "OPTIONS TYPE BLOB COMMENT\n".</summary>
    public string Serialize() => string.Concat(_entries.OrderBy(e => e.Rank).Select(e => e.Type is null ? e.Line
        : (e.Options.Count > 0 ? string.Join(",", e.Options.Select(o => o.Value is null ? o.Key : o.Key + "=" + o.Value)) + " " : "")
          + $"{e.Type} {e.Id} {e.Comment}\n"));

    /// <summary>
    /// One key line: options, type, blob, comment, as Ansible's parsekey (whitespace-split words; the first known key
    /// type marks the blob); a line whose first word is "#" is kept as a line (with "\#" unescaped); null when no key
    /// type is found (or nothing follows it).
    /// </summary>
    public static Entry? ParseKey(string raw, int rank)
    {
        raw = raw.Replace("\\#", "#");
        var parts = raw.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 0 && parts[0] == "#") return new Entry(raw, null, Array.Empty<(string, string?)>(), "", rank, raw);
        var t = Array.FindIndex(parts, p => Types.Contains(p));
        if (t < 0 || t + 1 >= parts.Length) return null;
        return new Entry(parts[t + 1], parts[t], ParseOptions(t > 0 ? string.Join(" ", parts[..t]) : null), string.Join(" ", parts[(t + 2)..]), rank);
    }

    /// <summary>"a,b=c,d=\"x,y\"" as (name, value or null) pairs in order, commas inside quotes kept.</summary>
    public static IReadOnlyList<(string Key, string? Value)> ParseOptions(string? options)
    {
        var list = new List<(string, string?)>();
        if (string.IsNullOrEmpty(options)) return list;
        var parts = OptionPart.Split(options);
        foreach (var part in parts[1..^1])
        {
            var eq = part.IndexOf('=');
            if (eq >= 0) list.Add((part[..eq], part[(eq + 1)..]));
            else if (part != ",") list.Add((part, null));
        }
        return list;
    }

    private static bool SameOptions(IReadOnlyList<(string Key, string? Value)> a, IReadOnlyList<(string Key, string? Value)> b)
    {
        static Dictionary<string, List<string?>> ByName(IEnumerable<(string Key, string? Value)> o) =>
            o.GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Select(x => x.Value).ToList());
        var (x, y) = (ByName(a), ByName(b));
        return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && v.SequenceEqual(kv.Value));
    }

}

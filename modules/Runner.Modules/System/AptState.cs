namespace Runner.Modules.Sys;

/// <summary>Parsers for the apt/dpkg output the apt module probes (Debian's apt-cache(8), dpkg-query(1)).</summary>
internal static class AptState
{
    /// <summary>
    /// Parses `apt-cache policy A B ...` output: blocks "name:\n  Installed: 1.0\n  Candidate: 1.1\n ...".
    /// "(none)" becomes null. Names apt does not know are absent from the result.
    /// </summary>
    public static Dictionary<string, (string? Installed, string? Candidate)> ParsePolicy(string text)
    {
        var map = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        string? cur = null; string? inst = null; string? cand = null;
        void Flush() { if (cur is not null) map[cur] = (inst, cand); }
        foreach (var raw in text.Split('\n'))
        {
            if (raw.Length > 0 && !char.IsWhiteSpace(raw[0]) && raw.EndsWith(':'))
            {
                Flush();
                cur = raw[..^1]; inst = null; cand = null;
                var colon = cur.IndexOf(':');
                if (colon > 0) cur = cur[..colon]; // name:amd64
                continue;
            }
            var line = raw.Trim();
            if (line.StartsWith("Installed: ")) inst = None(line["Installed: ".Length..]);
            else if (line.StartsWith("Candidate: ")) cand = None(line["Candidate: ".Length..]);
        }
        Flush();
        return map;
    }

    /// <summary>Parses `dpkg-query -W -f '${Package}\t${db:Status-Abbrev}\t${Version}\n'` lines into name -> (status, version).</summary>
    public static Dictionary<string, (string Status, string Version)> ParseDpkg(string text)
    {
        var map = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split('\t');
            if (f.Length >= 3) map[f[0].Split(':')[0]] = (f[1].Trim(), f[2]);
        }
        return map;
    }

    /// <summary>Splits "name=version" (Ansible's package_split); version null when not given.</summary>
    public static (string Name, string? Version) Split(string spec)
    {
        var i = spec.IndexOf('=');
        return i < 0 ? (spec.Trim(), null) : (spec[..i].Trim(), spec[(i + 1)..].Trim());
    }

    /// <summary>Whether an installed version satisfies a wanted one; a trailing or inner '*' matches anything (fnmatch).</summary>
    public static bool VersionMatches(string installed, string wanted)
    {
        if (!wanted.Contains('*')) return installed == wanted;
        var pattern = "^" + global::System.Text.RegularExpressions.Regex.Escape(wanted).Replace("\\*", ".*") + "$";
        return global::System.Text.RegularExpressions.Regex.IsMatch(installed, pattern);
    }

    private static string? None(string v) => v.Trim() == "(none)" ? null : v.Trim();
}

namespace Runner.Engine.Facts;

/// <summary>
/// Distribution facts from /etc/os-release (and /etc/debian_version, /etc/alpine-release), as
/// ansible-core 2.14's distribution collector names them (lib/ansible/module_utils/facts/system/distribution.py,
/// behaviour only): distribution, distribution_version, distribution_major_version, distribution_release, os_family.
/// </summary>
internal static class DistributionFacts
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["debian"] = "Debian", ["ubuntu"] = "Ubuntu", ["raspbian"] = "Debian", ["linuxmint"] = "Linux Mint",
        ["devuan"] = "Devuan", ["kali"] = "Kali", ["pop"] = "Pop!_OS", ["centos"] = "CentOS", ["rhel"] = "RedHat",
        ["fedora"] = "Fedora", ["rocky"] = "Rocky", ["almalinux"] = "AlmaLinux", ["ol"] = "OracleLinux",
        ["amzn"] = "Amazon", ["alpine"] = "Alpine", ["arch"] = "Archlinux", ["opensuse-leap"] = "openSUSE Leap",
        ["opensuse-tumbleweed"] = "openSUSE Tumbleweed", ["sles"] = "SLES", ["sled"] = "SLED", ["gentoo"] = "Gentoo",
    };

    private static readonly Dictionary<string, string[]> Families = new(StringComparer.Ordinal)
    {
        ["Debian"] = new[] { "Debian", "Ubuntu", "Raspbian", "Neon", "KDE neon", "Linux Mint", "SteamOS", "Devuan", "Kali", "Cumulus Linux", "Pop!_OS", "Parrot", "Pardus GNU/Linux", "Uos", "Deepin", "OSMC" },
        ["RedHat"] = new[] { "RedHat", "Fedora", "CentOS", "Scientific", "SLC", "Ascendos", "CloudLinux", "PSBM", "OracleLinux", "OVS", "OEL", "Amazon", "Virtuozzo", "XenServer", "Alibaba", "EulerOS", "openEuler", "AlmaLinux", "Rocky", "TencentOS", "EuroLinux", "Kylin Linux Advanced Server" },
        ["Suse"] = new[] { "SuSE", "SLES", "SLED", "openSUSE", "openSUSE Tumbleweed", "SLES_SAP", "SUSE_LINUX", "openSUSE Leap" },
        ["Archlinux"] = new[] { "Archlinux", "Antergos", "Manjaro" },
        ["Alpine"] = new[] { "Alpine" },
        ["Gentoo"] = new[] { "Gentoo", "Funtoo" },
    };

    /// <summary>The five distribution facts from the probe's raw values (keys osr_*, debian_version, alpine_release).</summary>
    public static IEnumerable<KeyValuePair<string, object?>> From(IReadOnlyDictionary<string, string> raw)
    {
        string Get(string k) => raw.TryGetValue(k, out var v) ? Unquote(v) : "";
        var id = Get("osr_ID");
        var dist = Names.TryGetValue(id, out var n) ? n
            : id.Length > 0 ? char.ToUpperInvariant(id[0]) + id[1..]
            : raw.TryGetValue("system", out var sys) ? sys : "";
        var version = Get("osr_VERSION_ID");
        var debian = Get("debian_version");
        if (dist == "Debian" && debian.Length > 0 && char.IsAsciiDigit(debian[0])) version = debian;
        if (dist == "Alpine" && Get("alpine_release").Length > 0) version = Get("alpine_release");
        var release = Get("osr_VERSION_CODENAME");
        if (release.Length == 0 && dist == "Debian" && debian.Contains('/')) release = debian.Split('/')[0];
        var family = Families.FirstOrDefault(f => f.Value.Contains(dist)).Key ?? dist;
        yield return new("distribution", dist);
        yield return new("distribution_version", version);
        yield return new("distribution_major_version", version.Split('.')[0]);
        yield return new("distribution_release", release);
        yield return new("os_family", family);
    }

    /// <summary>
    /// distribution_file_path, _variety, _parsed (and distribution_minor_version from /etc/debian_version) for a
    /// Debian-family /etc/os-release, as Distribution.process_dist_files / parse_distribution_file_Debian set them;
    /// nothing for other families (Runner targets Debian; those files are not parsed).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, object?>> FileFacts(ProbeOutput p)
    {
        var data = p.Content("/etc/os-release");
        if (data is null) yield break;
        var debian = data.Contains("Debian", StringComparison.Ordinal) || data.Contains("Raspbian", StringComparison.Ordinal);
        if (!debian && !data.Contains("Ubuntu", StringComparison.Ordinal)) yield break;
        yield return new("distribution_file_path", "/etc/os-release");
        yield return new("distribution_file_variety", "Debian");
        yield return new("distribution_file_parsed", true);
        if (!debian) yield break;
        foreach (var line in p.Lines("/etc/debian_version"))
            if (System.Text.RegularExpressions.Regex.Match(line.Trim(), @"(\d+)\.(\d+)") is { Success: true } m)
                yield return new("distribution_minor_version", m.Groups[2].Value);
    }

    private static string Unquote(string v)
    {
        v = v.Trim();
        return v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[^1] == v[0] ? v[1..^1] : v;
    }
}

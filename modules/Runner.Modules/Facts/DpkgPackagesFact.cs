using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// What dpkg and apt know of one package: dpkg's status abbreviation ("ii ", "rc ", ...; null when dpkg never had
/// it) and version, and apt's candidate version (null when apt has none or does not know the name).
/// </summary>
public sealed record DpkgPackage(string Name, string? Status, string? Version, string? Candidate)
{
    /// <summary>The installed version, or null when the package is not installed.</summary>
    public string? Installed => Status is not null && Status.StartsWith("ii") ? Version : null;

    /// <summary>Removed with its configuration files left (dpkg status "rc").</summary>
    public bool ConfigFilesOnly => Status is not null && Status.StartsWith("rc");
}

/// <summary>
/// The dpkg state and apt candidate of some packages, from `dpkg-query -W` and `apt-cache policy` in one probe
/// (Debian's dpkg-query(1), apt-cache(8)); every name asked for has an entry.
/// </summary>
public sealed class DpkgPackagesFact : Fact<IReadOnlyDictionary<string, DpkgPackage>>
{
    private readonly IReadOnlyList<string> _names;

    /// <summary>The packages named <paramref name="names"/> (without versions).</summary>
    public DpkgPackagesFact(IReadOnlyList<string> names) => _names = names;

    /// <inheritdoc/>
    public override string Key => "dpkg:" + string.Join(",", _names);

    /// <inheritdoc/>
    public override string Script =>
        $"dpkg-query -W -f '${{Package}}\\t${{db:Status-Abbrev}}\\t${{Version}}\\n' {ShellQuote.Join(_names)} 2>/dev/null; " +
        $"{TargetScript.Sep}; apt-cache policy {ShellQuote.Join(_names)} 2>/dev/null";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, DpkgPackage> Parse(CommandResult output)
    {
        var s = TargetScript.Sections(output.Stdout);
        var dpkg = AptState.ParseDpkg(s[0]);
        var policy = AptState.ParsePolicy(s.Length > 1 ? s[1] : "");
        return _names.Distinct().ToDictionary(n => n, n =>
        {
            var known = dpkg.TryGetValue(n, out var d);
            policy.TryGetValue(n, out var p);
            return new DpkgPackage(n, known ? d.Status : null, known ? d.Version : null, p.Candidate);
        });
    }
}

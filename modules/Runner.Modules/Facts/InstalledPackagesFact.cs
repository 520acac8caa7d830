using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>One installed package as python-apt's Cache shows it: its name (arch-qualified when foreign), version, architecture, section and the Origin of the first package file that has this version.</summary>
public sealed record InstalledPackage(string Name, string Version, string Arch, string? Section, string Origin);

/// <summary>
/// Every package dpkg has a current version of (status not "not-installed" nor "config-files", as apt's CurrentVer), from
/// `dpkg-query -W` (name, architecture, version, section) and `apt-cache policy` (the Release Origin, "o=", of the
/// installed version's first package file; "" for the dpkg status file or a repository without a Release file),
/// sorted by name. Null when dpkg-query or apt-cache is not on the target. For package_facts with manager apt.
/// </summary>
public sealed class InstalledPackagesFact : Fact<IReadOnlyList<InstalledPackage>?>
{
    private const string Query = "dpkg-query -W -f '${Package}\\t${Architecture}\\t${Version}\\t${Section}\\t${db:Status-Status}\\n'";

    /// <inheritdoc/>
    public override string Key => "installed-packages";

    /// <inheritdoc/>
    public override string Script =>
        "command -v dpkg-query >/dev/null 2>&1 && command -v apt-cache >/dev/null 2>&1 || exit 3; " +
        $"dpkg --print-architecture; {TargetScript.Sep}; {Query}; {TargetScript.Sep}; apt-cache policy; {TargetScript.Sep}; " +
        "dpkg-query -W -f '${db:Status-Status} ${binary:Package}\\n' | awk '$1 != \"not-installed\" && $1 != \"config-files\" { print $2 }' | xargs -r apt-cache policy";

    /// <inheritdoc/>
    public override IReadOnlyList<InstalledPackage>? Parse(CommandResult output)
    {
        if (output.ExitCode == 3) return null;
        var s = TargetScript.Sections(output.Stdout);
        var native = s[0].Trim();
        var origins = FileOrigins(s.Length > 2 ? s[2] : "");
        var installedFiles = InstalledFiles(s.Length > 3 ? s[3] : "");
        var list = new List<InstalledPackage>();
        foreach (var line in s.Length > 1 ? s[1].Split('\n') : Array.Empty<string>())
        {
            var f = line.Split('\t');
            if (f.Length < 5 || f[4] is "not-installed" or "config-files" || f[2].Length == 0) continue;
            var name = f[1] == native || f[1] == "all" ? f[0] : $"{f[0]}:{f[1]}";
            var origin = installedFiles.TryGetValue(name, out var file) && origins.TryGetValue(file, out var o) ? o : "";
            list.Add(new InstalledPackage(name, f[2], f[1], f[3].Length == 0 ? null : f[3], origin));
        }
        return list.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>`apt-cache policy`'s "Package files:": the file's line without its priority → the Origin of its "release" line ("" when none).</summary>
    internal static Dictionary<string, string> FileOrigins(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        string? file = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (raw.StartsWith("     release ", StringComparison.Ordinal) && file is not null)
            {
                foreach (var field in line["release ".Length..].Split(','))
                    if (field.StartsWith("o=", StringComparison.Ordinal)) map[file] = field[2..];
            }
            else if (raw.StartsWith(' ') && !raw.StartsWith("  ", StringComparison.Ordinal) && WithoutPriority(line) is { } f)
            {
                file = f;
                map.TryAdd(f, "");
            }
            else if (!raw.StartsWith(' ')) file = null;
        }
        return map;
    }

    /// <summary>`apt-cache policy NAMES`: the package (as its header names it) → the first file line (without priority) under its installed version (***).</summary>
    internal static Dictionary<string, string> InstalledFiles(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        var inInstalled = false;
        foreach (var raw in text.Split('\n'))
        {
            if (raw.Length > 1 && !char.IsWhiteSpace(raw[0]) && raw.EndsWith(':')) { name = raw[..^1]; inInstalled = false; continue; }
            if (name is null) continue;
            if (raw.StartsWith(" *** ", StringComparison.Ordinal)) { inInstalled = true; continue; }
            // a file line ("        500 URI DIST Packages") under a version; any other line ends the installed version's files
            if (!raw.StartsWith("        ", StringComparison.Ordinal)) { inInstalled = false; continue; }
            if (inInstalled && WithoutPriority(raw.Trim()) is { } f) map.TryAdd(name, f);
            inInstalled = false;
        }
        return map;
    }

    /// <summary>"500 http://host ./ Packages" → "http://host ./ Packages"; null for a line without a leading priority.</summary>
    private static string? WithoutPriority(string line)
    {
        var sp = line.IndexOf(' ');
        return sp > 0 && int.TryParse(line[..sp], out _) ? line[(sp + 1)..] : null;
    }
}

using System.Globalization;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Galaxy;

/// <summary>
/// A role's meta/.galaxy_install_info, as ansible-galaxy 2.14 writes it after an install (lib/ansible/galaxy/role.py
/// _write_galaxy_install_info): YAML with install_date (Python's "%c" in the C locale, UTC) and version (the
/// requested version: null, '' or the ref/tag), keys sorted. `galaxy list` prints the version from it.
/// </summary>
public static class RoleInstallInfo
{
    /// <summary>The file's path inside a role folder.</summary>
    public static string PathIn(string roleDir) => Path.Combine(roleDir, "meta", ".galaxy_install_info");

    /// <summary>The file's content for <paramref name="version"/> installed at <paramref name="utcNow"/>.</summary>
    public static string Text(string? version, DateTime utcNow) =>
        YamlDump.Dump(new Dict { ["install_date"] = CDate(utcNow), ["version"] = version }, 2, false, true);

    /// <summary>Writes the file into <paramref name="roleDir"/> (creating meta/).</summary>
    public static void Write(string roleDir, string? version)
    {
        Directory.CreateDirectory(Path.Combine(roleDir, "meta"));
        File.WriteAllText(PathIn(roleDir), Text(version, DateTime.UtcNow));
    }

    /// <summary>The installed version recorded in a role folder: (true, version) when the file exists and reads as a
    /// mapping (version may be null), (false, null) otherwise.</summary>
    public static (bool Installed, string? Version) Read(string roleDir)
    {
        var path = PathIn(roleDir);
        if (!File.Exists(path)) return (false, null);
        try
        {
            return YamlLoader.Load(File.ReadAllText(path), path) is Dict d
                ? (true, d.GetValueOrDefault("version") is { } v ? PyStr.Str(v) : null)
                : (false, null);
        }
        catch (Exception e) when (e is Errors.RunnerException or IOException) { return (false, null); }
    }

    /// <summary>Python's time.strftime("%c") in the C locale: "Wed Dec  2 17:29:21 2026".</summary>
    public static string CDate(DateTime t) =>
        string.Create(CultureInfo.InvariantCulture, $"{t:ddd MMM} {t.Day,2} {t:HH:mm:ss yyyy}");
}

using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Galaxy;

/// <summary>
/// One role to install, as ansible-galaxy 2.14 reads a requirements.yml roles entry or a command-line item
/// (lib/ansible/playbook/role/requirement.py, docs "Installing roles from files"): a string "SRC[,VERSION[,NAME]]"
/// or a mapping with src, scm, version, name (the old form: role). "git+URL" sets scm; a name defaults to the
/// last part of a URL without .git / .tar.gz. Version is "" or null when none was given.
/// </summary>
public sealed record RoleRequirement(string Name, string Src, string? Scm, string? Version)
{
    /// <summary>"name (version)", or the name when there is no version (GalaxyRole.__repr__).</summary>
    public override string ToString() => string.IsNullOrEmpty(Version) ? Name : $"{Name} ({Version})";

    /// <summary>Parses a string or mapping entry.</summary>
    /// <exception cref="RunnerException">A string with more than two commas, an old-style role with a comma, no name nor src.</exception>
    public static RoleRequirement Parse(object? entry)
    {
        if (entry is Dict d) return ParseMapping(d);
        var line = PyStr.Str(entry).Trim();
        string src = line, version = null!, name = null!;
        var parts = line.Split(',');
        if (parts.Length == 2) (src, version) = (parts[0], parts[1]);
        else if (parts.Length == 3) (src, version, name) = (parts[0], parts[1], parts[2]);
        else if (parts.Length > 3) throw new RunnerException($"Invalid role line ({line}). Proper format is 'role_name[,version[,name]]'");
        name ??= RepoUrlToRoleName(src);
        var (scm, rest) = SplitScm(src);
        return new RoleRequirement(name, rest, scm, version);
    }

    private static RoleRequirement ParseMapping(Dict d)
    {
        string? Str(string key) => d.GetValueOrDefault(key) is { } v ? PyStr.Str(v) : null;
        if (Str("role") is { } old)
        {
            if (old.Contains(',')) throw new RunnerException($"Invalid old style role requirement: {old}");
            return new RoleRequirement(old, Str("src") ?? old, Str("scm"), Str("version") ?? "");
        }
        var src = Str("src");
        var scm = Str("scm");
        var name = Str("name");
        if (src is not null)
        {
            if (src.Contains("github.com") && src.Contains("http") && !src.Contains('+') && !src.EndsWith(".tar.gz")) src = "git+" + src;
            if (src.Contains('+')) (scm, src) = SplitScm(src);
            name ??= RepoUrlToRoleName(src);
        }
        if (name is null && src is null) throw new RunnerException("Must specify name or src for role");
        return new RoleRequirement(name ?? src!, src ?? name!, scm, Str("version") ?? "");
    }

    private static (string? Scm, string Src) SplitScm(string src)
    {
        var plus = src.IndexOf('+');
        return plus < 0 ? (null, src) : (src[..plus], src[(plus + 1)..]);
    }

    /// <summary>The role name a URL gives: "http://git.example.com/repos/repo.git" is "repo"; a plain name is itself.</summary>
    public static string RepoUrlToRoleName(string url)
    {
        if (!url.Contains("://") && !url.Contains('@')) return url;
        var tail = url.Split('/')[^1];
        if (tail.EndsWith(".git")) tail = tail[..^4];
        if (tail.EndsWith(".tar.gz")) tail = tail[..^7];
        return tail.Split(',')[0];
    }
}

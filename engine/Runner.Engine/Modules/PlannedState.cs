using System.Collections.Concurrent;

namespace Runner.Engine.Modules;

/// <summary>
/// What earlier tasks of this run would have created on one host, had check mode let them (files written by copy,
/// template or get_url; groups added by group). In check mode a later task that needs such a thing (a systemd unit
/// from a templated unit file, a user's group, an archive to unpack) reports the change with a warning instead of
/// failing. Anything not planned here fails as under ansible-playbook --check ("Could not find the requested
/// service", "Group X does not exist"). One instance per host per run; thread-safe.
/// </summary>
public sealed class PlannedState
{
    private readonly ConcurrentDictionary<string, byte> _paths = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _groups = new(StringComparer.Ordinal);

    /// <summary>Records that a file would exist at <paramref name="path"/> (absolute target path).</summary>
    public void AddPath(string path) => _paths[path] = 0;

    /// <summary>Whether an earlier task planned a file at <paramref name="path"/>.</summary>
    public bool HasPath(string path) => _paths.ContainsKey(path);

    /// <summary>Whether an earlier task planned a file named <paramref name="fileName"/> in one of <paramref name="folders"/>.</summary>
    public bool HasFileIn(string fileName, IEnumerable<string> folders) =>
        folders.Any(f => _paths.ContainsKey(f.TrimEnd('/') + "/" + fileName));

    /// <summary>Records that group <paramref name="name"/> would exist.</summary>
    public void AddGroup(string name) => _groups[name] = 0;

    /// <summary>Whether an earlier task planned group <paramref name="name"/>.</summary>
    public bool HasGroup(string name) => _groups.ContainsKey(name);
}

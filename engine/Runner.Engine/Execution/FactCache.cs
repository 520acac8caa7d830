using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Execution;

/// <summary>
/// The jsonfile fact cache (Ansible's ansible.builtin.jsonfile cache plugin, fact_caching=jsonfile with
/// fact_caching_connection=FOLDER): one JSON file per host, named after the host, holding its facts with the
/// ansible_ prefix. With gathering=smart a host whose cache file is younger than the timeout is not gathered again.
/// </summary>
public sealed class FactCache
{
    private readonly string _dir;
    private readonly TimeSpan _timeout;

    /// <param name="dir">The cache folder (created when needed).</param>
    /// <param name="timeout">How long cached facts stay valid (fact_caching_timeout, default 86400 s); zero means forever.</param>
    public FactCache(string dir, TimeSpan timeout)
    {
        _dir = dir;
        _timeout = timeout;
    }

    private string PathOf(string host) => System.IO.Path.Combine(_dir, host);

    /// <summary>The cached facts of a host (without the ansible_ prefix), or null when absent or expired.</summary>
    public Dict? Load(string host)
    {
        var path = PathOf(host);
        if (!File.Exists(path)) return null;
        if (_timeout > TimeSpan.Zero && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > _timeout) return null;
        if (YamlLoader.LoadFile(path) is not Dict d) return null;
        var facts = new Dict();
        foreach (var (k, v) in d) facts[k.StartsWith("ansible_", StringComparison.Ordinal) ? k[8..] : k] = v;
        return facts;
    }

    /// <summary>Forgets a host's cached facts (meta: clear_facts); nothing when none are cached.</summary>
    public void Remove(string host) => File.Delete(PathOf(host));

    /// <summary>Writes a host's facts (keys get the ansible_ prefix), atomically.</summary>
    public void Save(string host, Dict facts)
    {
        Directory.CreateDirectory(_dir);
        var prefixed = new Dict();
        foreach (var (k, v) in facts) prefixed[k.StartsWith("ansible_", StringComparison.Ordinal) ? k : "ansible_" + k] = v;
        var tmp = PathOf(host) + ".tmp";
        File.WriteAllText(tmp, PyStr.JsonDumps(prefixed, sortKeys: true, indent: 4));
        File.Move(tmp, PathOf(host), overwrite: true);
    }
}

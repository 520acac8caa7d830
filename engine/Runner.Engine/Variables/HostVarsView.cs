using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Runner.Engine.Variables;

/// <summary>
/// The `hostvars` magic variable: a read-only mapping from every inventory host name to that host's
/// variables (inventory, facts, set_fact, extra vars), built on first access.
/// </summary>
public sealed class HostVarsView : IReadOnlyDictionary<string, object?>
{
    private readonly IReadOnlyList<string> _hosts;
    private readonly Func<string, IReadOnlyDictionary<string, object?>> _build;

    public HostVarsView(IReadOnlyList<string> hosts, Func<string, IReadOnlyDictionary<string, object?>> build)
    {
        _hosts = hosts;
        _build = build;
    }

    public object? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
    public IEnumerable<string> Keys => _hosts;
    public IEnumerable<object?> Values => _hosts.Select(h => (object?)_build(h));
    public int Count => _hosts.Count;
    public bool ContainsKey(string key) => _hosts.Contains(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (!_hosts.Contains(key)) { value = null; return false; }
        value = _build(key);
        return true;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        _hosts.Select(h => new KeyValuePair<string, object?>(h, _build(h))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

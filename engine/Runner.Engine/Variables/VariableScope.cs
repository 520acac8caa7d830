using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Engine.Variables;

/// <summary>One level of the precedence ladder: its name (e.g. "play vars"), where it came from, and its values.</summary>
public sealed record ScopeLayer(string Level, string Origin, IReadOnlyDictionary<string, object?> Vars)
{
    /// <summary>Finds where a key of this layer was written, when the layer knows (file:line:column).</summary>
    public Func<string, Errors.SourceLocation?>? KeyOrigin { get; init; }

    /// <summary>Where <paramref name="key"/> was written: the layer's own lookup, else the YAML position of the key.</summary>
    public Errors.SourceLocation? OriginOf(string key) => KeyOrigin?.Invoke(key) ?? Yaml.SourceMap.OfKey(Vars, key);
}

/// <summary>
/// The variables one task on one host sees: layers ordered from lowest to highest precedence
/// (Ansible's "Understanding variable precedence"); a lookup takes the highest layer that has the name.
/// </summary>
public sealed class VariableScope : IVariableScope
{
    private readonly List<ScopeLayer> _layers;

    public VariableScope(List<ScopeLayer> layers, IReadOnlyList<string> searchPaths)
    {
        _layers = layers;
        SearchPaths = searchPaths;
    }

    /// <summary>The layers, lowest precedence first.</summary>
    public IReadOnlyList<ScopeLayer> Layers => _layers;

    public IReadOnlyList<string> SearchPaths { get; }

    public bool TryGetRaw(string name, out object? value)
    {
        for (var i = _layers.Count - 1; i >= 0; i--)
            if (_layers[i].Vars.TryGetValue(name, out value)) return true;
        value = null;
        return false;
    }

    /// <summary>The layer that supplies <paramref name="name"/>, or null.</summary>
    public ScopeLayer? Origin(string name)
    {
        for (var i = _layers.Count - 1; i >= 0; i--)
            if (_layers[i].Vars.ContainsKey(name)) return _layers[i];
        return null;
    }

    public IEnumerable<string> Names => _layers.SelectMany(l => l.Vars.Keys).Distinct();

    /// <summary>A new scope with one more layer on top (loop vars, registered result for changed_when...).</summary>
    public VariableScope With(string level, IReadOnlyDictionary<string, object?> vars) =>
        new(new List<ScopeLayer>(_layers) { new(level, level, vars) }, SearchPaths);

    /// <summary>All names merged into one dict (highest layer wins), for hostvars and `runner vars`.</summary>
    public Dict Flatten()
    {
        var d = new Dict();
        foreach (var l in _layers)
            foreach (var (k, v) in l.Vars) d[k] = v;
        return d;
    }
}

namespace Runner.Engine.Values;

/// <summary>
/// A mapping in Runner's data model: string keys kept in insertion order, as Python dicts
/// (and so Ansible's variables) are. Values are Runner data: Dict, List&lt;object?&gt;, string,
/// long, double, bool or null.
/// </summary>
public sealed class Dict : OrderedDictionary<string, object?>
{
    public Dict() : base(StringComparer.Ordinal) { }
    public Dict(IEnumerable<KeyValuePair<string, object?>> items) : base(StringComparer.Ordinal)
    {
        foreach (var (k, v) in items) this[k] = v;
    }

    /// <summary>The value at <paramref name="key"/>, or null when absent.</summary>
    public object? Get(string key) => TryGetValue(key, out var v) ? v : null;

    /// <summary>A deep copy: nested Dicts and lists are copied, scalars shared.</summary>
    public Dict DeepCopy() => (Dict)Data.DeepCopy(this)!;
}

/// <summary>Helpers over Runner's plain data model.</summary>
public static class Data
{
    /// <summary>Copies dicts and lists recursively; other values are returned as they are.</summary>
    public static object? DeepCopy(object? value) => value switch
    {
        Dict d => new Dict(d.Select(kv => new KeyValuePair<string, object?>(kv.Key, DeepCopy(kv.Value)))),
        IReadOnlyDictionary<string, object?> rd => new Dict(rd.Select(kv => new KeyValuePair<string, object?>(kv.Key, DeepCopy(kv.Value)))),
        List<object?> l => l.Select(DeepCopy).ToList(),
        _ => value,
    };

    /// <summary>A parsed JSON element as Runner data (objects as Dict, arrays as lists, integers as long).</summary>
    public static object? FromJson(System.Text.Json.JsonElement e) => e.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Object => new Dict(e.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, FromJson(p.Value)))),
        System.Text.Json.JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        System.Text.Json.JsonValueKind.String => e.GetString(),
        System.Text.Json.JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Python truthiness: None, False, 0, 0.0, "" and empty containers are false.</summary>
    public static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    /// <summary>Recursively merges <paramref name="overlay"/> into a copy of <paramref name="baseDict"/> (hash_behaviour=merge); here only used where Ansible merges.</summary>
    public static Dict Merge(Dict baseDict, Dict overlay)
    {
        var result = new Dict(baseDict);
        foreach (var (k, v) in overlay)
            result[k] = result.TryGetValue(k, out var old) && old is Dict od && v is Dict nd ? Merge(od, nd) : v;
        return result;
    }
}

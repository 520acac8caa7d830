using Runner.Engine.Values;

namespace Runner.Modules.Cloud.Aws;

/// <summary>
/// AWS resource tags: which to set and which to remove to go from <c>current</c> to <c>wanted</c>, as
/// amazon.aws's compare_aws_tags does (purge removes keys not wanted; aws: keys are never touched).
/// </summary>
public static class TagDiff
{
    /// <summary>Reads a `tags` option (mapping of text to text; values converted with str()).</summary>
    public static Dictionary<string, string>? FromOption(object? v) =>
        v is Dict d ? d.ToDictionary(kv => kv.Key, kv => PyStr.Str(kv.Value)) : null;

    /// <summary>Tags to set (new or changed values) and keys to remove.</summary>
    public static (List<KeyValuePair<string, string>> Set, List<string> Remove) Compute(
        IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string>? wanted, bool purge)
    {
        if (wanted is null) return (new(), new());
        var set = wanted.Where(kv => !current.TryGetValue(kv.Key, out var v) || v != kv.Value).ToList();
        var remove = purge
            ? current.Keys.Where(k => !wanted.ContainsKey(k) && !k.StartsWith("aws:", StringComparison.Ordinal)).ToList()
            : new List<string>();
        return (set, remove);
    }

    /// <summary>The tags as a Dict for results.</summary>
    public static Dict ToDict(IEnumerable<KeyValuePair<string, string>> tags) =>
        new(tags.Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Value)));
}

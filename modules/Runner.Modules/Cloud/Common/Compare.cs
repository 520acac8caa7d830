using Runner.Engine.Values;

namespace Runner.Modules.Cloud.Common;

/// <summary>Value comparisons used to decide whether a remote object must change.</summary>
public static class Compare
{
    /// <summary>Deep equality of data-model values (dict key order ignored, list order kept, 1 == 1.0).</summary>
    public static bool DeepEquals(object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null): return true;
            case (Dict x, Dict y):
                return x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var o) && DeepEquals(kv.Value, o));
            case (List<object?> x, List<object?> y):
                return x.Count == y.Count && x.Zip(y).All(p => DeepEquals(p.First, p.Second));
            case (long or int or double, long or int or double):
                return Convert.ToDouble(a) == Convert.ToDouble(b);
            default:
                return a is not null && a.Equals(b);
        }
    }

    /// <summary>
    /// Whether every field of <paramref name="desired"/> is present with the same value in <paramref name="actual"/>
    /// (dicts compared as subsets, lists item by item with the same length), as a server that adds defaults leaves it.
    /// </summary>
    public static bool IsSubset(object? desired, object? actual)
    {
        switch (desired, actual)
        {
            case (Dict d, Dict a):
                return d.All(kv => a.TryGetValue(kv.Key, out var o) ? IsSubset(kv.Value, o) : kv.Value is null);
            case (List<object?> d, List<object?> a):
                return d.Count == a.Count && d.Zip(a).All(p => IsSubset(p.First, p.Second));
            case (string s, long or double):
                return s == PyStr.Str(actual);
            default:
                return DeepEquals(desired, actual);
        }
    }
}

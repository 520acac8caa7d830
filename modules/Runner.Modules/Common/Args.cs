using Runner.Engine.Values;

namespace Runner.Modules.Common;

/// <summary>Typed reads of validated module arguments (values already converted by ArgumentValidator).</summary>
internal static class Args
{
    /// <summary>The option as text, or null when absent or null.</summary>
    public static string? Str(this Dict args, string key) =>
        args.TryGetValue(key, out var v) && v is not null ? v as string ?? PyStr.Str(v) : null;

    /// <summary>The option as a bool, or <paramref name="fallback"/> when absent or null.</summary>
    public static bool Bool(this Dict args, string key, bool fallback = false) =>
        args.TryGetValue(key, out var v) && v is not null ? Data.Truthy(v) : fallback;

    /// <summary>The option as an integer, or <paramref name="fallback"/> when absent or null.</summary>
    public static long Long(this Dict args, string key, long fallback = 0) =>
        args.TryGetValue(key, out var v) && v is long l ? l : fallback;

    /// <summary>The option as a list of strings (a single value becomes a one-item list); empty when absent.</summary>
    public static List<string> StrList(this Dict args, string key) => args.Get(key) switch
    {
        null => new List<string>(),
        List<object?> l => l.Select(x => x as string ?? PyStr.Str(x)).ToList(),
        var x => new List<string> { x as string ?? PyStr.Str(x) },
    };

    /// <summary>True when the option was given with a non-null value.</summary>
    public static bool Has(this Dict args, string key) => args.TryGetValue(key, out var v) && v is not null;
}

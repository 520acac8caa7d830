using System.Runtime.CompilerServices;
using Runner.Engine.Errors;

namespace Runner.Engine.Yaml;

/// <summary>
/// Remembers where each loaded mapping or sequence came from (file, line, column) and where
/// each of a mapping's keys sits, so errors can name file:line:column and the key.
/// Values are attached weakly to the loaded objects; copies made later have no position.
/// </summary>
public static class SourceMap
{
    private sealed class Entry
    {
        public required SourceLocation Location;
        public Dictionary<string, SourceLocation>? Keys;
    }

    private static readonly ConditionalWeakTable<object, Entry> Table = new();

    /// <summary>Records where <paramref name="node"/> starts.</summary>
    public static void Set(object node, SourceLocation location) =>
        Table.AddOrUpdate(node, new Entry { Location = location });

    /// <summary>Records where <paramref name="key"/> of mapping <paramref name="node"/> sits.</summary>
    public static void SetKey(object node, string key, SourceLocation location)
    {
        if (!Table.TryGetValue(node, out var e)) return;
        (e.Keys ??= new())[key] = location;
    }

    /// <summary>Where <paramref name="node"/> starts, or null when unknown.</summary>
    public static SourceLocation? Of(object? node) =>
        node is not null && Table.TryGetValue(node, out var e) ? e.Location : null;

    /// <summary>Where <paramref name="key"/> of mapping <paramref name="node"/> sits, else where the mapping starts.</summary>
    public static SourceLocation? OfKey(object? node, string key) =>
        node is not null && Table.TryGetValue(node, out var e)
            ? (e.Keys is not null && e.Keys.TryGetValue(key, out var k) ? k : e.Location)
            : null;
}

using System.Text.Json;
using Runner.Engine.Values;

namespace Runner.Modules.Cloud.Common;

/// <summary>JSON text to Runner's data model (Dict, List, string, long, double, bool, null) and back (RFC 8259).</summary>
public static class JsonData
{
    /// <summary>Parses JSON text. Errors: <see cref="JsonException"/> for invalid JSON.</summary>
    public static object? Parse(string json) => From(JsonDocument.Parse(json).RootElement);

    /// <summary>Converts a parsed JSON element.</summary>
    public static object? From(JsonElement e) => Data.FromJson(e);

    /// <summary>Compact JSON of a value (json.dumps with separators (',', ':')).</summary>
    public static string Dumps(object? value) => JsonSerializer.Serialize(ToPlain(value));

    private static object? ToPlain(object? v) => v switch
    {
        Dict d => d.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        List<object?> l => l.Select(ToPlain).ToList(),
        _ => v,
    };
}

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

    /// <summary>Compact JSON of a value (json.dumps with separators (',', ':')); written by the engine's one JSON writer, no reflection.</summary>
    public static string Dumps(object? value) => PyStr.JsonDumps(value, separators: (",", ":"));
}

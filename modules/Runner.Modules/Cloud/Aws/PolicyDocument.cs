using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;

namespace Runner.Modules.Cloud.Aws;

/// <summary>
/// IAM policy documents (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
/// compared by meaning as amazon.aws's compare_policies does: key order is ignored, a single value equals a
/// one-item list, list order is ignored, and Version defaults are kept as given.
/// </summary>
public static class PolicyDocument
{
    /// <summary>Reads a policy given as a mapping or as JSON text. Errors: <see cref="FormatException"/> with the JSON problem.</summary>
    public static Dict Parse(object? value)
    {
        switch (value)
        {
            case Dict d: return d;
            case string s:
                try
                {
                    return JsonData.Parse(s) as Dict ?? throw new FormatException("the policy document is not a JSON object");
                }
                catch (System.Text.Json.JsonException e) { throw new FormatException($"the policy document is not valid JSON: {e.Message}"); }
            default: throw new FormatException("the policy document must be a mapping or JSON text");
        }
    }

    /// <summary>Whether two policies mean the same.</summary>
    public static bool SameMeaning(object? a, object? b) => Compare.DeepEquals(Normalize(a), Normalize(b));

    /// <summary>The canonical form: dict keys sorted, scalars as text, every list (and single value in a list position) sorted.</summary>
    public static object? Normalize(object? v) => v switch
    {
        Dict d => new Dict(d.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new KeyValuePair<string, object?>(kv.Key, NormalizeMember(kv.Value)))),
        List<object?> l => NormalizeMember(l),
        null => null,
        _ => PyStr.Str(v),
    };

    private static object? NormalizeMember(object? v)
    {
        if (v is Dict) return Normalize(v);
        var items = v is List<object?> l ? l : new List<object?> { v };
        return items.Select(Normalize).OrderBy(x => JsonData.Dumps(x), StringComparer.Ordinal).ToList();
    }
}

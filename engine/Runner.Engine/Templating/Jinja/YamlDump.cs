using System.Text;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// YAML text as PyYAML's yaml.dump writes it for Ansible's to_yaml / to_nice_yaml
/// (https://pyyaml.org/wiki/PyYAMLDocumentation): with <c>flowLeaves</c> (default_flow_style=None)
/// collections holding only scalars are written in flow style; block sequences inside mappings are
/// not indented; "- " is padded to the indent width; strings YAML 1.1 would read as another type
/// are single-quoted. Known gap: PyYAML folds scalars longer than 80 columns; this writer does not.
/// </summary>
internal static class YamlDump
{
    public static string Dump(object? v, int indent, bool flowLeaves, bool sortKeys)
    {
        var sb = new StringBuilder();
        if (IsScalar(v) || IsEmpty(v) || (flowLeaves && IsLeaf(v)))
        {
            sb.Append(IsScalar(v) ? Scalar(v, false) : Flow(v, sortKeys)).Append('\n');
            return sb.ToString();
        }
        Block(sb, v, 0, indent, flowLeaves, sortKeys);
        return sb.ToString();
    }

    private static bool IsScalar(object? v) => v is not (IReadOnlyDictionary<string, object?> or List<object?>);
    private static bool IsEmpty(object? v) => v is System.Collections.ICollection { Count: 0 };
    private static bool IsLeaf(object? v) => v switch
    {
        IReadOnlyDictionary<string, object?> d => d.Values.All(IsScalar),
        List<object?> l => l.All(IsScalar),
        _ => true,
    };

    private static IEnumerable<KeyValuePair<string, object?>> Items(IReadOnlyDictionary<string, object?> d, bool sort) =>
        sort ? d.OrderBy(kv => kv.Key, StringComparer.Ordinal) : d;

    private static bool Inline(object? v, bool flowLeaves) => IsScalar(v) || IsEmpty(v) || (flowLeaves && IsLeaf(v));

    private static string InlineText(object? v, bool sort) => IsScalar(v) ? Scalar(v, false) : Flow(v, sort);

    /// <summary>Writes a block collection whose first line starts at the current position (column <paramref name="col"/>).</summary>
    private static void Block(StringBuilder sb, object? v, int col, int indent, bool flowLeaves, bool sort)
    {
        var first = true;
        if (v is IReadOnlyDictionary<string, object?> d)
        {
            foreach (var (k, val) in Items(d, sort))
            {
                if (!first) sb.Append(' ', col);
                first = false;
                sb.Append(Scalar(k, false)).Append(':');
                if (Inline(val, flowLeaves)) sb.Append(' ').Append(InlineText(val, sort)).Append('\n');
                else if (val is List<object?>) { sb.Append('\n').Append(' ', col); Block(sb, val, col, indent, flowLeaves, sort); }
                else { sb.Append('\n').Append(' ', col + indent); Block(sb, val, col + indent, indent, flowLeaves, sort); }
            }
        }
        else if (v is List<object?> l)
        {
            foreach (var item in l)
            {
                if (!first) sb.Append(' ', col);
                first = false;
                sb.Append('-');
                if (Inline(item, flowLeaves)) sb.Append(' ').Append(InlineText(item, sort)).Append('\n');
                else { sb.Append(' ', indent - 1); Block(sb, item, col + indent, indent, flowLeaves, sort); }
            }
        }
    }

    private static string Flow(object? v, bool sort) => v switch
    {
        IReadOnlyDictionary<string, object?> d => "{" + string.Join(", ", Items(d, sort).Select(kv => Scalar(kv.Key, true) + ": " + FlowItem(kv.Value, sort))) + "}",
        List<object?> l => "[" + string.Join(", ", l.Select(x => FlowItem(x, sort))) + "]",
        _ => Scalar(v, true),
    };

    private static string FlowItem(object? v, bool sort) => IsScalar(v) ? Scalar(v, true) : Flow(v, sort);

    /// <summary>A scalar as PyYAML represents it (null, true/false, ints, floats, plain or quoted strings).</summary>
    public static string Scalar(object? v, bool inFlow) => v switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!,
        double d => double.IsNaN(d) ? ".nan" : double.IsPositiveInfinity(d) ? ".inf" : double.IsNegativeInfinity(d) ? "-.inf" : FloatText(d),
        string s => Str(s, inFlow),
        _ => Str(PyOps.Str(v), inFlow),
    };

    private static string FloatText(double d)
    {
        var r = PyStr.Float(d).ToLowerInvariant();
        if (!r.Contains('.') && r.Contains('e')) r = r.Replace("e", ".0e");
        return r;
    }

    private static string Str(string s, bool inFlow)
    {
        if (s.Length == 0) return "''";
        if (s.Any(c => c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == '\uFEFF')) return DoubleQuoted(s);
        if (PlainOk(s, inFlow)) return s;
        if (s.Contains('\n')) return "'" + s.Replace("'", "''").Replace("\n", "\n\n") + "'";
        return "'" + s.Replace("'", "''") + "'";
    }

    private static bool PlainOk(string s, bool inFlow)
    {
        if (YamlLoader.ResolvePlain(s) is not string) return false;
        if (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]) || s.Contains('\n') || s.Contains('\t')) return false;
        if ("#,[]{}&*!|>'\"%@`".Contains(s[0])) return false;
        if ((s[0] is '-' or '?' or ':') && (s.Length == 1 || s[1] == ' ')) return false;
        if (s.Contains(": ") || s.Contains(" #") || s.EndsWith(':')) return false;
        if (s.StartsWith("---") || s.StartsWith("...")) return false;
        if (inFlow && s.Any(c => ",[]{}".Contains(c))) return false;
        if (inFlow && s.Contains(':')) return false;
        return true;
    }

    private static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", '\r' => "\\r", '\0' => "\\0",
                _ when c < 0x20 || c == 0x7f => $"\\x{(int)c:X2}",
                '\uFEFF' => "\\uFEFF",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}

using System.Globalization;
using System.Text;

namespace Runner.Engine.Values;

/// <summary>
/// Python's text forms of Runner data, as Ansible shows values: <see cref="Str"/> is Python's
/// str() (so lists and dicts render as their repr, booleans as True/False, None as "None"),
/// <see cref="Repr"/> is repr(), and <see cref="JsonDumps"/> is json.dumps (ensure_ascii=False).
/// Follows https://docs.python.org/3/library/functions.html#repr and
/// https://docs.python.org/3/library/json.html#json.dumps.
/// </summary>
public static class PyStr
{
    /// <summary>Python str(value).</summary>
    public static string Str(object? v) => v switch
    {
        null => "None",
        string s => s,
        _ => Repr(v),
    };

    /// <summary>Python repr(value).</summary>
    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        WriteRepr(sb, v);
        return sb.ToString();
    }

    private static void WriteRepr(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null: sb.Append("None"); break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case string s: sb.Append(ReprString(s)); break;
            case long or int or short or byte or ulong or uint: sb.Append(System.Convert.ToString(v, CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(Float(d)); break;
            case float f: sb.Append(Float(f)); break;
            case decimal m: sb.Append(Float((double)m)); break;
            case IEnumerable<KeyValuePair<string, object?>> dict:
            {
                sb.Append('{');
                var first = true;
                foreach (var (k, val) in dict)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(ReprString(k)).Append(": ");
                    WriteRepr(sb, val);
                }
                sb.Append('}');
                break;
            }
            case System.Collections.IEnumerable list:
            {
                sb.Append('[');
                var first = true;
                foreach (var item in list)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    WriteRepr(sb, item);
                }
                sb.Append(']');
                break;
            }
            default: sb.Append(v.ToString()); break;
        }
    }

    /// <summary>Python's repr of a float: shortest round-trip digits, ".0" for integral values, inf/nan.</summary>
    public static string Float(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        var abs = Math.Abs(d);
        if (abs != 0 && (abs >= 1e16 || abs < 1e-4))
        {
            var e = d.ToString("E16", CultureInfo.InvariantCulture);
            // shortest round-trip mantissa
            var r = d.ToString("R", CultureInfo.InvariantCulture);
            if (!r.Contains('E')) r = d.ToString("0.################E+00", CultureInfo.InvariantCulture);
            var parts = r.Split('E');
            var mant = parts[0];
            var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            _ = e;
            return $"{mant}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        if (!s.Contains('.') && !s.Contains('E')) s += ".0";
        return s;
    }

    /// <summary>Python's repr of a str: single quotes unless the text has ' and no ".</summary>
    public static string ReprString(string s)
    {
        var q = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2);
        sb.Append(q);
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (ch == q) sb.Append('\\').Append(ch);
                    else if (ch < 0x20 || ch == 0x7f) sb.Append($"\\x{(int)ch:x2}");
                    else sb.Append(ch);
                    break;
            }
        }
        sb.Append(q);
        return sb.ToString();
    }

    /// <summary>
    /// Python json.dumps(value, sort_keys=<paramref name="sortKeys"/>, ensure_ascii=False,
    /// indent=<paramref name="indent"/>, separators=<paramref name="separators"/>): by default the separators are
    /// ", " and ": " without indent, "," and ": " with it.
    /// </summary>
    public static string JsonDumps(object? v, bool sortKeys = false, int? indent = null, (string Item, string Key)? separators = null)
    {
        var sb = new StringBuilder();
        WriteJson(sb, v, sortKeys, indent, 0, separators ?? (indent is null ? ", " : ",", ": "));
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, object? v, bool sortKeys, int? indent, int level, (string Item, string Key) sep)
    {
        switch (v)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: sb.Append(JsonString(s)); break;
            case long or int or short or byte or ulong or uint: sb.Append(System.Convert.ToString(v, CultureInfo.InvariantCulture)); break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : Float(d));
                break;
            case IEnumerable<KeyValuePair<string, object?>> dict:
            {
                var items = dict.ToList();
                if (sortKeys) items = items.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
                if (items.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                for (var i = 0; i < items.Count; i++)
                {
                    if (i > 0) sb.Append(sep.Item);
                    if (indent is not null) sb.Append('\n').Append(' ', indent.Value * (level + 1));
                    sb.Append(JsonString(items[i].Key)).Append(sep.Key);
                    WriteJson(sb, items[i].Value, sortKeys, indent, level + 1, sep);
                }
                if (indent is not null) sb.Append('\n').Append(' ', indent.Value * level);
                sb.Append('}');
                break;
            }
            case System.Collections.IEnumerable list:
            {
                var items = list.Cast<object?>().ToList();
                if (items.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (var i = 0; i < items.Count; i++)
                {
                    if (i > 0) sb.Append(sep.Item);
                    if (indent is not null) sb.Append('\n').Append(' ', indent.Value * (level + 1));
                    WriteJson(sb, items[i], sortKeys, indent, level + 1, sep);
                }
                if (indent is not null) sb.Append('\n').Append(' ', indent.Value * level);
                sb.Append(']');
                break;
            }
            default: sb.Append(JsonString(v.ToString() ?? "")); break;
        }
    }

    /// <summary>A JSON string literal as Python's json module writes it with ensure_ascii=False.</summary>
    public static string JsonString(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (ch < 0x20) sb.Append($"\\u{(int)ch:x4}");
                    else sb.Append(ch);
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Variables;

/// <summary>
/// Writes Runner data as YAML text that reads back (with <see cref="YamlLoader"/>, and with PyYAML as Ansible
/// loads it) as the same data: block style for non-empty mappings and sequences, "[]" and "{}" for empty ones.
/// Strings stay plain only when YAML 1.1 would not resolve them to something else (booleans such as
/// yes/no/on/off/y/n, null, ~, numbers such as 0755, 1.10, 1_000, 12:30, dates such as 2024-01-01) and they
/// contain no indicator; otherwise they are single-quoted, or double-quoted with escapes when they contain
/// line breaks or control characters. Follows https://yaml.org/spec/1.1/ and https://yaml.org/type/.
/// </summary>
public static class YamlValueWriter
{
    private static readonly Regex Timestamp = new(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", RegexOptions.Compiled);

    /// <summary>True for a value written on one line (a scalar, or an empty list or mapping).</summary>
    public static bool IsInline(object? value) => value switch
    {
        Dict d => d.Count == 0,
        List<object?> l => l.Count == 0,
        _ => true,
    };

    /// <summary>
    /// A mapping entry "KEY: VALUE" (block values on the following lines, indented by 2 more spaces),
    /// each line starting with <paramref name="indent"/> and ending with <paramref name="newline"/>.
    /// </summary>
    public static string Entry(string key, object? value, string indent, string newline)
    {
        var sb = new StringBuilder();
        WriteEntry(sb, key, value, indent);
        return sb.ToString().Replace("\n", newline);
    }

    /// <summary>A one-line value (<see cref="IsInline"/> must hold).</summary>
    public static string Inline(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int or short or byte or sbyte or uint or ushort or ulong => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => FloatText(d),
        float f => FloatText(f),
        decimal m => FloatText((double)m),
        string s => Str(s),
        Dict { Count: 0 } => "{}",
        List<object?> { Count: 0 } => "[]",
        _ => throw new ArgumentException($"cannot write a {value.GetType().Name} as a one-line YAML value"),
    };

    private static void WriteEntry(StringBuilder sb, string key, object? value, string indent)
    {
        sb.Append(indent).Append(Str(key)).Append(':');
        if (IsInline(value)) { sb.Append(' ').Append(Inline(value)).Append('\n'); return; }
        sb.Append('\n');
        WriteBlock(sb, value, indent + "  ");
    }

    private static void WriteBlock(StringBuilder sb, object? value, string indent)
    {
        switch (value)
        {
            case Dict d:
                foreach (var (k, v) in d) WriteEntry(sb, k, v, indent);
                break;
            case List<object?> l:
                foreach (var item in l)
                {
                    if (IsInline(item)) { sb.Append(indent).Append("- ").Append(Inline(item)).Append('\n'); continue; }
                    // nested block: its first line goes after "- "
                    var inner = new StringBuilder();
                    WriteBlock(inner, item, indent + "  ");
                    sb.Append(indent).Append("- ").Append(inner.ToString(indent.Length + 2, inner.Length - indent.Length - 2));
                }
                break;
            default:
                sb.Append(indent).Append(Inline(value)).Append('\n');
                break;
        }
    }

    /// <summary>A float that YAML 1.1 reads back as the same double: ".nan", ".inf", "1.0e+20", "0.5".</summary>
    public static string FloatText(double d)
    {
        if (double.IsNaN(d)) return ".nan";
        if (double.IsPositiveInfinity(d)) return ".inf";
        if (double.IsNegativeInfinity(d)) return "-.inf";
        var s = PyStr.Float(d);
        if (!s.Contains('.'))
        {
            var e = s.IndexOf('e');
            s = e >= 0 ? s[..e] + ".0" + s[e..] : s + ".0";
        }
        return s;
    }

    /// <summary>A string scalar: plain when that reads back as the same string, else quoted.</summary>
    public static string Str(string s) => CanBePlain(s) ? s : Quoted(s);

    /// <summary>True when <paramref name="s"/> written plain reads back as the same string in YAML 1.1.</summary>
    public static bool CanBePlain(string s)
    {
        if (s.Length == 0 || s != s.Trim(' ', '\t')) return false;
        foreach (var ch in s)
            if (ch < 0x20 || ch is '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff' or '\u00a0') return false;
        var first = s[0];
        if ("[]{}#&*!|>'\"%@`,".Contains(first)) return false;
        if (first is '-' or '?' or ':' && (s.Length == 1 || s[1] == ' ')) return false;
        if (s.Contains(": ") || s.Contains(" #") || s.EndsWith(':')) return false;
        if (s is "=" or "<<" or "y" or "Y" or "n" or "N") return false;
        if (Timestamp.IsMatch(s)) return false;
        return YamlLoader.ResolvePlain(s) is string r && r == s;
    }

    /// <summary>Single-quoted ('' for a quote) unless the text needs escapes, then double-quoted.</summary>
    public static string Quoted(string s)
    {
        var needsEscapes = s.Any(ch => ch < 0x20 || ch is '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff');
        if (!needsEscapes) return "'" + s.Replace("'", "''") + "'";
        var sb = new StringBuilder("\"");
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (ch < 0x20 || ch is '\u007f' or '\u0085' or '\u2028' or '\u2029' or '\ufeff')
                        sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(ch);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}

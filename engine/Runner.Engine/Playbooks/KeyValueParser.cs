using System.Text;

namespace Runner.Engine.Playbooks;

/// <summary>
/// Ansible's `k=v` argument strings (lib/ansible/parsing/splitter.py, parse_kv): words are split on
/// whitespace outside quotes and Jinja blocks; each word's backslash escapes are decoded (\\n \\t \\" \\xHH \\uHHHH ...,
/// splitter.py _decode_escapes); `k=v` words become arguments (quotes around v removed); the other words join,
/// as written, into "_raw_params" for free-form modules.
/// </summary>
public static class KeyValueParser
{
    /// <summary>Splits on whitespace, keeping quoted parts and {{ }} / {% %} blocks whole.</summary>
    public static List<string> SplitArgs(string text)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        char quote = '\0';
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\0' && depth == 0 && char.IsWhiteSpace(c))
            {
                if (sb.Length > 0) { words.Add(sb.ToString()); sb.Clear(); }
                continue;
            }
            if (c == '\\' && i + 1 < text.Length && quote != '\0')
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }
            if (depth == 0 && (c == '"' || c == '\''))
            {
                if (quote == '\0') quote = c;
                else if (quote == c) quote = '\0';
            }
            else if (i + 1 < text.Length && c == '{' && (text[i + 1] == '{' || text[i + 1] == '%')) { depth++; sb.Append(c).Append(text[++i]); continue; }
            else if (depth > 0 && i + 1 < text.Length && (c == '}' || c == '%') && text[i + 1] == '}') { depth--; sb.Append(c).Append(text[++i]); continue; }
            sb.Append(c);
        }
        if (sb.Length > 0) words.Add(sb.ToString());
        return words;
    }

    /// <summary>
    /// Parses `k=v` words into a dictionary; when <paramref name="freeForm"/>, words that are not
    /// known options go to "_raw_params" (joined by a space, as written).
    /// </summary>
    public static Values.Dict Parse(string text, bool freeForm, ISet<string>? freeFormOptions = null)
    {
        var result = new Values.Dict();
        var raw = new List<string>();
        foreach (var word in SplitArgs(text))
        {
            var x = DecodeEscapes(word);
            var eq = x.IndexOf('=');
            var isKv = eq > 0 && IsIdentifier(x[..eq]) && !x.StartsWith("{{");
            if (isKv && (!freeForm || freeFormOptions is null || freeFormOptions.Contains(x[..eq])))
                result[x[..eq]] = Unquote(x[(eq + 1)..]);
            else
                raw.Add(word);
        }
        if (raw.Count > 0)
        {
            if (!freeForm)
                throw new FormatException($"this task's arguments must be key=value pairs, got: {string.Join(' ', raw)}");
            result["_raw_params"] = RawRemainder(text, raw);
        }
        return result;
    }

    private static string RawRemainder(string text, List<string> raw) =>
        // keep the original spacing of the free-form part when it is the whole text
        raw.Count == SplitArgs(text).Count ? text.Trim() : string.Join(' ', raw);

    private static bool IsIdentifier(string s) => s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || c == '_');

    /// <summary>splitter.py unquote/is_quoted: one pair of matching outer quotes removed, unless the closing one is escaped.</summary>
    private static string Unquote(string v) =>
        v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[^1] == v[0] && v[^2] != '\\' ? v[1..^1] : v;

    private static readonly System.Text.RegularExpressions.Regex Escape =
        new(@"\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[\\'""abfnrtv]", System.Text.RegularExpressions.RegexOptions.Compiled);

    /// <summary>Python's unicode-escape decoding of the sequences splitter.py's _ESCAPE_SEQUENCE_RE matches.</summary>
    internal static string DecodeEscapes(string s) => !s.Contains('\\') ? s : Escape.Replace(s, m => m.Value[1] switch
    {
        'U' or 'u' or 'x' => Convert.ToInt32(m.Value[2..], 16) is var n && n is >= 0xD800 and <= 0xDFFF or > 0x10FFFF
            ? ((char)Math.Min(n, 0xFFFF)).ToString() : char.ConvertFromUtf32(n),
        'a' => "\a", 'b' => "\b", 'f' => "\f", 'n' => "\n", 'r' => "\r", 't' => "\t", 'v' => "\v",
        var c => c.ToString(),
    });
}

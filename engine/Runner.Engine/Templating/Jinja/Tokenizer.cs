using System.Globalization;
using System.Text;

namespace Runner.Engine.Templating.Jinja;

/// <summary>Kinds of expression tokens inside a Jinja tag.</summary>
internal enum TokKind { Name, String, Int, Float, Op, End }

/// <summary>One token of a Jinja expression: a name, literal or operator.</summary>
internal sealed record Tok(TokKind Kind, string Text, object? Value = null);

/// <summary>
/// Tokenizes the expression inside a Jinja tag as Jinja 3.1's lexer does in its "block" and "variable"
/// states (jinja2/lexer.py): names, numbers (with _ and 0x/0o/0b), string literals with Python escapes,
/// operators; the closing delimiter ends the tag only outside brackets, and "-" before it (or "+" for
/// block tags) is whitespace control. With <c>rawStrings</c> string literals keep their backslashes
/// (Ansible's _escape_backslashes for task strings).
/// </summary>
internal static class Tokenizer
{
    private static readonly string[] Ops =
        { "**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|" };

    /// <summary>Tokenizes an expression from <paramref name="p"/> to the closing delimiter (consumed).</summary>
    /// <summary>
    /// Tokenizes from <paramref name="p"/> to <paramref name="close"/> (consumed; null: to the end).
    /// <paramref name="sign"/> is '-' or '+' when the tag closed with "-close" or "+close" ('+' only when
    /// <paramref name="plusClose"/>), else '\0'.
    /// </summary>
    public static List<Tok> Tokenize(string s, ref int p, string? close, bool plusClose, out char sign, bool rawStrings)
    {
        var toks = new List<Tok>();
        var depth = 0;
        sign = '\0';
        while (true)
        {
            while (p < s.Length && char.IsWhiteSpace(s[p])) p++;
            if (p >= s.Length)
            {
                if (close is null) break;
                throw new TemplateError($"template error while templating string: unexpected end of template, expected '{close}'.");
            }
            if (close is not null && depth == 0)
            {
                if ((s[p] == '-' || (plusClose && s[p] == '+')) && At(s, p + 1, close)) { sign = s[p]; p += 1 + close.Length; break; }
                if (At(s, p, close)) { p += close.Length; break; }
            }
            var c = s[p];
            if (char.IsLetter(c) || c == '_')
            {
                var st = p;
                while (p < s.Length && (char.IsLetterOrDigit(s[p]) || s[p] == '_')) p++;
                toks.Add(new Tok(TokKind.Name, s[st..p]));
            }
            else if (char.IsDigit(c)) toks.Add(Number(s, ref p));
            else if (c == '\'' || c == '"') toks.Add(StringTok(s, ref p, rawStrings));
            else
            {
                var at = p;
                var op = Ops.FirstOrDefault(o => string.CompareOrdinal(s, at, o, 0, o.Length) == 0)
                    ?? throw new TemplateError($"template error while templating string: unexpected char '{c}' at {p}.");
                if (op is "(" or "[" or "{") depth++;
                if (op is ")" or "]" or "}") depth--;
                p += op.Length;
                toks.Add(new Tok(TokKind.Op, op));
            }
        }
        toks.Add(new Tok(TokKind.End, ""));
        return toks;
    }

    /// <summary>Does <paramref name="s"/> hold <paramref name="what"/> at <paramref name="at"/>?</summary>
    public static bool At(string s, int at, string what) =>
        at + what.Length <= s.Length && string.CompareOrdinal(s, at, what, 0, what.Length) == 0;

    private static Tok Number(string s, ref int p)
    {
        var st = p;
        if (s[p] == '0' && p + 1 < s.Length && "xXoObB".Contains(s[p + 1]))
        {
            var radix = char.ToLowerInvariant(s[p + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            p += 2;
            var ds = p;
            while (p < s.Length && (Uri.IsHexDigit(s[p]) || s[p] == '_')) p++;
            return new Tok(TokKind.Int, s[st..p], Convert.ToInt64(s[ds..p].Replace("_", ""), radix));
        }
        while (p < s.Length && (char.IsDigit(s[p]) || s[p] == '_')) p++;
        var isFloat = false;
        if (p + 1 < s.Length && s[p] == '.' && char.IsDigit(s[p + 1]))
        {
            isFloat = true;
            p++;
            while (p < s.Length && (char.IsDigit(s[p]) || s[p] == '_')) p++;
        }
        if (p < s.Length && (s[p] == 'e' || s[p] == 'E'))
        {
            var q = p + 1;
            if (q < s.Length && (s[q] == '+' || s[q] == '-')) q++;
            if (q < s.Length && char.IsDigit(s[q]))
            {
                isFloat = true;
                p = q;
                while (p < s.Length && char.IsDigit(s[p])) p++;
            }
        }
        var txt = s[st..p].Replace("_", "");
        return isFloat
            ? new Tok(TokKind.Float, txt, double.Parse(txt, CultureInfo.InvariantCulture))
            : new Tok(TokKind.Int, txt, long.Parse(txt, CultureInfo.InvariantCulture));
    }

    private static Tok StringTok(string s, ref int p, bool raw)
    {
        var q = s[p++];
        var sb = new StringBuilder();
        while (true)
        {
            if (p >= s.Length) throw new TemplateError("template error while templating string: unexpected end of string literal.");
            var c = s[p];
            if (c == q) { p++; break; }
            if (c == '\\' && p + 1 < s.Length)
            {
                var n = s[p + 1];
                if (raw) { sb.Append(c).Append(n); p += 2; continue; }
                p += 2;
                switch (n)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case '\\': sb.Append('\\'); break;
                    case '\'': sb.Append('\''); break;
                    case '"': sb.Append('"'); break;
                    case 'a': sb.Append('\a'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'v': sb.Append('\v'); break;
                    case '0': sb.Append('\0'); break;
                    case '\n': break;
                    case 'x' when p + 2 <= s.Length:
                        sb.Append((char)Convert.ToInt32(s.Substring(p, 2), 16)); p += 2; break;
                    case 'u' when p + 4 <= s.Length:
                        sb.Append((char)Convert.ToInt32(s.Substring(p, 4), 16)); p += 4; break;
                    default: sb.Append('\\').Append(n); break;
                }
                continue;
            }
            sb.Append(c);
            p++;
        }
        return new Tok(TokKind.String, sb.ToString(), sb.ToString());
    }
}

using System.Globalization;
using System.Text;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Python's ast.literal_eval for the texts Ansible converts back to native values
/// (https://docs.python.org/3/library/ast.html#ast.literal_eval): strings, ints, floats, True/False/None,
/// lists, tuples and dicts (tuples become lists, dict keys become their str()). Anything else (names,
/// calls, sets, syntax errors) fails; JSON's true/false/null are accepted as Ansible's Json2Python does, and the caller keeps the text.
/// </summary>
internal static class LiteralEval
{
    /// <summary>Ansible's ansible_eval_concat rule: text starting with { or [, or exactly True/False, is literal_eval'ed when it parses.</summary>
    public static object? Convert(string text)
    {
        if (!(text.StartsWith('{') || text.StartsWith('[') || text is "True" or "False")) return text;
        return TryParse(text, out var v) ? v : text;
    }

    public static bool TryParse(string text, out object? value)
    {
        var p = 0;
        value = null;
        try
        {
            value = Value(text, ref p);
            Ws(text, ref p);
            return p == text.Length;
        }
        catch (FormatException) { return false; }
        catch (OverflowException) { return false; }
    }

    private static void Ws(string s, ref int p) { while (p < s.Length && char.IsWhiteSpace(s[p])) p++; }

    private static object? Value(string s, ref int p)
    {
        Ws(s, ref p);
        if (p >= s.Length) throw new FormatException();
        var c = s[p];
        if (c == '[' || c == '(')
        {
            var close = c == '[' ? ']' : ')';
            p++;
            var l = new List<object?>();
            while (true)
            {
                Ws(s, ref p);
                if (p < s.Length && s[p] == close) { p++; return l; }
                l.Add(Value(s, ref p));
                Ws(s, ref p);
                if (p < s.Length && s[p] == ',') { p++; continue; }
                if (p < s.Length && s[p] == close) { p++; return l; }
                throw new FormatException();
            }
        }
        if (c == '{')
        {
            p++;
            var d = new Dict();
            while (true)
            {
                Ws(s, ref p);
                if (p < s.Length && s[p] == '}') { p++; return d; }
                var k = Value(s, ref p);
                if (k is List<object?> or Dict) throw new FormatException();
                Ws(s, ref p);
                if (p >= s.Length || s[p] != ':') throw new FormatException();
                p++;
                d[k as string ?? PyOps.Str(k)] = Value(s, ref p);
                Ws(s, ref p);
                if (p < s.Length && s[p] == ',') { p++; continue; }
                if (p < s.Length && s[p] == '}') { p++; return d; }
                throw new FormatException();
            }
        }
        if (c == '\'' || c == '"') return Str(s, ref p);
        if ((c == 'u' || c == 'r' || c == 'U' || c == 'R') && p + 1 < s.Length && (s[p + 1] == '\'' || s[p + 1] == '"'))
        {
            var raw = c is 'r' or 'R';
            p++;
            return raw ? RawStr(s, ref p) : Str(s, ref p);
        }
        if (char.IsLetter(c))
        {
            var st = p;
            while (p < s.Length && (char.IsLetterOrDigit(s[p]) || s[p] == '_')) p++;
            // Ansible's Json2Python also accepts JSON's true/false/null names
            return s[st..p] switch { "True" or "true" => true, "False" or "false" => false, "None" or "null" => null, _ => throw new FormatException() };
        }
        if (c == '-' || c == '+')
        {
            p++;
            var v = Value(s, ref p);
            return v switch
            {
                long l => c == '-' ? -l : l,
                double d => c == '-' ? -d : d,
                _ => throw new FormatException(),
            };
        }
        if (char.IsDigit(c) || c == '.')
        {
            var st = p;
            while (p < s.Length && (char.IsLetterOrDigit(s[p]) || s[p] is '.' or '_' || ((s[p] is '+' or '-') && (s[p - 1] is 'e' or 'E') && !s[st..p].StartsWith("0x", StringComparison.OrdinalIgnoreCase)))) p++;
            var t = s[st..p];
            if (Filters.TryParseInt(t, 0, out var n) && !t.Contains(' ')) return n;
            if (t.Any(ch => char.IsLetter(ch) && ch is not ('e' or 'E'))) throw new FormatException();
            return double.Parse(t.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        throw new FormatException();
    }

    private static string RawStr(string s, ref int p)
    {
        var q = s[p++];
        var st = p;
        while (p < s.Length && s[p] != q) { if (s[p] == '\\') p++; p++; }
        if (p >= s.Length) throw new FormatException();
        return s[st..p++];
    }

    private static string Str(string s, ref int p)
    {
        var q = s[p++];
        var sb = new StringBuilder();
        while (true)
        {
            if (p >= s.Length || s[p] == '\n') throw new FormatException();
            var c = s[p++];
            if (c == q) return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            if (p >= s.Length) throw new FormatException();
            var e = s[p++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'x': sb.Append((char)System.Convert.ToInt32(s.Substring(p, 2), 16)); p += 2; break;
                case 'u': sb.Append((char)System.Convert.ToInt32(s.Substring(p, 4), 16)); p += 4; break;
                case 'U': sb.Append(char.ConvertFromUtf32(System.Convert.ToInt32(s.Substring(p, 8), 16))); p += 8; break;
                default: sb.Append('\\').Append(e); break;
            }
        }
    }
}

using System.Globalization;
using System.Text;

namespace Runner.Engine.Templating.Jinja;

/// <summary>Kinds of expression tokens inside a Jinja tag.</summary>
internal enum TokKind { Name, String, Int, Float, Op, End }

/// <summary>One token of a Jinja expression: a name, literal or operator.</summary>
internal sealed record Tok(TokKind Kind, string Text, object? Value = null);

/// <summary>A piece of template source: plain text, a {{ }} output tag or a {% %} statement tag.</summary>
internal abstract record Segment;
internal sealed record TextSeg(string Text) : Segment;
internal sealed record VarSeg(List<Tok> Tokens) : Segment;
internal sealed record BlockSeg(List<Tok> Tokens) : Segment;

/// <summary>
/// Splits Jinja2 template source into text, {{ }} and {% %} segments and tokenizes the
/// expressions inside tags, following Jinja 3.1's lexer (https://jinja.palletsprojects.com/en/3.1.x/templates/):
/// comments {# #} are dropped, "-" strips whitespace on that side of a tag, trim_blocks removes the
/// first newline after a block tag, {% raw %} keeps its body verbatim, and braces are balanced so
/// "}}" inside a dict literal does not close the tag. With <c>rawStringsInVar</c> string literals
/// inside {{ }} keep their backslashes (Ansible's _escape_backslashes for task strings).
/// </summary>
internal static class Lexer
{
    public static List<Segment> Lex(string src, bool trimBlocks, bool rawStringsInVar)
    {
        var segs = new List<Segment>();
        var text = new StringBuilder();
        var i = 0;
        var stripNextWs = false;
        var trimNextNewline = false;
        while (i < src.Length)
        {
            var open = FindOpen(src, i);
            var chunkEnd = open < 0 ? src.Length : open;
            var chunk = src.Substring(i, chunkEnd - i);
            if (stripNextWs) chunk = chunk.TrimStart();
            else if (trimNextNewline)
            {
                if (chunk.StartsWith("\r\n")) chunk = chunk[2..];
                else if (chunk.StartsWith('\n')) chunk = chunk[1..];
            }
            stripNextWs = trimNextNewline = false;
            text.Append(chunk);
            if (open < 0) break;
            var kind = src[open + 1];
            var p = open + 2;
            if (p < src.Length && src[p] == '-') { TrimEndWs(text); p++; }
            else if (p < src.Length && src[p] == '+') p++;
            if (kind == '#')
            {
                var close = src.IndexOf("#}", p, StringComparison.Ordinal);
                if (close < 0) throw new TemplateError("template error while templating string: Missing end of comment tag.");
                if (src[close - 1] == '-') stripNextWs = true;
                else if (trimBlocks) trimNextNewline = true;
                i = close + 2;
                continue;
            }
            var toks = Tokenize(src, ref p, kind == '{' ? "}}" : "%}", out var dashClose, kind == '{' && rawStringsInVar);
            if (text.Length > 0) { segs.Add(new TextSeg(text.ToString())); text.Clear(); }
            i = p;
            if (dashClose) stripNextWs = true;
            else if (kind == '%' && trimBlocks) trimNextNewline = true;
            if (kind == '{') { segs.Add(new VarSeg(toks)); continue; }
            if (toks.Count >= 2 && toks[0].Kind == TokKind.Name && toks[0].Text == "raw")
            {
                // body up to {% endraw %}
                var m = System.Text.RegularExpressions.Regex.Match(src[i..], @"\{%(-?)\s*endraw\s*(-?)%\}");
                if (!m.Success) throw new TemplateError("template error while templating string: Missing end of raw directive.");
                var body = src.Substring(i, m.Index);
                if (stripNextWs) body = body.TrimStart();
                else if (trimNextNewline && body.StartsWith('\n')) body = body[1..];
                if (m.Groups[1].Value == "-") body = body.TrimEnd();
                segs.Add(new TextSeg(body));
                i += m.Index + m.Length;
                stripNextWs = m.Groups[2].Value == "-";
                trimNextNewline = !stripNextWs && trimBlocks;
                continue;
            }
            segs.Add(new BlockSeg(toks));
        }
        if (text.Length > 0) segs.Add(new TextSeg(text.ToString()));
        return segs;
    }

    private static void TrimEndWs(StringBuilder sb)
    {
        var n = sb.Length;
        while (n > 0 && char.IsWhiteSpace(sb[n - 1])) n--;
        sb.Length = n;
    }

    private static int FindOpen(string s, int from)
    {
        for (var k = from; k < s.Length - 1; k++)
            if (s[k] == '{' && (s[k + 1] == '{' || s[k + 1] == '%' || s[k + 1] == '#')) return k;
        return -1;
    }

    private static readonly string[] Ops =
        { "**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|" };

    /// <summary>Tokenizes an expression from <paramref name="p"/> to the closing delimiter (consumed).</summary>
    public static List<Tok> Tokenize(string s, ref int p, string? close, out bool dashClose, bool rawStrings)
    {
        var toks = new List<Tok>();
        var depth = 0;
        dashClose = false;
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
                if (s[p] == '-' && string.CompareOrdinal(s, p + 1, close, 0, 2) == 0) { dashClose = true; p += 3; break; }
                if (string.CompareOrdinal(s, p, close, 0, 2) == 0) { p += 2; break; }
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

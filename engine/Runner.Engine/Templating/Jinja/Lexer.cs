using System.Text.RegularExpressions;

namespace Runner.Engine.Templating.Jinja;

/// <summary>A piece of template source starting on <see cref="Line"/>: text, a {{ }} output tag or a {% %} statement tag.</summary>
internal abstract record Segment(int Line);
internal sealed record TextSeg(string Text, int Line) : Segment(Line);
internal sealed record VarSeg(List<Tok> Tokens, int Line) : Segment(Line);
internal sealed record BlockSeg(List<Tok> Tokens, int Line) : Segment(Line);

/// <summary>
/// Splits Jinja2 template source into text, output and statement segments as Jinja 3.1's lexer does
/// (jinja2/lexer.py, Lexer.tokeniter; https://jinja.palletsprojects.com/en/3.1.x/templates/#whitespace-control):
/// line ends become "\n" and one trailing newline is dropped unless keep_trailing_newline; comments are
/// dropped; "-" after a start delimiter strips all whitespace before the tag, "-" before an end
/// delimiter all whitespace after it; trim_blocks removes the one newline after a block or comment tag
/// (not after {% raw %} itself), "+%}" keeps it; lstrip_blocks strips spaces and tabs from the start of a
/// line up to a block or comment tag, "{%+" keeps them; {% raw %} bodies stay verbatim; text newlines
/// become newline_sequence. Delimiters come from <see cref="TemplateOptions"/>.
/// </summary>
internal static class Lexer
{
    public static List<Segment> Lex(string src, TemplateOptions o, bool rawStringsInVar)
    {
        src = NormalizeSource(src, o.KeepTrailingNewline);
        var segs = new List<Segment>();
        var starts = new[] { (o.BlockStart, 'b'), (o.VariableStart, 'v'), (o.CommentStart, 'c') }
            .OrderByDescending(x => x.Item1.Length).ToArray();
        var rawBegin = new Regex($@"\G{Regex.Escape(o.BlockStart)}([-+]?)\s*raw\s*(?:-{Regex.Escape(o.BlockEnd)}\s*|{Regex.Escape(o.BlockEnd)})");
        var pos = 0;
        var line = 1;
        var lineStarting = true;
        while (pos < src.Length)
        {
            var (open, kind, delim) = FindOpen(src, pos, starts);
            if (open < 0) { AddText(segs, src[pos..], line, o); break; }
            var raw = kind == 'b' ? rawBegin.Match(src, open) : Match.Empty;
            var p = open + delim.Length;
            var sign = raw.Success ? Sign(raw.Groups[1].Value) : p < src.Length && src[p] is '-' or '+' ? src[p] : '\0';
            if (!raw.Success && sign != '\0') p++;
            AddText(segs, Strip(src[pos..open], sign, o.LstripBlocks && kind != 'v', lineStarting), line, o);
            line += Newlines(src, pos, open);
            var tagLine = line;
            try
            {
                if (raw.Success) p = RawBody(src, open + raw.Length, o, segs, line, src[open + raw.Length - 1] == '\n');
                else if (kind == 'c') p = CommentEnd(src, p, o);
                else
                {
                    var toks = Tokenizer.Tokenize(src, ref p, kind == 'v' ? o.VariableEnd : o.BlockEnd, kind == 'b', out var close, kind == 'v' && rawStringsInVar);
                    if (close == '-') p = SkipWs(src, p);
                    else if (close == '\0' && kind == 'b' && o.TrimBlocks && p < src.Length && src[p] == '\n') p++;
                    segs.Add(kind == 'v' ? new VarSeg(toks, tagLine) : new BlockSeg(toks, tagLine));
                }
            }
            catch (TemplateError e) when (e is not TemplateSyntaxError) { throw new TemplateSyntaxError(e.Message, tagLine, e); }
            line += Newlines(src, open, p);
            lineStarting = src[p - 1] == '\n';
            pos = p;
        }
        return segs;
    }

    /// <summary>Jinja splits the source on \r\n, \r and \n, drops a last empty line unless keep_trailing_newline, joins with \n.</summary>
    private static string NormalizeSource(string s, bool keepTrailingNewline)
    {
        if (s.Contains('\r')) s = s.Replace("\r\n", "\n").Replace('\r', '\n');
        return !keepTrailingNewline && s.EndsWith('\n') ? s[..^1] : s;
    }

    private static (int, char, string) FindOpen(string s, int from, (string Delim, char Kind)[] starts)
    {
        var best = (-1, '\0', "");
        foreach (var (d, k) in starts)
        {
            var at = s.IndexOf(d, from, StringComparison.Ordinal);
            if (at >= 0 && (best.Item1 < 0 || at < best.Item1)) best = (at, k, d);
        }
        return best;
    }

    private static char Sign(string g) => g.Length == 0 ? '\0' : g[0];

    /// <summary>Jinja's OptionalLStrip: "-" rstrips the text; else lstrip_blocks removes a whitespace-only start of the tag's line.</summary>
    private static string Strip(string text, char sign, bool lstrip, bool lineStarting)
    {
        if (sign == '-') return text.TrimEnd();
        if (sign == '+' || !lstrip) return text;
        var l = text.LastIndexOf('\n') + 1;
        if ((l > 0 || lineStarting) && l < text.Length && text.AsSpan(l).IsWhiteSpace()) return text[..l];
        return text;
    }

    private static void AddText(List<Segment> segs, string text, int line, TemplateOptions o)
    {
        if (text.Length == 0) return;
        segs.Add(new TextSeg(o.NewlineSequence == "\n" ? text : text.Replace("\n", o.NewlineSequence), line));
    }

    /// <summary>Finds the end of a comment: "+#}" ends it, "-#}" also strips the whitespace after, "#}" then the trim_blocks newline.</summary>
    private static int CommentEnd(string s, int p, TemplateOptions o)
    {
        var ce = o.CommentEnd;
        for (var j = p; j < s.Length; j++)
        {
            if (s[j] == '+' && Tokenizer.At(s, j + 1, ce)) return j + 1 + ce.Length;
            if (s[j] == '-' && Tokenizer.At(s, j + 1, ce)) return SkipWs(s, j + 1 + ce.Length);
            if (Tokenizer.At(s, j, ce)) return TrimNewline(s, j + ce.Length, o);
        }
        throw new TemplateError("template error while templating string: Missing end of comment tag.");
    }

    /// <summary>Adds the verbatim body of {% raw %} up to {% endraw %} (whose own whitespace control applies) and returns the position after it.</summary>
    private static int RawBody(string s, int p, TemplateOptions o, List<Segment> segs, int line, bool lineStarting)
    {
        var bs = Regex.Escape(o.BlockStart);
        var be = Regex.Escape(o.BlockEnd);
        var m = new Regex($@"\G(.*?)(?:{bs}([-+]?))\s*endraw\s*(\+{be}|-{be}\s*|{be})", RegexOptions.Singleline).Match(s, p);
        if (!m.Success) throw new TemplateError("template error while templating string: Missing end of raw directive.");
        AddText(segs, Strip(m.Groups[1].Value, Sign(m.Groups[2].Value), o.LstripBlocks, lineStarting), line, o);
        var end = m.Index + m.Length;
        return m.Groups[3].Value == o.BlockEnd ? TrimNewline(s, end, o) : end;
    }

    private static int TrimNewline(string s, int p, TemplateOptions o) => o.TrimBlocks && p < s.Length && s[p] == '\n' ? p + 1 : p;

    private static int SkipWs(string s, int p) { while (p < s.Length && char.IsWhiteSpace(s[p])) p++; return p; }

    private static int Newlines(string s, int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++) if (s[i] == '\n') n++;
        return n;
    }
}

namespace Runner.Engine.Values;

/// <summary>
/// Python's splitlines, the one line splitter of the project: <see cref="Split"/> is str.splitlines(keepends) (breaks
/// at \n, \r\n, \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029; no empty last item after a final break) and
/// <paramref name="bytesOnly"/> gives bytes.splitlines (only \n, \r\n and \r break), as Ansible's lookups read files; <see cref="ReadLines"/> is
/// readlines() of a file opened in binary mode.
/// Follows https://docs.python.org/3/library/stdtypes.html#str.splitlines.
/// </summary>
public static class PyLines
{
    /// <summary>The lines of <paramref name="s"/>, each with its line end when <paramref name="keepEnds"/>.</summary>
    public static List<string> Split(string s, bool keepEnds = false, bool bytesOnly = false)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (!IsBreak(s[i], bytesOnly)) continue;
            var end = i;
            if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n') i++;
            lines.Add(keepEnds ? s[start..(i + 1)] : s[start..end]);
            start = i + 1;
        }
        if (start < s.Length) lines.Add(s[start..]);
        return lines;
    }

    /// <summary>A file's lines as Python's readlines() gives them in binary mode: split after each "\n", which each keeps.</summary>
    public static List<string> ReadLines(string? s)
    {
        var lines = new List<string>();
        if (string.IsNullOrEmpty(s)) return lines;
        var start = 0;
        for (var i = s.IndexOf('\n'); i >= 0; i = s.IndexOf('\n', start)) { lines.Add(s[start..(i + 1)]); start = i + 1; }
        if (start < s.Length) lines.Add(s[start..]);
        return lines;
    }

    /// <summary><see cref="Split"/> as a list of Runner values (stdout_lines and the like).</summary>
    public static List<object?> Values(string s, bool bytesOnly = false) => Split(s, bytesOnly: bytesOnly).Cast<object?>().ToList();

    private static bool IsBreak(char c, bool bytesOnly) => bytesOnly
        ? c is '\n' or '\r'
        : c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';
}

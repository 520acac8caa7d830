namespace Runner.Engine.Connections;

/// <summary>POSIX sh quoting, as Python's shlex.quote does: safe words stay bare, others go in single quotes.</summary>
public static class ShellQuote
{
    /// <summary>Quotes one word so sh reads it back unchanged; "" becomes ''.</summary>
    public static string Quote(string s)
    {
        if (s.Length == 0) return "''";
        if (s.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./-_".Contains(c))) return s;
        return "'" + s.Replace("'", "'\"'\"'") + "'";
    }

    /// <summary>Quotes every word and joins them with spaces.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}

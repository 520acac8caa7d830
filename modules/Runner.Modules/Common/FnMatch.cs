using System.Text;
using System.Text.RegularExpressions;

namespace Runner.Modules.Common;

/// <summary>Python's fnmatch.fnmatchcase (setup's filter, find's patterns): *, ?, [seq], [!seq]; case-sensitive, '/' not special.</summary>
internal static class FnMatch
{
    /// <summary>Whether all of <paramref name="name"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string name, string pattern)
    {
        var re = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '*') re.Append("(?s:.*)");
            else if (ch == '?') re.Append("(?s:.)");
            else if (ch == '[' && pattern.IndexOf(']', i + 1) is var end and > 0)
            {
                var body = pattern[(i + 1)..end];
                re.Append('[').Append(body.StartsWith('!') ? "^" + Regex.Escape(body[1..]) : Regex.Escape(body)).Append(']');
                i = end;
            }
            else re.Append(Regex.Escape(ch.ToString()));
        }
        return Regex.IsMatch(name, re.Append(@"\z").ToString(), RegexOptions.CultureInvariant);
    }
}

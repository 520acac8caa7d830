using System.Text;

namespace Runner.Modules.Common;

/// <summary>
/// Python's shlex.split(s) (POSIX mode, no comments), which Ansible's command module uses to turn the
/// free-form text into argv (https://docs.python.org/3/library/shlex.html#shlex.split).
/// </summary>
internal static class Shlex
{
    /// <summary>Splits <paramref name="s"/> into words.</summary>
    /// <exception cref="FormatException">"No closing quotation" or "No escaped character", as Python says.</exception>
    public static List<string> Split(string s)
    {
        var words = new List<string>();
        var cur = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (inWord) { words.Add(cur.ToString()); cur.Clear(); inWord = false; }
                continue;
            }
            inWord = true;
            if (c == '\\')
            {
                if (++i >= s.Length) throw new FormatException("No escaped character");
                cur.Append(s[i]);
            }
            else if (c == '\'')
            {
                var end = s.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException("No closing quotation");
                cur.Append(s, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; ; i++)
                {
                    if (i >= s.Length) throw new FormatException("No closing quotation");
                    if (s[i] == '"') break;
                    if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\') { cur.Append(s[++i]); continue; }
                    cur.Append(s[i]);
                }
            }
            else cur.Append(c);
        }
        if (inWord) words.Add(cur.ToString());
        return words;
    }
}

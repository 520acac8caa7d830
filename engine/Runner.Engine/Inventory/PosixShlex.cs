using System.Text;
using Runner.Engine.Errors;

namespace Runner.Engine.Inventory;

/// <summary>
/// Python's <c>shlex.split(line, comments=True)</c> (POSIX mode, https://docs.python.org/3/library/shlex.html):
/// words split on whitespace, single quotes literal, double quotes honouring \\ \" \$ \` escapes,
/// backslash escapes outside quotes, '#' outside quotes starting a comment. Unclosed quotes raise
/// RunnerException("No closing quotation"), as shlex's ValueError.
/// </summary>
public static class PosixShlex
{
    /// <summary>Splits <paramref name="line"/> into words.</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(sb.ToString()); sb.Clear(); inWord = false; }
                i++;
            }
            else if (c == '#')
            {
                break;
            }
            else if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                if (end < 0) throw new RunnerException("No closing quotation");
                sb.Append(line, i + 1, end - i - 1);
                inWord = true;
                i = end + 1;
            }
            else if (c == '"')
            {
                i++;
                var closed = false;
                while (i < line.Length)
                {
                    var d = line[i];
                    if (d == '"') { closed = true; i++; break; }
                    if (d == '\\' && i + 1 < line.Length && line[i + 1] is '\\' or '"' or '$' or '`' or '\n')
                    {
                        sb.Append(line[i + 1]);
                        i += 2;
                        continue;
                    }
                    sb.Append(d);
                    i++;
                }
                if (!closed) throw new RunnerException("No closing quotation");
                inWord = true;
            }
            else if (c == '\\')
            {
                if (i + 1 >= line.Length) throw new RunnerException("No escaped character");
                sb.Append(line[i + 1]);
                inWord = true;
                i += 2;
            }
            else
            {
                sb.Append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) words.Add(sb.ToString());
        return words;
    }
}

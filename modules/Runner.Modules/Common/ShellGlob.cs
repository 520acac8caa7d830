using System.Text;
using Runner.Engine.Connections;

namespace Runner.Modules.Common;

/// <summary>
/// Turns a Python glob pattern (glob.glob: *, ?, [...]) into sh text where only the wildcard
/// characters stay unquoted, so sh expands the pattern but nothing else in it.
/// </summary>
internal static class ShellGlob
{
    /// <summary>The pattern quoted for sh with its wildcards left active.</summary>
    public static string Quote(string pattern)
    {
        var sb = new StringBuilder();
        var literal = new StringBuilder();
        void Flush() { if (literal.Length > 0) { sb.Append(ShellQuote.Quote(literal.ToString())); literal.Clear(); } }
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c is '*' or '?') { Flush(); sb.Append(c); }
            else if (c == '[' && pattern.IndexOf(']', i + 1) is var end and > 0)
            {
                Flush();
                var body = pattern[(i + 1)..end];
                sb.Append('[').Append(body.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`")).Append(']');
                i = end;
            }
            else literal.Append(c);
        }
        Flush();
        return sb.ToString();
    }

    /// <summary>An sh snippet exiting 0 when the pattern matches an existing path (glob.glob non-empty), else 1.</summary>
    public static string ExistsScript(string pattern) =>
        $"for f in {Quote(pattern)}; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then exit 0; fi; done; exit 1";
}

using System.Text;
using System.Text.RegularExpressions;

namespace Runner.Engine.Results;

/// <summary>
/// Ansible's warning lines (lib/ansible/utils/display.py Display.warning): "[WARNING]: MSG" wrapped by Python's
/// textwrap.wrap at the display's columns (79 when not a terminal wider than 80), each line ending in a newline.
/// textwrap's rules kept: whitespace collapses to the break, words longer than a line are cut, whitespace at a line's
/// ends is dropped. (textwrap also breaks after hyphens; Runner breaks at whitespace only.)
/// </summary>
public static class WarningText
{
    /// <summary>The wrapped warning, lines joined with "\n", without a final newline.</summary>
    public static string Format(string message, int columns = 79) => string.Join("\n", Wrap("[WARNING]: " + message, columns));

    /// <summary>textwrap.wrap(text, width) for text without hyphen breaks: the lines, without trailing newlines.</summary>
    public static List<string> Wrap(string text, int width)
    {
        var chunks = Regex.Split(text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' '), "( +)").Where(c => c.Length > 0).ToList();
        var lines = new List<string>();
        var line = new StringBuilder();
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            var space = chunk[0] == ' ';
            if (space && line.Length == 0 && lines.Count > 0) continue;
            if (line.Length + chunk.Length <= width) { line.Append(chunk); continue; }
            if (!space && chunk.Length > width)
            {
                var room = width - line.Length;
                line.Append(chunk, 0, room);
                chunks.Insert(i + 1, chunk[room..]);
            }
            else if (!space) chunks.Insert(i + 1, chunk);
            lines.Add(line.ToString().TrimEnd(' '));
            line.Clear();
        }
        if (line.Length > 0 && line.ToString().Trim().Length > 0) lines.Add(line.ToString().TrimEnd(' '));
        return lines;
    }
}

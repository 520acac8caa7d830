using Runner.Engine.Connections;
using Runner.Engine.Modules;

namespace Runner.Modules.Sys;

/// <summary>
/// Helpers the system modules share for running sh on the target: batched probes whose output is split
/// into sections, quoting of word lists.
/// </summary>
internal static class TargetScript
{
    /// <summary>The line a probe prints between its sections.</summary>
    public const string Separator = "--runner-section--";

    /// <summary>The sh command that prints <see cref="Separator"/> on its own line.</summary>
    public static string Sep => $"echo {Separator}";

    /// <summary>Splits a probe's stdout into its sections (text between separator lines, without the trailing newline).</summary>
    public static string[] Sections(string stdout)
    {
        var sections = new List<string>();
        var cur = new List<string>();
        foreach (var line in stdout.Split('\n'))
        {
            if (line == Separator) { sections.Add(string.Join("\n", cur).TrimEnd('\n')); cur.Clear(); }
            else cur.Add(line);
        }
        sections.Add(string.Join("\n", cur).TrimEnd('\n'));
        return sections.ToArray();
    }

    /// <summary>The last <paramref name="n"/> non-empty lines of a text, joined with newlines.</summary>
    public static string Tail(string text, int n) =>
        string.Join("\n", text.Split('\n').Where(l => l.Trim().Length > 0).TakeLast(n));
}

using Runner.Engine.Values;

namespace Runner.Engine.Results;

/// <summary>
/// Turns a module's `diff` result (a dict, or a list of dicts, with before/after and optional
/// before_header/after_header/prepared) into the lines Ansible's callbacks print
/// (lib/ansible/plugins/callback/__init__.py, _get_diff): non-text before/after are JSON with indent 4
/// and sorted keys.
/// </summary>
public static class DiffText
{
    /// <summary>The printable diff lines of a result's diff value (no colour).</summary>
    public static List<string> Lines(object? diff)
    {
        var lines = new List<string>();
        var diffs = diff switch
        {
            List<object?> l => l.OfType<Dict>().ToList(),
            Dict d => new List<Dict> { d },
            _ => new List<Dict>(),
        };
        foreach (var d in diffs)
        {
            if (d.ContainsKey("before") && d.ContainsKey("after"))
            {
                var before = AsText(d["before"]);
                var after = AsText(d["after"]);
                var fromFile = d.TryGetValue("before_header", out var bh) && bh is not null ? $"before: {PyStr.Str(bh)}" : "before";
                var toFile = d.TryGetValue("after_header", out var ah) && ah is not null ? $"after: {PyStr.Str(ah)}" : "after";
                lines.AddRange(UnifiedDiff.Diff(before, after, fromFile, toFile));
            }
            if (d.TryGetValue("prepared", out var prepared) && prepared is string p)
                lines.AddRange(p.TrimEnd('\n').Split('\n'));
        }
        return lines;
    }

    private static string AsText(object? v) => v switch
    {
        string s => s,
        null => "",
        _ => PyStr.JsonDumps(v, sortKeys: true, indent: 4) + "\n",
    };
}

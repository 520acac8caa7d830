using System.CommandLine;
using System.Text;

namespace Runner.Cli.Parsing;

/// <summary>
/// Usage and help text of a <see cref="CliDefinition"/>, laid out as Python's argparse lays out ansible-playbook's:
/// "usage: PROG [-h] [-i INVENTORY] ... playbook [playbook ...]" wrapped at 79 columns under the first option, then
/// the description, "positional arguments:" and "options:" with the invocations in a 24-column first column.
/// </summary>
public static class CliHelp
{
    private const int Width = 79;
    private const int Column = 24;

    /// <summary>The usage text.</summary>
    public static string Usage(CliDefinition d)
    {
        var parts = new List<string>();
        var grouped = new HashSet<IAnsibleOption>();
        foreach (var o in d.Options)
        {
            if (grouped.Contains(o)) continue;
            var pair = d.Exclusive.FirstOrDefault(x => x.A == o || x.B == o);
            if (pair.A is not null)
            {
                grouped.Add(pair.A);
                grouped.Add(pair.B);
                parts.Add($"[{Short(pair.A)} | {Short(pair.B)}]");
            }
            else parts.Add($"[{Short(o)}]");
        }
        foreach (var (arg, metavar, _) in d.Positionals) parts.Add(Positional(arg.Arity, metavar));
        if (d.Subcommands.Count > 0) parts.Add("{" + string.Join(",", d.Subcommands.Select(s => s.Name)) + "} ...");
        var head = $"usage: {d.Prog} ";
        var sb = new StringBuilder(head);
        var line = head.Length;
        var first = true;
        foreach (var p in parts)
        {
            if (!first && line + 1 + p.Length > Width)
            {
                sb.Append('\n').Append(new string(' ', head.Length));
                line = head.Length;
                first = true;
            }
            if (!first) { sb.Append(' '); line++; }
            sb.Append(p);
            line += p.Length;
            first = false;
        }
        return sb.ToString();
    }

    /// <summary>The help text: usage, description, positional arguments and options.</summary>
    public static string Help(CliDefinition d)
    {
        var sb = new StringBuilder(Usage(d)).Append("\n\n").Append(string.Join("\n", Wrap(d.Description, Width))).Append('\n');
        if (d.Positionals.Count > 0 || d.Subcommands.Count > 0)
        {
            sb.Append("\npositional arguments:\n");
            if (d.Subcommands.Count > 0)
            {
                Row(sb, "{" + string.Join(",", d.Subcommands.Select(s => s.Name)) + "}", "");
                foreach (var s in d.Subcommands) Row(sb, "  " + s.Name, s.Description.Split('\n')[0]);
            }
            foreach (var (_, metavar, help) in d.Positionals) Row(sb, metavar, help);
        }
        sb.Append("\noptions:\n");
        foreach (var o in d.Options)
            Row(sb, string.Join(", ", o.Names.Select(n => o.Metavar is null ? n : $"{n} {o.Metavar}")), o.Help);
        if (d.Epilog is not null) sb.Append('\n').Append(string.Join("\n", Wrap(d.Epilog, Width))).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }

    private static string Short(IAnsibleOption o)
    {
        var name = o.Names.FirstOrDefault(n => !n.StartsWith("--")) ?? o.Names[0];
        return o.Metavar is null ? name : $"{name} {o.Metavar}";
    }

    private static string Positional(ArgumentArity arity, string metavar) => (arity.MinimumNumberOfValues, arity.MaximumNumberOfValues) switch
    {
        (0, 1) => $"[{metavar}]",
        (1, 1) => metavar,
        (0, _) => $"[{metavar} ...]",
        _ => $"{metavar} [{metavar} ...]",
    };

    private static void Row(StringBuilder sb, string invocation, string help)
    {
        var left = "  " + invocation;
        var lines = Wrap(help, Width - Column);
        if (left.Length + 2 > Column) { sb.Append(left).Append('\n'); left = ""; }
        if (lines.Count == 0) { if (left.Length > 0) sb.Append(left).Append('\n'); return; }
        sb.Append(left.PadRight(Column)).Append(lines[0]).Append('\n');
        foreach (var l in lines.Skip(1)) sb.Append(new string(' ', Column)).Append(l).Append('\n');
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > width) { lines.Add(current.ToString()); current.Clear(); }
            if (current.Length > 0) current.Append(' ');
            current.Append(word);
        }
        if (current.Length > 0) lines.Add(current.ToString());
        return lines;
    }
}

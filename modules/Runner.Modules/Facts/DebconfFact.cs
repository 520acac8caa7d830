using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// A package's debconf answers from `debconf-show NAME`: question → value, "*" (seen) marks and spaces stripped,
/// as ansible.builtin.debconf reads them.
/// </summary>
/// <exception cref="InvalidOperationException">From <see cref="Parse"/>: debconf-show failed (message: its stderr).</exception>
internal sealed class DebconfFact : Fact<Dictionary<string, string>>
{
    private readonly string _name;

    /// <summary>The answers of package <paramref name="name"/>.</summary>
    public DebconfFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "debconf:" + _name;

    /// <inheritdoc/>
    public override string Script => "debconf-show " + ShellQuote.Quote(_name);

    /// <inheritdoc/>
    public override Dictionary<string, string> Parse(CommandResult output)
    {
        if (output.ExitCode != 0) throw new InvalidOperationException(output.Stderr);
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Stdout.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            answers[line[..colon].Trim('*').Trim()] = line[(colon + 1)..].Trim();
        }
        return answers;
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>A kernel parameter's current value from `sysctl -e -n NAME` (C locale), untrimmed; null when sysctl fails.</summary>
public sealed class SysctlFact : Fact<string?>
{
    private readonly string _name;

    /// <summary>The parameter <paramref name="name"/> (net.ipv4.ip_forward, ...).</summary>
    public SysctlFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "sysctl:" + _name;

    /// <inheritdoc/>
    public override string Script => "LANG=C LC_ALL=C LC_MESSAGES=C sysctl -e -n " + ShellQuote.Quote(_name);

    /// <inheritdoc/>
    public override string? Parse(CommandResult output) => output.ExitCode == 0 ? output.Stdout : null;
}

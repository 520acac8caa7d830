using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// What an apt-get command would do: its `apt-get --simulate` run (read-only: "Inst"/"Remv" lines and apt's plan),
/// as the command result (exit code, stdout, stderr). The apt module's check-mode result and "prepared" diff.
/// </summary>
public sealed class AptSimulationFact : Fact<CommandResult>
{
    private readonly string _command;

    /// <summary>The simulation of <paramref name="command"/>, an apt-get command line that contains --simulate.</summary>
    /// <exception cref="ArgumentException">The command lacks --simulate (it would change the host).</exception>
    public AptSimulationFact(string command) =>
        _command = command.Contains(" --simulate ") ? command : throw new ArgumentException("an apt simulation needs --simulate");

    /// <inheritdoc/>
    public override string Key => "apt-simulate:" + _command;

    /// <inheritdoc/>
    public override string Script => _command;

    /// <inheritdoc/>
    public override CommandResult Parse(CommandResult output) => output;
}

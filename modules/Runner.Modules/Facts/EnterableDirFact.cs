using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>Whether sh can `cd` into a path on the target as the task's user (a searchable directory): command's chdir.</summary>
public sealed class EnterableDirFact : Fact<bool>
{
    private readonly string _path;

    /// <summary>Whether <paramref name="path"/> can be entered.</summary>
    public EnterableDirFact(string path) => _path = path;

    /// <inheritdoc/>
    public override string Key => "cd:" + _path;

    /// <inheritdoc/>
    public override string Script => $"cd -- {ShellQuote.Quote(_path)} 2>/dev/null";

    /// <inheritdoc/>
    public override bool Parse(CommandResult output) => output.ExitCode == 0;
}

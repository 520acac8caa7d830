using Runner.Engine.Errors;

namespace Runner.Cli.Parsing;

/// <summary>
/// A command line the argument parser refuses (an unknown option, a missing or malformed value, a missing
/// positional, two options that exclude each other), reported as Ansible's argparse does: the usage, then
/// "PROG: error: MESSAGE", on stderr, exit 2 (<see cref="ExitCodes.BadCommandLine"/>).
/// </summary>
public sealed class UsageError : RunnerException
{
    public UsageError(string prog, string usage, string message) : base(message, exitCode: ExitCodes.BadCommandLine)
    {
        Prog = prog;
        Usage = usage;
    }

    /// <summary>The refusing command, e.g. "runner play" or "runner vault view".</summary>
    public string Prog { get; }

    /// <summary>Its usage text ("usage: runner play [-h] ..."), possibly wrapped over several lines.</summary>
    public string Usage { get; }

    /// <summary>The usage and the error line, as printed on stderr.</summary>
    public string Text => $"{Usage}\n{Prog}: error: {Message}";
}

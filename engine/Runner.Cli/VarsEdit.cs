using Runner.Engine.Errors;

namespace Runner.Cli;

/// <summary>`runner vars set|unset` (wired to the host_vars editor).</summary>
public static class VarsEdit
{
    public static int Run(IReadOnlyList<string> args, TextWriter output) =>
        throw new RunnerException("runner vars set/unset is not available yet", exitCode: ExitCodes.BadOptions);
}

using System.ComponentModel;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Runner.Engine.Errors;

namespace Runner.Engine.Galaxy;

/// <summary>
/// The controller's git, run through CliWrap with an argv (never a shell line) and no terminal prompts
/// (GIT_TERMINAL_PROMPT=0): what ansible-galaxy runs to fetch roles and collections from git URLs.
/// </summary>
public static class Git
{
    /// <summary>The outcome of one git command: exit code, stderr, and the command as text for messages.</summary>
    public sealed record Result(int ExitCode, string StandardError, string CommandLine)
    {
        /// <summary>stderr on one line (whitespace runs collapsed), for one-line messages.</summary>
        public string OneLineError => string.Join(' ', StandardError.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Runs git ARGS in <paramref name="workingDirectory"/>.</summary>
    /// <exception cref="RunnerException">git is not installed: "could not find/use git, it is required to continue with installing SRC".</exception>
    public static async Task<Result> RunAsync(string workingDirectory, string installing, params string[] args)
    {
        var cmd = Cli.Wrap("git").WithArguments(args).WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(e => e.Set("GIT_TERMINAL_PROMPT", "0"))
            .WithValidation(CommandResultValidation.None);
        try
        {
            var r = await cmd.ExecuteBufferedAsync(Encoding.UTF8);
            return new Result(r.ExitCode, r.StandardError.Trim(), "git " + string.Join(' ', args));
        }
        catch (Win32Exception)
        {
            throw new RunnerException($"could not find/use git, it is required to continue with installing {installing}");
        }
    }
}

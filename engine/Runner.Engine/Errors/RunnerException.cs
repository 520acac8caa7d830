namespace Runner.Engine.Errors;

/// <summary>
/// Exit codes of a run, as ansible-playbook documents them
/// (https://docs.ansible.com/ansible/latest/cli/ansible-playbook.html, "Exit codes"):
/// 0 all ok, 1 error, 2 one or more hosts failed, 4 unreachable hosts or a parser error,
/// 5 bad or incomplete options, 99 interrupted, 250 unexpected error.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int HostFailed = 2;
    public const int Unreachable = 4;
    public const int ParserError = 4;
    public const int BadOptions = 5;
    /// <summary>A command line argparse refuses (unknown option, missing or malformed value): Ansible's CLIs exit 2.</summary>
    public const int BadCommandLine = 2;
    public const int Interrupted = 99;
    public const int Unexpected = 250;
}

/// <summary>A place in a source file: 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>
/// A user-facing error: bad YAML, unknown module or option, missing file, undefined variable.
/// The CLI prints <see cref="Exception.Message"/> (prefixed with the location) and exits with
/// <see cref="ExitCode"/>; never a stack trace.
/// </summary>
public class RunnerException : Exception
{
    public RunnerException(string message, SourceLocation? location = null, string? key = null,
        int exitCode = ExitCodes.Error, Exception? inner = null) : base(message, inner)
    {
        Location = location;
        Key = key;
        ExitCode = exitCode;
    }

    /// <summary>Where the offending input is, when known.</summary>
    public SourceLocation? Location { get; }

    /// <summary>The offending key (option, keyword or variable name), when known.</summary>
    public string? Key { get; }

    /// <summary>The process exit code this error maps to (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }

    /// <summary>One line (or a few) for the user: "ERROR! file:line:col: message (key: k)".</summary>
    public string Describe()
    {
        var where = Location is null ? "" : $"{Location}: ";
        var key = Key is null || Message.Contains($"'{Key}'") ? "" : $" (key: {Key})";
        return $"ERROR! {where}{Message}{key}";
    }
}

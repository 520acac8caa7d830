namespace Runner.Engine.Connections;

/// <summary>How to run one command on a target.</summary>
/// <param name="Stdin">Bytes written to the command's standard input, or null.</param>
/// <param name="Environment">Extra environment variables (task/play `environment:`).</param>
/// <param name="BecomeUser">Run as this user (become), or null to run as the login user.</param>
/// <param name="BecomeMethod">"sudo" (default) or "su".</param>
/// <param name="BecomePassword">Password for sudo/su, or null.</param>
/// <param name="WorkingDirectory">Folder to run in (chdir), or null for the default.</param>
/// <param name="Timeout">Give up after this long; null means no limit.</param>
/// <param name="NoLog">The task has no_log: traces show no command text.</param>
/// <param name="Secrets">Values (no_log options) that traces replace with "********".</param>
public sealed record ExecOptions(
    byte[]? Stdin = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? BecomeUser = null,
    string BecomeMethod = "sudo",
    string? BecomePassword = null,
    string? WorkingDirectory = null,
    TimeSpan? Timeout = null,
    bool NoLog = false,
    IReadOnlyList<string>? Secrets = null);

/// <summary>The outcome of a command: exit code and its captured output (UTF-8 text).</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// A connection to one target host (Ansible's connection plugin). Commands are POSIX sh scripts,
/// run as `sh -c SCRIPT` without a login shell; the target needs only sh and coreutils.
/// Errors: a <see cref="UnreachableException"/> when the host cannot be reached.
/// </summary>
public interface IConnection : IAsyncDisposable
{
    /// <summary>The inventory host name this connection serves.</summary>
    string Host { get; }

    /// <summary>Runs <paramref name="script"/> with sh -c on the target.</summary>
    Task<CommandResult> ExecAsync(string script, ExecOptions? options = null, CancellationToken ct = default);

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> atomically: a temp file beside it,
    /// then a rename. The file keeps the existing file's mode, else gets 0644 minus the umask.
    /// </summary>
    Task PutFileAsync(byte[] content, string path, ExecOptions? options = null, CancellationToken ct = default);

    /// <summary>Reads a file from the target; null when it does not exist.</summary>
    Task<byte[]?> GetFileAsync(string path, ExecOptions? options = null, CancellationToken ct = default);

    /// <summary>
    /// Stops what this connection's commands left running on the target after they were cancelled (SIGINT or
    /// SIGTERM to the runner): SIGTERM to every process that carries this connection's run mark, the command and
    /// all its children. Best effort, never throws; a no-op where cancelling a command already ends it.
    /// </summary>
    Task StopCommandsAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Ansible's connection reset (meta: reset_connection, reboot, wait_for_connection): closes the sessions to the
    /// target so that the next command connects afresh. <paramref name="connectTimeout"/>, when given, is the connect
    /// timeout of the connections made after this reset (reboot's connect_timeout); null restores the configured one.
    /// Returns false when this connection has nothing to reset (Ansible's local connection: "Reset is not implemented
    /// for this connection"). Never throws.
    /// </summary>
    Task<bool> ResetAsync(TimeSpan? connectTimeout = null) => Task.FromResult(false);
}

/// <summary>The host could not be reached (connect, auth or transport failure): Ansible's "unreachable".</summary>
public sealed class UnreachableException : Exception
{
    public UnreachableException(string message, Exception? inner = null) : base(message, inner) { }
}

using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Runner.Engine.Connections;

/// <summary>
/// Ansible's `local` connection: commands run on the controller with /bin/sh -c through CliWrap;
/// files are written by <see cref="AtomicWrite"/>'s script (a verified temp file in the same folder, then a rename).
/// </summary>
public sealed class LocalConnection : IConnection
{
    private readonly AtomicWrite.CleanupOnce _cleanup = new();

    public LocalConnection(string host) => Host = host;

    public string Host { get; }

    public async Task<CommandResult> ExecAsync(string script, ExecOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ExecOptions();
        var (exe, args) = Wrap(script, options);
        var cmd = Cli.Wrap(exe).WithArguments(args).WithValidation(CommandResultValidation.None);
        if (options.WorkingDirectory is not null) cmd = cmd.WithWorkingDirectory(options.WorkingDirectory);
        if (options.Environment is { Count: > 0 } env)
            cmd = cmd.WithEnvironmentVariables(env.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
        if (options.Stdin is not null) cmd = cmd.WithStandardInputPipe(PipeSource.FromBytes(options.Stdin));
        using var timeout = options.Timeout is { } t ? new CancellationTokenSource(t) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var r = await cmd.ExecuteBufferedAsync(Encoding.UTF8, linked?.Token ?? ct);
            return new CommandResult(r.ExitCode, r.StandardOutput, r.StandardError);
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true)
        {
            return new CommandResult(124, "", $"command timed out after {options.Timeout}");
        }
    }

    private static (string, string[]) Wrap(string script, ExecOptions o)
    {
        if (o.BecomeUser is null || o.BecomeUser == Environment.UserName)
            return ("/bin/sh", new[] { "-c", script });
        if (o.BecomeMethod == "su")
            return ("su", new[] { "-s", "/bin/sh", o.BecomeUser, "-c", script });
        return ("sudo", new[] { "-H", "-n", "-u", o.BecomeUser, "/bin/sh", "-c", script });
    }

    /// <summary>Writes through <see cref="AtomicWrite"/>'s script, as every connection does.</summary>
    public async Task PutFileAsync(byte[] content, string path, ExecOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ExecOptions();
        var user = options.BecomeUser ?? Environment.UserName;
        var r = await ExecAsync(AtomicWrite.Script(path, content, cleanupFirst: _cleanup.First(user)), options with { Stdin = content }, ct);
        AtomicWrite.Check(r, path, user);
    }

    public async Task<byte[]?> GetFileAsync(string path, ExecOptions? options = null, CancellationToken ct = default)
    {
        if (options?.BecomeUser is not null && options.BecomeUser != Environment.UserName)
        {
            var r = await ExecAsync($"[ -f {ShellQuote.Quote(path)} ] && base64 < {ShellQuote.Quote(path)}", options, ct);
            return r.ExitCode == 0 ? Convert.FromBase64String(r.Stdout.Replace("\n", "")) : null;
        }
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using System.Text;
using Runner.Engine.Connections;

namespace Runner.Tests.Modules;

/// <summary>
/// A fake connection for module tests: records every command and file write, answers commands from a table
/// (exact script → result; anything else exits 0 with no output) and reads files from a map. Nothing runs.
/// </summary>
public sealed class RecordingConnection : IConnection
{
    /// <summary>Replies by exact script.</summary>
    public Dictionary<string, CommandResult> Replies { get; } = new(StringComparer.Ordinal);

    /// <summary>Replies by exact script given in turn (the last one repeats), for a script run more than once; before <see cref="Replies"/>.</summary>
    public Dictionary<string, Queue<CommandResult>> RepliesInTurn { get; } = new(StringComparer.Ordinal);

    /// <summary>Files the target holds, by path.</summary>
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>The exit code of a reply that makes the command throw <see cref="UnreachableException"/> with the reply's
    /// stderr as its message: the host could not be reached (a spec's {unreachable: MESSAGE} output).</summary>
    public const int UnreachableCode = int.MinValue;

    /// <summary>What the module did, in order: each command's script, "put PATH" with the bytes written, or "reset"
    /// ("reset connect_timeout=N" with a connect timeout) for a connection reset.</summary>
    public List<string> Log { get; } = new();

    /// <inheritdoc/>
    public string Host => "fake";

    /// <inheritdoc/>
    public Task<CommandResult> ExecAsync(string script, ExecOptions? options = null, CancellationToken ct = default)
    {
        Log.Add(script);
        var r = RepliesInTurn.TryGetValue(script, out var q) && q.Count > 0 ? q.Count > 1 ? q.Dequeue() : q.Peek()
            : Replies.TryGetValue(script, out var once) ? once : new CommandResult(0, "", "");
        if (r.ExitCode == UnreachableCode) throw new UnreachableException(r.Stderr);
        return Task.FromResult(r);
    }

    /// <inheritdoc/>
    public Task<bool> ResetAsync(TimeSpan? connectTimeout = null)
    {
        Log.Add(connectTimeout is { } t ? $"reset connect_timeout={t.TotalSeconds}" : "reset");
        return Task.FromResult(true);
    }

    /// <inheritdoc/>
    public Task PutFileAsync(byte[] content, string path, ExecOptions? options = null, CancellationToken ct = default)
    {
        Log.Add($"put {path}: {Encoding.UTF8.GetString(content)}");
        Files[path] = content;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<byte[]?> GetFileAsync(string path, ExecOptions? options = null, CancellationToken ct = default) =>
        Task.FromResult(Files.TryGetValue(path, out var b) ? b : null);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using System.Text;
using Renci.SshNet;

namespace Runner.Engine.Connections;

/// <summary>
/// A persistent <c>sh</c> on one SSH channel that runs commands one after another, so a command costs one
/// round trip and one fork on the target instead of a new channel, a new sshd session process and a shell start.
/// Each command is written to the shell's stdin as <c>COMMAND &lt;/dev/null</c> (or with its stdin bytes as a
/// base64 here-document piped into it), followed by two <c>printf</c>s that write a marker unique to this shell and
/// command (<c>__RUNNER_&lt;32 hex&gt;_&lt;n&gt;__</c>) and the exit status to stdout, and the marker to stderr.
/// Everything before the markers is the command's stdout and stderr. The command runs in its own <c>sh -c</c>
/// (see <see cref="SshBecome.Wrap"/>), so <c>exit</c>, <c>cd</c> and <c>export</c> never touch the shell.
/// One command at a time: <see cref="TryRunAsync"/> returns null when the shell is busy or broken, and the caller
/// then uses an exec channel. Known limit: output a command's background children write after it exits is dropped
/// (an exec channel would wait for them to close stdout).
/// </summary>
internal sealed class SshShell : IDisposable
{
    /// <summary>Largest stdin sent through the shell (as base64 text); bigger input goes over an exec channel.</summary>
    public const int MaxStdin = 1 << 20;

    private readonly SshCommand _cmd;
    private readonly Stream _input;
    private readonly Task _run;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _busy = new(1, 1);
    private readonly object _lock = new();
    private Pending? _current;
    private long _seq;
    private volatile bool _broken;

    private SshShell(SshCommand cmd, Task run, Stream input)
    {
        _cmd = cmd;
        _run = run;
        _input = input;
        StartReader(cmd.OutputStream, isErr: false);
        StartReader(cmd.ExtendedOutputStream, isErr: true);
    }

    /// <summary>True once the channel closed or a command was cancelled: the owner should open a new shell.</summary>
    public bool Broken => _broken || _run.IsCompleted;

    /// <summary>Opens the shell channel on <paramref name="client"/> (runs <see cref="AtomicWrite.CleanupScript"/>, then
    /// <c>sh</c>, through the login shell).</summary>
    public static SshShell Open(SshClient client)
    {
        // A new connection first removes the temp files of this user's writes that a killed run left behind.
        var cmd = client.CreateCommand("{ " + AtomicWrite.CleanupScript + "; } >/dev/null 2>&1; exec sh");
        var run = cmd.ExecuteAsync();
        var input = cmd.CreateInputStream();
        return new SshShell(cmd, run, input);
    }

    /// <summary>
    /// Runs <paramref name="command"/> (a complete sh command line) with <paramref name="stdin"/> (or none), returning
    /// its result, or null when the shell is busy with another command or broken (nothing was run then).
    /// Errors: <see cref="IOException"/> when the channel closes while the command runs (it may have run);
    /// <see cref="OperationCanceledException"/> on cancellation (the shell is then broken).
    /// </summary>
    public async Task<CommandResult?> TryRunAsync(string command, byte[]? stdin, CancellationToken ct)
    {
        if (Broken || !_busy.Wait(0)) return null;
        try
        {
            if (Broken) return null;
            var marker = $"__RUNNER_{_id}_{Interlocked.Increment(ref _seq)}__";
            var p = new Pending(Encoding.ASCII.GetBytes(marker));
            lock (_lock) _current = p;
            var sb = new StringBuilder(command.Length + 200);
            if (stdin is { Length: > 0 })
            {
                sb.Append("base64 -d <<'").Append(marker).Append("' | ").Append(command).Append('\n');
                sb.Append(Convert.ToBase64String(stdin, Base64FormattingOptions.InsertLineBreaks).Replace("\r", "")).Append('\n');
                sb.Append(marker).Append('\n');
            }
            else sb.Append(command).Append(" </dev/null\n");
            sb.Append("printf '%s%d\\n' ").Append(marker).Append(" $?\n");
            sb.Append("printf '%s\\n' ").Append(marker).Append(" >&2\n");
            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
            using var reg = ct.Register(() => { _broken = true; p.Done.TrySetCanceled(ct); Dispose(); });
            try
            {
                await _input.WriteAsync(bytes, ct);
                await _input.FlushAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _broken = true;
                throw new IOException($"the persistent shell's channel closed: {e.Message}", e);
            }
            return await p.Done.Task;
        }
        finally
        {
            lock (_lock) _current = null;
            _busy.Release();
        }
    }

    private void StartReader(Stream s, bool isErr)
    {
        Task.Factory.StartNew(() =>
        {
            var buf = new byte[16384];
            try
            {
                int n;
                while ((n = s.Read(buf, 0, buf.Length)) > 0)
                {
                    lock (_lock) _current?.Add(buf.AsSpan(0, n), isErr);
                }
            }
            catch (Exception) { /* channel gone: handled below */ }
            _broken = true;
            lock (_lock) _current?.Done.TrySetException(new IOException("the persistent shell's channel closed"));
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Closes the shell's stdin (it exits) and its channel.</summary>
    public void Dispose()
    {
        _broken = true;
        try { _input.Dispose(); } catch (Exception) { /* already closed */ }
        try { _cmd.Dispose(); } catch (Exception) { /* already closed */ }
    }

    /// <summary>One running command's output so far and its completion.</summary>
    private sealed class Pending
    {
        private readonly byte[] _marker;
        private readonly MemoryStream _out = new(), _err = new();
        private int _outEnd = -1, _errEnd = -1, _rc = -1;

        public Pending(byte[] marker) => _marker = marker;

        public TaskCompletionSource<CommandResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(ReadOnlySpan<byte> data, bool isErr)
        {
            var ms = isErr ? _err : _out;
            if ((isErr ? _errEnd : _outEnd) >= 0) return; // after the marker: a background child's output
            var from = (int)Math.Max(0, ms.Length - _marker.Length - 16);
            ms.Write(data);
            var all = ms.GetBuffer().AsSpan(0, (int)ms.Length);
            var at = all[from..].IndexOf(_marker);
            if (at < 0) return;
            at += from;
            if (isErr) _errEnd = at;
            else
            {
                var rest = all[(at + _marker.Length)..];
                var nl = rest.IndexOf((byte)'\n');
                if (nl < 0) return; // the status digits are still on their way
                _rc = int.Parse(Encoding.ASCII.GetString(rest[..nl]));
                _outEnd = at;
            }
            if (_outEnd >= 0 && _errEnd >= 0)
                Done.TrySetResult(new CommandResult(_rc,
                    Encoding.UTF8.GetString(_out.GetBuffer(), 0, _outEnd),
                    Encoding.UTF8.GetString(_err.GetBuffer(), 0, _errEnd)));
        }
    }
}

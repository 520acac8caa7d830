using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Retry;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Runner.Engine.Connections;

/// <summary>
/// Ansible's `ssh` connection (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/ssh_connection.html)
/// on SSH.NET: one SSH session per host for the whole run (opened on first use, reopened if it drops),
/// commands as <c>sh -c 'SCRIPT'</c> (no login shell) wrapped by <see cref="SshBecome"/> for become, run through one
/// persistent shell per host (<see cref="SshShell"/>: one channel, no sshd session or shell start per command) and on
/// a channel of their own when that shell is busy, when a timeout is set, when a become password goes on stdin or
/// stdin is over 1 MiB, or when RUNNER_SSH_PERSISTENT_SHELL=0.
/// Host keys are checked against known_hosts (<see cref="SshKnownHosts"/>). Writes are <see cref="AtomicWrite"/>'s script
/// with the content as stdin (through the shell up to 1 MiB, else on an exec channel); reads up to 1 MiB come back
/// as base64 through the shell, bigger ones over SFTP (a second session, opened on the first such read).
/// Connect failures that look transient (refused, reset, timeout) are retried: 3 attempts in all.
/// Errors: <see cref="UnreachableException"/> for connect, host key, authentication and transport failures.
/// Port forwards (<see cref="IPortForwarder"/>) are SSH.NET ForwardedPortLocal listeners on 127.0.0.1 carried by the
/// same session (direct-tcpip channels, RFC 4254 section 7.2).
/// Thread-safe: calls may overlap (an overlapping command gets its own channel).
/// </summary>
public sealed class SshConnection : IConnection, IPortForwarder
{
    private readonly SshSettings _s;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SshClient? _ssh;
    private SftpClient? _sftp;
    private SshShell? _shell;
    private SshClient? _shellClient;
    private bool _shellFailed;
    private readonly AtomicWrite.CleanupOnce _cleanup = new();
    private readonly string _mark = RunMark.New();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ExecOptions> _usedAs = new();

    /// <summary>Persistent shells are used unless the environment variable RUNNER_SSH_PERSISTENT_SHELL is "0".</summary>
    private static readonly bool ShellEnabled = Environment.GetEnvironmentVariable("RUNNER_SSH_PERSISTENT_SHELL") != "0";
    private string? _hostKeyError;
    private bool _disposed;

    private static readonly ResiliencePipeline ConnectRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(250),
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder().Handle<SocketException>().Handle<SshConnectionException>()
                .Handle<SshOperationTimeoutException>().Handle<TimeoutException>(),
        })
        .Build();

    /// <summary>Creates the connection; nothing is opened until the first command or transfer.</summary>
    public SshConnection(string inventoryHostname, SshSettings settings)
    {
        Host = inventoryHostname;
        _s = settings;
    }

    /// <inheritdoc/>
    public string Host { get; }

    /// <summary>The settings this connection uses.</summary>
    public SshSettings Settings => _s;

    /// <inheritdoc/>
    public async Task<CommandResult> ExecAsync(string script, ExecOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ExecOptions();
        if (!_usedAs.ContainsKey(options.BecomeUser ?? ""))
            _usedAs.TryAdd(options.BecomeUser ?? "", options with { Stdin = null, Timeout = null, WorkingDirectory = null, Environment = null });
        var t0 = SshTrace.Start();
        try { return await ExecCoreAsync(RunMark.Export(_mark) + script, options, ct); }
        finally { SshTrace.Done(t0, Host, "exec", script, options); }
    }

    /// <inheritdoc/>
    public async Task StopCommandsAsync(CancellationToken ct)
    {
        foreach (var asUser in _usedAs.Values)
        {
            try { await ExecCoreAsync(RunMark.StopScript(_mark), asUser with { Timeout = TimeSpan.FromSeconds(5) }, ct); }
            catch (Exception e) when (e is UnreachableException or OperationCanceledException or ObjectDisposedException) { }
        }
    }

    private async Task<CommandResult> ExecCoreAsync(string script, ExecOptions options, CancellationToken ct)
    {
        var (command, prefix) = SshBecome.Wrap(script, options, _s.User);
        var client = await SshAsync(ct);
        if (prefix.Length == 0 && options.Timeout is null && (options.Stdin is null || options.Stdin.Length <= SshShell.MaxStdin)
            && await ShellAsync(client, ct) is { } shell)
        {
            CommandResult? r;
            try { r = await shell.TryRunAsync(command, options.Stdin, ct); }
            catch (IOException e)
            {
                await DropAsync();
                throw new UnreachableException($"Failed to connect to the host via ssh: connection to {_s.Host} port {_s.Port} lost: {e.Message}", e);
            }
            if (r is not null) return SshBecome.Clean(r, options, _s.User);
        }
        using var cmd = client.CreateCommand(command);
        if (options.Timeout is { } t) cmd.CommandTimeout = t;
        try
        {
            var run = cmd.ExecuteAsync(ct);
            try
            {
                using var input = cmd.CreateInputStream();
                if (prefix.Length > 0) await input.WriteAsync(prefix, ct);
                if (options.Stdin is { Length: > 0 } stdin) await input.WriteAsync(stdin, ct);
            }
            catch (Exception e) when (e is SshException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The command finished (or closed stdin) before reading all input; its result still counts.
            }
            await run;
        }
        catch (SshOperationTimeoutException)
        {
            return new CommandResult(124, cmd.Result, $"command timed out after {options.Timeout}");
        }
        catch (Exception e) when (e is SshConnectionException or SocketException or ObjectDisposedException)
        {
            await DropAsync();
            throw new UnreachableException($"Failed to connect to the host via ssh: connection to {_s.Host} port {_s.Port} lost: {e.Message}", e);
        }
        var rc = cmd.ExitStatus ?? 255;
        return SshBecome.Clean(new CommandResult(rc, cmd.Result, cmd.Error), options, _s.User);
    }

    /// <inheritdoc/>
    public async Task PutFileAsync(byte[] content, string path, ExecOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ExecOptions();
        var t0 = SshTrace.Start();
        try { await PutCoreAsync(content, path, options, ct); }
        finally { SshTrace.Done(t0, Host, "put", path); }
    }

    private async Task PutCoreAsync(byte[] content, string path, ExecOptions options, CancellationToken ct)
    {
        // The content goes as stdin: through the persistent shell up to 1 MiB, else on an exec channel of its own.
        var user = options.BecomeUser ?? _s.User;
        var r = await ExecAsync(AtomicWrite.Script(path, content, cleanupFirst: _cleanup.First(user)), options with { Stdin = content }, ct);
        AtomicWrite.Check(r, path, user);
    }

    /// <inheritdoc/>
    public async Task<byte[]?> GetFileAsync(string path, ExecOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ExecOptions();
        var t0 = SshTrace.Start();
        try { return await GetCoreAsync(path, options, ct); }
        finally { SshTrace.Done(t0, Host, "get", path); }
    }

    private async Task<byte[]?> GetCoreAsync(string path, ExecOptions options, CancellationToken ct)
    {
        var q0 = ShellQuote.Quote(path);
        // Files up to MaxStdin come back as base64 over the shell (no SFTP session); bigger ones over SFTP.
        var small = await ExecAsync($"[ -f {q0} ] || exit 3; [ -r {q0} ] || exit 4; n=$(wc -c < {q0}) || exit 4; " +
                                    $"[ \"$n\" -le {SshShell.MaxStdin} ] || exit 5; base64 < {q0}", options with { Stdin = null }, ct);
        switch (small.ExitCode)
        {
            case 0: return Convert.FromBase64String(small.Stdout.Replace("\n", "").Replace("\r", ""));
            case 3: return null;
            case 4: throw new UnauthorizedAccessException($"Permission denied reading {path} as {options.BecomeUser ?? _s.User}");
            case 5: break;
            default: throw new IOException($"Could not read {path}: {small.Stderr.Trim()}");
        }
        if (options.BecomeUser is not null && options.BecomeUser != _s.User)
        {
            var q = ShellQuote.Quote(path);
            var r = await ExecAsync($"[ -f {q} ] || exit 3; base64 < {q}", options with { Stdin = null }, ct);
            if (r.ExitCode == 3) return null;
            if (r.ExitCode != 0) throw new IOException($"Could not read {path}: {r.Stderr.Trim()}");
            return Convert.FromBase64String(r.Stdout.Replace("\n", "").Replace("\r", ""));
        }
        var sftp = await SftpAsync(ct);
        try
        {
            using var ms = new MemoryStream();
            await sftp.DownloadFileAsync(path, ms, ct);
            return ms.ToArray();
        }
        catch (SftpPathNotFoundException) { return null; }
        catch (SftpPermissionDeniedException e) { throw new UnauthorizedAccessException($"Permission denied reading {path} as {_s.User}", e); }
        catch (SshException e) when (e is not SshConnectionException) { throw new IOException($"Could not read {path}: {e.Message}", e); }
    }

    /// <inheritdoc/>
    public async Task<IPortForward> ForwardAsync(string remoteHost, int remotePort, CancellationToken ct = default)
    {
        if (remotePort is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(remotePort), remotePort, "a TCP port is 1..65535");
        var client = await SshAsync(ct);
        var fwd = new ForwardedPortLocal("127.0.0.1", 0, remoteHost, (uint)remotePort);
        try
        {
            client.AddForwardedPort(fwd);
            fwd.Start();
        }
        catch (Exception e) when (e is SshException or SocketException or InvalidOperationException or ObjectDisposedException)
        {
            try { client.RemoveForwardedPort(fwd); } catch (Exception) { }
            fwd.Dispose();
            throw new UnreachableException($"Failed to forward a port via ssh to {remoteHost}:{remotePort} through {_s.Host}: {e.Message}", e);
        }
        return new SshPortForward(client, fwd, new IPEndPoint(IPAddress.Loopback, (int)fwd.BoundPort), (remoteHost, remotePort));
    }

    /// <summary>One ForwardedPortLocal on a session; disposing stops and removes it.</summary>
    private sealed class SshPortForward(SshClient client, ForwardedPortLocal port, IPEndPoint local, (string, int) remote) : IPortForward
    {
        private int _closed;
        public IPEndPoint LocalEndPoint => local;
        public (string Host, int Port) Remote => remote;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1) return ValueTask.CompletedTask;
            try { port.Stop(); } catch (Exception) { /* the session may already be gone */ }
            try { client.RemoveForwardedPort(port); } catch (Exception) { }
            port.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private async Task<SshClient> SshAsync(CancellationToken ct)
    {
        var c = _ssh;
        if (c is { IsConnected: true }) return c;
        await _gate.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ssh is { IsConnected: true }) return _ssh;
            _ssh?.Dispose();
            _ssh = null;
            var client = new SshClient(SshAuth.Build(Current));
            var t0 = SshTrace.Start();
            await ConnectAsync(client, ct);
            SshTrace.Done(t0, Host, "connect", "ssh");
            _ssh = client;
            return client;
        }
        finally { _gate.Release(); }
    }

    /// <summary>The persistent shell on <paramref name="client"/> (opened on first use, reopened when broken), or null
    /// when it is disabled or could not be opened (exec channels are used then).</summary>
    private async Task<SshShell?> ShellAsync(SshClient client, CancellationToken ct)
    {
        if (!ShellEnabled || _shellFailed) return null;
        var sh = _shell;
        if (sh is not null && !sh.Broken && ReferenceEquals(_shellClient, client)) return sh;
        await _gate.WaitAsync(ct);
        try
        {
            if (_shell is not null && !_shell.Broken && ReferenceEquals(_shellClient, client)) return _shell;
            _shell?.Dispose();
            _shell = null;
            try { _shell = SshShell.Open(client); _shellClient = client; _cleanup.First(_s.User); }
            catch (Exception e) when (e is SshException or IOException or InvalidOperationException) { _shellFailed = true; }
            return _shell;
        }
        finally { _gate.Release(); }
    }

    private async Task<SftpClient> SftpAsync(CancellationToken ct)
    {
        var c = _sftp;
        if (c is { IsConnected: true }) return c;
        await SshAsync(ct); // surfaces host key / auth errors once, with the exec session's messages
        await _gate.WaitAsync(ct);
        try
        {
            if (_sftp is { IsConnected: true }) return _sftp;
            _sftp?.Dispose();
            var client = new SftpClient(SshAuth.Build(Current));
            var t0 = SshTrace.Start();
            await ConnectAsync(client, ct);
            SshTrace.Done(t0, Host, "connect", "sftp");
            _sftp = client;
            return client;
        }
        finally { _gate.Release(); }
    }

    /// <summary>How many SSH handshakes run at once in this process: key exchange and authentication cost CPU
    /// (100-150 ms each for sntrup761 here), so with many hosts at high forks the others wait their turn instead of
    /// timing out while they wait for a CPU.</summary>
    private static readonly SemaphoreSlim HandshakeGate = new(Math.Max(2, Environment.ProcessorCount * 2));

    private async Task ConnectAsync(BaseClient client, CancellationToken ct)
    {
        client.HostKeyReceived += (_, e) =>
        {
            _hostKeyError = SshAuth.CheckHostKey(_s, e.HostKey);
            e.CanTrust = _hostKeyError is null;
        };
        try
        {
            await ConnectRetry.ExecuteAsync(async token =>
            {
                _hostKeyError = null;
                // The timeout starts when this connection's handshake does, not while it waits for a CPU.
                await HandshakeGate.WaitAsync(token);
                try
                {
                    await client.ConnectAsync(token);
                }
                catch (SshConnectionException) when (_hostKeyError is not null)
                {
                    throw new UnreachableException($"Failed to connect to the host via ssh: {_hostKeyError}");
                }
                finally { HandshakeGate.Release(); }
            }, ct);
        }
        catch (UnreachableException) { client.Dispose(); throw; }
        catch (SshAuthenticationException e)
        {
            client.Dispose();
            throw new UnreachableException($"Failed to connect to the host via ssh: {_s.User}@{_s.Host}: Permission denied ({e.Message})", e);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new UnreachableException($"Failed to connect to the host via ssh: ssh: connect to host {_s.Host} port {_s.Port}: {Describe(e)}", e);
        }
        catch (Exception e) when (e is SshException or TimeoutException or ProxyException)
        {
            client.Dispose();
            throw new UnreachableException($"Failed to connect to the host via ssh: ssh: connect to host {_s.Host} port {_s.Port}: {e.Message}", e);
        }
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "Connection refused",
        SocketError.TimedOut => "Connection timed out",
        SocketError.HostUnreachable => "No route to host",
        SocketError.HostNotFound => "Name or service not known",
        _ => e.Message,
    };

    private async Task DropAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _shell?.Dispose(); _shell = null;
            _ssh?.Dispose(); _ssh = null;
            _sftp?.Dispose(); _sftp = null;
        }
        finally { _gate.Release(); }
    }

    /// <summary>The connect timeout set by the last <see cref="ResetAsync"/>, or null for the configured one.</summary>
    private TimeSpan? _connectTimeout;

    /// <summary>The settings new sessions are opened with: the configured ones with the connect timeout of the last reset.</summary>
    private SshSettings Current => _connectTimeout is { } t ? _s with { ConnectTimeout = t } : _s;

    /// <inheritdoc/>
    /// <remarks>As Ansible's ssh connection reset (which stops the ControlPersist master): the SSH, shell and SFTP
    /// sessions are closed; the next command opens a new session.</remarks>
    public async Task<bool> ResetAsync(TimeSpan? connectTimeout = null)
    {
        _connectTimeout = connectTimeout;
        await DropAsync();
        return true;
    }

    /// <summary>Closes the SSH and SFTP sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            _shell?.Dispose(); _shell = null;
            _ssh?.Dispose(); _ssh = null;
            _sftp?.Dispose(); _sftp = null;
        }
        finally { _gate.Release(); }
    }
}

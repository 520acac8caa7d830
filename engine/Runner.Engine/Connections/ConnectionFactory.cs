using System.Collections.Concurrent;
using System.Globalization;
using Runner.Engine.Errors;

namespace Runner.Engine.Connections;

/// <summary>
/// Chooses and caches one connection per inventory host for a run, as Ansible picks a connection plugin
/// (https://docs.ansible.com/ansible/2.14/plugins/connection.html): <c>ansible_connection</c> (local, ssh,
/// smart, paramiko = ssh), else <paramref name="defaultConnection"/> of <see cref="Create"/>, else local for the
/// implicit localhost names (localhost, 127.0.0.1, ::1) and ssh otherwise. Disposing closes every connection.
/// Thread-safe.
/// </summary>
public sealed class ConnectionFactory : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, IConnection> _byHost = new(StringComparer.Ordinal);

    /// <summary>
    /// The connection for <paramref name="inventoryHostname"/>, created on first use from its variables.
    /// Errors: <see cref="RunnerException"/> (exit 5) for an unknown connection type or bad SSH settings.
    /// </summary>
    public IConnection Create(string inventoryHostname, IReadOnlyDictionary<string, object?> hostVars, string? defaultConnection)
    {
        // one per host and kind: a task's `connection: local` beside the host's SSH connection
        var key = inventoryHostname + "\0" + Kind(inventoryHostname, hostVars, defaultConnection);
        if (_byHost.TryGetValue(key, out var existing)) return existing;
        var conn = Build(inventoryHostname, hostVars, defaultConnection);
        if (_byHost.TryAdd(key, conn)) return conn;
        _ = conn.DisposeAsync();
        return _byHost[key];
    }

    /// <summary>The connection type Ansible would use: "local" or "ssh".</summary>
    public static string Kind(string inventoryHostname, IReadOnlyDictionary<string, object?> hostVars, string? defaultConnection)
    {
        var name = hostVars.TryGetValue("ansible_connection", out var v) && v is not null
            ? Convert.ToString(v, CultureInfo.InvariantCulture)
            : defaultConnection;
        if (string.IsNullOrEmpty(name))
            name = inventoryHostname is "localhost" or "127.0.0.1" or "::1" ? "local" : "ssh";
        var shortName = name.StartsWith("ansible.builtin.", StringComparison.Ordinal) ? name["ansible.builtin.".Length..] : name;
        return shortName switch
        {
            "local" => "local",
            "ssh" or "smart" or "paramiko" or "paramiko_ssh" => "ssh",
            _ => throw new RunnerException($"the connection plugin '{name}' was not found (Runner supports local and ssh)",
                key: "ansible_connection", exitCode: ExitCodes.BadOptions),
        };
    }

    private static IConnection Build(string host, IReadOnlyDictionary<string, object?> vars, string? def) =>
        Kind(host, vars, def) == "local"
            ? new LocalConnection(host)
            : new SshConnection(host, SshSettings.FromHostVars(host, vars));

    /// <summary>Stops the commands every connection left running (<see cref="IConnection.StopCommandsAsync"/>), all at once.</summary>
    public Task StopCommandsAsync(CancellationToken ct) => Task.WhenAll(_byHost.Values.Select(c => c.StopCommandsAsync(ct)));

    /// <summary>Closes every connection made by this factory.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var c in _byHost.Values)
        {
            try { await c.DisposeAsync(); } catch (Exception) { /* closing is best effort */ }
        }
        _byHost.Clear();
    }
}

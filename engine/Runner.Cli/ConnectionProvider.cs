using System.Collections.Concurrent;
using Runner.Engine.Connections;
using Runner.Engine.Execution;

namespace Runner.Cli;

/// <summary>Local connections only (replaced by the SSH-capable factory).</summary>
public sealed class ConnectionProvider : IConnectionProvider
{
    private readonly ConcurrentDictionary<string, IConnection> _cache = new();

    public Task<IConnection> GetAsync(string host, IReadOnlyDictionary<string, object?> vars, CancellationToken ct)
    {
        var type = vars.TryGetValue("ansible_connection", out var c) ? c?.ToString() : "ssh";
        if (type != "local") throw new UnreachableException($"Failed to connect to the host via {type}: not available");
        return Task.FromResult(_cache.GetOrAdd(host, h => new LocalConnection(h)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _cache.Values) await c.DisposeAsync();
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Execution;

namespace Runner.Cli;

/// <summary>The executor's connections: one per host for the run, local or SSH as the host's variables say.</summary>
public sealed class ConnectionProvider : IConnectionProvider
{
    private readonly ConnectionFactory _factory = new();
    private readonly string? _defaultConnection;

    public ConnectionProvider(string? defaultConnection) => _defaultConnection = defaultConnection;

    public Task<IConnection> GetAsync(string host, IReadOnlyDictionary<string, object?> vars, CancellationToken ct) =>
        Task.FromResult(_factory.Create(host, vars, _defaultConnection));

    public Task StopCommandsAsync(CancellationToken ct) => _factory.StopCommandsAsync(ct);

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}

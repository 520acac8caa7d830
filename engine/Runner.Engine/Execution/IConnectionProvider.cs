using Runner.Engine.Connections;

namespace Runner.Engine.Execution;

/// <summary>Gives the executor one connection per host for the whole run.</summary>
public interface IConnectionProvider : IAsyncDisposable
{
    /// <summary>
    /// The connection for <paramref name="host"/>, made from its templated connection variables
    /// (ansible_connection, ansible_host, ansible_port, ansible_user, ...). Throws
    /// <see cref="UnreachableException"/> when it cannot be made.
    /// </summary>
    Task<IConnection> GetAsync(string host, IReadOnlyDictionary<string, object?> connectionVars, CancellationToken ct);

    /// <summary>After an interrupt: stops what every connection's commands left running on its target
    /// (<see cref="IConnection.StopCommandsAsync"/>), within <paramref name="ct"/>.</summary>
    Task StopCommandsAsync(CancellationToken ct) => Task.CompletedTask;
}

namespace Runner.Engine.Connections;

/// <summary>
/// The connection a module whose spec says <c>NeedsConnection = false</c> gets (debug, set_fact, assert, ...): the
/// engine opened nothing for the task, so every call is a bug in the module's spec and fails with
/// <see cref="InvalidOperationException"/> naming the module.
/// </summary>
public sealed class NoConnection : IConnection
{
    private readonly string _module;

    /// <param name="host">The inventory host the task runs for.</param>
    /// <param name="module">The module's name, for the message.</param>
    public NoConnection(string host, string module) => (Host, _module) = (host, module);

    /// <inheritdoc/>
    public string Host { get; }

    private InvalidOperationException Refused() =>
        new($"module {_module} declares no connection (ModuleSpec.NeedsConnection = false) but used one on {Host}");

    /// <inheritdoc/>
    public Task<CommandResult> ExecAsync(string script, ExecOptions? options = null, CancellationToken ct = default) => throw Refused();

    /// <inheritdoc/>
    public Task PutFileAsync(byte[] content, string path, ExecOptions? options = null, CancellationToken ct = default) => throw Refused();

    /// <inheritdoc/>
    public Task<byte[]?> GetFileAsync(string path, ExecOptions? options = null, CancellationToken ct = default) => throw Refused();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

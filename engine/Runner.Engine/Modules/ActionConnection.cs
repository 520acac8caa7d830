using Runner.Engine.Connections;

namespace Runner.Engine.Modules;

/// <summary>
/// What a <see cref="ConnectionStep"/> may do with the task's connection, as an Ansible action plugin uses
/// self._connection: run a command with the task's become and environment (_low_level_execute_command with sudoable)
/// and reset the connection (connection.reset(), with reboot's connect_timeout). Only given to a step, so never in
/// check mode.
/// </summary>
public sealed class ActionConnection
{
    private readonly ModuleContext _ctx;

    /// <summary>The connection of the task in <paramref name="ctx"/>.</summary>
    public ActionConnection(ModuleContext ctx) => _ctx = ctx;

    /// <summary>Runs a sh script on the target as the task's commands run (<see cref="ModuleContext.ShAsync"/>).</summary>
    /// <exception cref="UnreachableException">The host cannot be reached.</exception>
    public Task<CommandResult> ShAsync(string script, CancellationToken ct) => _ctx.ShAsync(script, ct);

    /// <summary>Closes the connection's sessions; the next command connects afresh, within <paramref name="connectTimeout"/>
    /// when given, else the configured timeout (<see cref="IConnection.ResetAsync"/>). False when there is nothing to reset.</summary>
    public Task<bool> ResetAsync(TimeSpan? connectTimeout = null) => _ctx.Connection.ResetAsync(connectTimeout);
}

using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Variables;

namespace Runner.Engine.Execution;

/// <summary>What every part of a run shares: options, variables, templar, modules, connections, the callback.</summary>
public sealed class RunContext
{
    public required RunOptions Options { get; init; }
    public required VariableManager Vars { get; init; }
    public required Templar Templar { get; init; }
    public required ModuleRegistry Modules { get; init; }
    public required IConnectionProvider Connections { get; init; }
    public required IRunCallback Callback { get; init; }
    /// <summary>The live display of the hosts still running a task (a terminal's progress line), or none.</summary>
    public ITaskProgress Progress { get; init; } = NoTaskProgress.Instance;
    /// <summary>The inventory (read again by meta: refresh_inventory).</summary>
    public required Inventory.InventoryData Inventory { get; set; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PlannedState> _planned = new();

    /// <summary>What earlier check-mode tasks would have created on <paramref name="host"/> during this run.</summary>
    public PlannedState PlannedFor(string host) => _planned.GetOrAdd(host, _ => new PlannedState());

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Runner.Engine.Modules.Facts.HostFacts> _facts = new();

    /// <summary>The fact cache of <paramref name="host"/> for this run.</summary>
    public Runner.Engine.Modules.Facts.HostFacts FactsFor(string host) => _facts.GetOrAdd(host, _ => new Runner.Engine.Modules.Facts.HostFacts());

    /// <summary>The async jobs this run started (<c>async:</c>), for async_status and the engine's polling.</summary>
    public AsyncJobs AsyncJobs { get; } = new();

    /// <summary>The play being run (for play-level keywords such as environment and become).</summary>
    public Play? CurrentPlay { get; set; }

    /// <summary>A play-level keyword (become, environment, check_mode...), raw, or null.</summary>
    public object? PlayKeyword(string keyword) =>
        CurrentPlay is not null && CurrentPlay.Keywords.TryGetValue(keyword, out var v) ? v : null;

    private static readonly string[] ConnectionVarNames =
    {
        "ansible_connection", "ansible_host", "ansible_ssh_host", "ansible_port", "ansible_ssh_port", "ansible_user", "ansible_ssh_user",
        "ansible_password", "ansible_ssh_pass", "ansible_ssh_private_key_file", "ansible_private_key_file",
        "ansible_ssh_private_key_passphrase", "ansible_ssh_common_args", "ansible_ssh_extra_args", "ansible_ssh_args",
        "ansible_host_key_checking", "ansible_ssh_host_key_checking", "ansible_ssh_timeout", "ansible_timeout",
        "ansible_become_password", "ansible_become_pass",
    };

    /// <summary>The connection for a host, made on first use from its templated connection variables.</summary>
    /// <param name="taskConnection">The task's own `connection` keyword (task, block or role level), or null. It beats the
    /// play's keyword and -c, but a host's ansible_connection beats every keyword (PlayContext.set_task_and_variable_override).</param>
    public async Task<IConnection> ConnectionFor(string host, PlayContext pc, CancellationToken ct, string? taskConnection = null)
    {
        // one connection per host (and connection type a task asks for) for the whole run: its variables are read once
        var key = taskConnection is null ? host : host + "\0" + taskConnection;
        if (_connections.TryGetValue(key, out var known)) return known;
        var vars = ConnectionVars(host, pc, taskConnection);
        if (taskConnection is not null && !Equals(vars.GetValueOrDefault("ansible_connection"), taskConnection))
        {
            _redirected[key] = true;
            return _connections[key] = await ConnectionFor(host, pc, ct);
        }
        var connection = await Connections.GetAsync(host, vars, ct);
        _connections[key] = connection;
        return connection;
    }

    /// <summary>
    /// <see cref="ConnectionFor"/> for a task, with the key of the host state (facts, planned state) that connection
    /// sees: the host's name, or host + "\0" + the task's connection type when that type is really used (a task's
    /// `connection: local` beside the host's SSH has state of its own).
    /// </summary>
    public async Task<(IConnection Connection, string StateKey)> TaskConnectionFor(string host, PlayContext pc, string? taskConnection, CancellationToken ct)
    {
        var connection = await ConnectionFor(host, pc, ct, taskConnection);
        var key = taskConnection is null ? host : host + "\0" + taskConnection;
        return (connection, taskConnection is null || _redirected.ContainsKey(key) ? host : key);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IConnection> _connections = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _redirected = new();

    private Dict ConnectionVars(string host, PlayContext pc, string? taskConnection = null)
    {
        var scope = Vars.ForTask(pc, host, null);
        var vars = new Dict();
        foreach (var name in ConnectionVarNames)
        {
            if (!scope.TryGetRaw(name, out var raw)) continue;
            try { vars[name] = Templar.Template(raw, scope); } catch (TemplateError) { vars[name] = raw; }
        }
        if (!vars.ContainsKey("ansible_connection"))
        {
            var playConn = taskConnection ?? PlayKeyword("connection") ?? Options.Connection;
            if (playConn is not null) vars["ansible_connection"] = playConn;
            else if (host is "localhost" or "127.0.0.1" && Inventory.FindHost(host) is null) vars["ansible_connection"] = "local";
        }
        if (!vars.ContainsKey("ansible_user") && (PlayKeyword("remote_user") ?? Options.RemoteUser) is { } ru) vars["ansible_user"] = ru;
        if (!vars.ContainsKey("ansible_ssh_private_key_file") && Options.PrivateKey is not null) vars["ansible_ssh_private_key_file"] = Options.PrivateKey;
        if (!vars.ContainsKey("ansible_host_key_checking") && !Options.HostKeyChecking) vars["ansible_host_key_checking"] = false;
        if (!vars.ContainsKey("ansible_timeout")) vars["ansible_timeout"] = (long)Options.Timeout;
        return vars;
    }
}

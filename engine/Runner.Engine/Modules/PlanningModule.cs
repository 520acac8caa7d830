using Runner.Engine.Modules.Facts;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// A module under the plan contract: it reads typed facts and returns a <see cref="Plan"/>; the engine applies it
/// (<see cref="PlanRunner"/>). Its context has no check-mode or diff flag: a module cannot get them wrong.
/// Modeled on pyinfra's operations (src/pyinfra/api/operation.py) and Ansible.Basic.cs's handling of check mode,
/// diff and no_log in one place.
/// </summary>
public abstract class PlanningModule : IModule
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract ModuleSpec Spec { get; }

    /// <summary>The plan for these arguments on this host.</summary>
    public abstract Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct);

    /// <inheritdoc/>
    public Task<Dict> RunAsync(ModuleContext context, CancellationToken ct) => PlanRunner.ApplyAsync(this, context, ct);
}

/// <summary>What a planning module may read: its validated arguments, the host's facts, variables, controller files.</summary>
public sealed class PlanContext
{
    private readonly ModuleContext _ctx;
    private readonly Dict? _args;

    /// <summary>A context reading through <paramref name="ctx"/>'s connection and the host's fact cache.</summary>
    public PlanContext(ModuleContext ctx, FactReader facts) => (_ctx, Facts) = (ctx, facts);

    private PlanContext(ModuleContext ctx, FactReader facts, Dict args) : this(ctx, facts) => _args = args;

    /// <summary>The validated arguments (types as the spec says; options not given are absent or their default).</summary>
    public Dict Args => _args ?? _ctx.Args;

    /// <summary>This context with other validated arguments: for a module that plans through another (package → apt).</summary>
    public PlanContext WithArgs(Dict args) => new(_ctx, Facts, args);

    /// <summary>The host's facts (typed probes, cached for the run).</summary>
    public FactReader Facts { get; }

    /// <summary>The host being worked on (inventory_hostname).</summary>
    public string Host => _ctx.Host;

    /// <summary>The task's `environment:` (null when none): controller-side modules read credentials and endpoints from it.</summary>
    public IReadOnlyDictionary<string, string>? Environment => _ctx.Exec.Environment;

    /// <summary>The task's variables.</summary>
    public IVariableScope Variables => _ctx.Variables;

    /// <summary>The run's templar (for modules that render, as template does).</summary>
    public Templar Templar => _ctx.Templar;

    /// <summary>Task name and file:line, for messages.</summary>
    public string TaskLabel => _ctx.TaskLabel;

    /// <summary>The task's name as its banner shows it (Ansible's task.get_name()).</summary>
    public string TaskName => _ctx.TaskName;

    /// <summary>The task's action as written (Ansible's task.action), or the module's name when not known.</summary>
    public string Action => _ctx.Action;

    /// <summary>The task's connection runs commands on the controller itself (Ansible's transport == 'local').</summary>
    public bool ConnectionIsLocal => _ctx.Connection is Connections.LocalConnection;

    /// <summary>Prints <paramref name="text"/> on the controller's stdout now (an action plugin's display.display).</summary>
    public void Display(string text) => _ctx.Display?.Invoke(text);

    /// <summary>Prints a warning on the controller now, not in the result (an action plugin's display.warning).</summary>
    public void Warn(string text) => _ctx.Warn?.Invoke(text);

    /// <summary>Runs <paramref name="script"/> with sh -c on the controller (not the target), for modules whose program runs
    /// there (synchronize's rsync); probes and steps still go to the target.</summary>
    public Task<Connections.CommandResult> ControllerShAsync(string script, CancellationToken ct) => _ctx.Controller.ExecAsync(script, null, ct);

    /// <summary>The SSH settings (host, port, user, keys, known_hosts, host key checking) of the connection the task runs
    /// over, or null when it is not SSH.</summary>
    public Connections.SshSettings? Ssh => _ctx.Ssh ?? (_ctx.Connection as Connections.SshConnection)?.Settings;

    /// <summary>The connection's transport: "ssh", "local", or the connection's type name for another one.</summary>
    public string Transport => Ssh is not null ? "ssh" : _ctx.Connection is Connections.LocalConnection ? "local" : _ctx.Connection.GetType().Name;

    /// <summary>The task's connection as a port forwarder (SSH), or null when it cannot forward: for controller-side
    /// modules that reach a service only the host can reach (k8s's API server). A forward changes nothing on the host.</summary>
    public Connections.IPortForwarder? PortForwarder => _ctx.Connection as Connections.IPortForwarder;

    /// <summary>The host the task's connection goes to: <see cref="Host"/>, or the delegate_to host.</summary>
    public string ConnectionHost => _ctx.Connection.Host;

    /// <summary>The task's become user (null: no become) and method (sudo, su).</summary>
    public (string? User, string Method) Become => (_ctx.Exec.BecomeUser, _ctx.Exec.BecomeMethod);

    /// <summary>What earlier tasks would have created (only in check mode is anything planned and not yet there).</summary>
    public PlannedState Planned => _ctx.Planned;

    /// <summary>Finds a controller-side file by a relative or absolute path in the search folders (role files/, ...).</summary>
    public string? FindFile(string path, string subFolder) => _ctx.FindFile(path, subFolder);
}

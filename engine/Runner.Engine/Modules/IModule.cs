using Runner.Engine.Connections;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// A module: one idempotent operation on a target (read state, compare, change only what differs).
/// Follows Ansible's module contract (lib/ansible/module_utils/basic.py): arguments are validated
/// against <see cref="Spec"/> before <see cref="RunAsync"/>; the result holds Ansible's fields
/// (changed, failed, msg, rc, stdout, stderr, diff, ...) so `register` works as users expect.
/// </summary>
public interface IModule
{
    /// <summary>Short name, e.g. "copy"; "ansible.builtin.copy" and "ansible.legacy.copy" resolve to it.</summary>
    string Name { get; }

    /// <summary>The options this module takes.</summary>
    ModuleSpec Spec { get; }

    /// <summary>Runs the module. Must not change anything when <see cref="ModuleContext.CheckMode"/> is set.</summary>
    Task<Dict> RunAsync(ModuleContext context, CancellationToken ct);
}

/// <summary>
/// Everything a module may use. Args are templated and validated (types coerced as the spec says;
/// options not given are absent). A module that sets facts returns them under "ansible_facts".
/// </summary>
public sealed class ModuleContext
{
    public required IConnection Connection { get; init; }
    public required Dict Args { get; init; }
    public required bool CheckMode { get; init; }
    public required bool DiffMode { get; init; }
    public required Templar Templar { get; init; }
    public required IVariableScope Variables { get; init; }
    /// <summary>The host being worked on (inventory_hostname).</summary>
    public required string Host { get; init; }
    /// <summary>What earlier tasks of the run would have created on this host (check mode).</summary>
    public PlannedState Planned { get; init; } = new();
    /// <summary>The host's fact cache for the run (see <see cref="Facts.HostFacts"/>).</summary>
    public Facts.HostFacts Facts { get; init; } = new();
    /// <summary>Where probes are answered; null: on the target through <see cref="Connection"/> (tests give recorded outputs).</summary>
    public Facts.IFactSource? FactSource { get; init; }
    /// <summary>Folders searched for a relative `src` (role files/ or templates/ first, then the playbook folder).</summary>
    public IReadOnlyList<string> SearchPaths { get; init; } = Array.Empty<string>();
    /// <summary>How to run commands on the target: environment and become.</summary>
    public ExecOptions Exec { get; init; } = new();
    /// <summary>Task name and file:line, for messages.</summary>
    public string TaskLabel { get; init; } = "";
    /// <summary>The task's name as its banner shows it ("role : name", or the action when unnamed): Ansible's task.get_name().</summary>
    public string TaskName { get; init; } = "";
    /// <summary>The task's action as written ("reboot", "ansible.builtin.reboot"): Ansible's task.action, which action
    /// plugins name in messages; empty when not known.</summary>
    public string Action { get; init; } = "";
    /// <summary>Prints text on the controller's stdout now, as an action plugin's display.display (pause's prompt); null: nowhere.</summary>
    public Action<string>? Display { get; init; }
    /// <summary>Prints a warning on the controller now, outside the result (an action plugin's display.warning); null: nowhere.</summary>
    public Action<string>? Warn { get; init; }
    /// <summary>Where commands run on the controller (synchronize's local rsync): the local connection; tests record them.</summary>
    public IConnection Controller { get; init; } = new LocalConnection("localhost");
    /// <summary>The SSH settings of the task's connection; null: those of <see cref="Connection"/> when it is SSH (tests give them).</summary>
    public SshSettings? Ssh { get; init; }
    /// <summary>The run's async jobs (the `async:` keyword, async_status).</summary>
    public AsyncJobs Jobs { get; init; } = new();

    /// <summary>Runs a sh script on the target with the task's environment and become settings.</summary>
    /// <remarks>A become that sudo/su refuses (wrong or missing password) fails the task with Ansible's message
    /// ("Incorrect sudo password", ...) as a <see cref="Errors.RunnerException"/>, whatever the module.</remarks>
    public async Task<CommandResult> ShAsync(string script, CancellationToken ct, byte[]? stdin = null)
    {
        var r = await Connection.ExecAsync(script, Exec with { Stdin = stdin }, ct);
        if (r.ExitCode != 0 && Exec.BecomeUser is not null && SshBecome.Refusal(r.Stderr) is { } refused)
            throw new Errors.RunnerException(refused);
        return r;
    }

    /// <summary>
    /// An action plugin's _find_needle (DataLoader.path_dwim_relative_stack over the task's search path, the playbook's
    /// folder last): the first of the candidates that exists, else null; <paramref name="searched"/> lists the candidates
    /// in order, as ansible-core's "Could not find or access 'X'\nSearched in:..." names them.
    /// </summary>
    public string? FindNeedle(string subdir, string needle, out List<string> searched)
    {
        searched = new List<string>();
        if (needle.StartsWith('~')) needle = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + needle[1..];
        if (Path.IsPathRooted(needle)) return File.Exists(needle) || Directory.Exists(needle) ? needle : null;
        // the task's search path (its roles and its file's folder) ends with the playbook's folder only when the task is
        // written there; the loader then adds the playbook's folder again
        var paths = SearchPaths.Count > 1 ? SearchPaths.Take(SearchPaths.Count - 1) : SearchPaths;
        var baseDir = SearchPaths.Count > 0 ? SearchPaths[^1] : Directory.GetCurrentDirectory();
        searched.AddRange(Templating.Lookups.SearchPath.Candidates(paths, baseDir, subdir, needle));
        return searched.FirstOrDefault(c => File.Exists(c) || Directory.Exists(c));
    }

    /// <summary>Finds a controller-side file by a relative or absolute path in the search folders.</summary>
    public string? FindFile(string path, string subFolder)
    {
        if (Path.IsPathRooted(path)) return File.Exists(path) || Directory.Exists(path) ? path : null;
        foreach (var dir in SearchPaths)
        {
            foreach (var candidate in new[] { Path.Combine(dir, subFolder, path), Path.Combine(dir, path) })
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>The type of a module option, as Ansible's argument_spec `type`.</summary>
public enum OptionType { Str, Bool, Int, Float, List, Dict, Path, Raw, Mode }

/// <summary>One option of a module (Ansible argument_spec entry).</summary>
public sealed record OptionSpec(string Name, OptionType Type = OptionType.Str, bool Required = false,
    object? Default = null, string[]? Choices = null, string[]? Aliases = null, bool NoLog = false,
    OptionType? Elements = null);

/// <summary>
/// A module's options and the flags the engine reads instead of module names. <see cref="FreeForm"/> modules
/// take a free-form string under "_raw_params"; <see cref="AcceptsAnyArgs"/> modules take any keys;
/// <see cref="RunsOnController"/> modules do their work in the controller process (an API, a controller file,
/// variables): they change nothing on the target, so the target's fact cache outlives them.
/// </summary>
public sealed record ModuleSpec(IReadOnlyList<OptionSpec> Options, bool FreeForm = false, bool AcceptsAnyArgs = false,
    bool SupportsCheckMode = true, bool RunsOnController = false)
{
    public static ModuleSpec Of(params OptionSpec[] options) => new(options);

    /// <summary>The module's string arguments are a command line (Ansible's FREEFORM_ACTIONS: command, shell, raw,
    /// script): `k=v` words are options only for parse_kv's fixed free-form keys (creates, chdir, ...), every other
    /// word belongs to the command, and a non-string value is the command itself.</summary>
    public bool FreeFormCommand { get; init; }

    /// <summary>The result is shown without -v, indented, as for a result carrying _ansible_verbose_always
    /// (the debug action sets it).</summary>
    public bool VerboseAlways { get; init; }

    /// <summary>Callbacks show only the module's output: a msg alone, or the result without its status keys
    /// (CallbackBase._clean_results for debug).</summary>
    public bool ShowsOnlyOutput { get; init; }

    /// <summary>Where the result's ansible_facts go (<see cref="Modules.FactsLayer"/>).</summary>
    public FactsLayer FactsLayer { get; init; }

    /// <summary>The module the implicit "Gathering Facts" task runs (setup); its facts come without the ansible_
    /// prefix and are all injected with it; the junit callback's JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT drops its tasks.</summary>
    public bool GathersFacts { get; init; }

    /// <summary>False: the engine opens no connection for the task (debug, set_fact, assert, fail, include_vars
    /// read only variables and controller files); the module gets a connection that refuses every call. Such a
    /// module also <see cref="RunsOnController"/>.</summary>
    public bool NeedsConnection { get; init; } = true;

    /// <summary>In a loop, each item sees the facts earlier items set (TaskExecutor._run_loop for
    /// _ACTION_WITH_CLEAN_FACTS): true for the variable layers set_fact and include_vars write.</summary>
    public bool CarriesFactsInLoop => FactsLayer is FactsLayer.SetFacts or FactsLayer.IncludeVars;

    /// <summary>Groups of options of which at most one may be given (Ansible's mutually_exclusive).</summary>
    public IReadOnlyList<string[]> MutuallyExclusive { get; init; } = Array.Empty<string[]>();

    /// <summary>Groups of options given all together or not at all (required_together).</summary>
    public IReadOnlyList<string[]> RequiredTogether { get; init; } = Array.Empty<string[]>();

    /// <summary>Groups of options of which at least one must be given (required_one_of).</summary>
    public IReadOnlyList<string[]> RequiredOneOf { get; init; } = Array.Empty<string[]>();

    /// <summary>When an option has a value, other options are required (required_if).</summary>
    public IReadOnlyList<RequiredIf> RequiredIf { get; init; } = Array.Empty<RequiredIf>();

    /// <summary>When an option is given, other options are required (required_by).</summary>
    public IReadOnlyDictionary<string, string[]> RequiredBy { get; init; } = new Dictionary<string, string[]>();

    /// <summary>The msg of the skipped task in check mode when <see cref="SupportsCheckMode"/> is false; null:
    /// "remote module (NAME) does not support check mode" (the module's own refusal). Action plugins that refuse
    /// (assemble, script) say "check mode is not supported for this task.".</summary>
    public string? CheckModeSkipMessage { get; init; }

    /// <summary>False: a task with `async:` fails with "async is not supported for this task." (Ansible's action plugins
    /// that do not set _supports_async: raw, script, copy, template, fetch, debug, set_fact, ...; see ActionBase.run).
    /// True (the default, as for modules without an action plugin): the engine runs the module's plan detached on the
    /// target when the plan is only commands (<see cref="AsyncJobs"/>).</summary>
    public bool SupportsAsync { get; init; } = true;

    /// <summary>The action runs once, for the first host of the batch, its result registered for that host alone
    /// (Ansible's BYPASS_HOST_LOOP action plugins: pause).</summary>
    public bool BypassHostLoop { get; init; }

    /// <summary>Unknown options fail with "Invalid options for NAME: a,b" (an action plugin with a fixed _VALID_ARGS
    /// list: reboot, wait_for_connection, debug) instead of the module's "Unsupported parameters" message.</summary>
    public bool ValidArgsOnly { get; init; }

    /// <summary>Fields the failed result of bad arguments gets besides failed and msg, or null for none. Ansible's action
    /// plugins raise AnsibleActionFail there: {"changed": false, "exception": "NoneType: None\n"}
    /// (<see cref="ActionFailureFields"/>), which the default callback announces as "An exception occurred ...".</summary>
    public Dict? ArgumentErrorFields { get; init; }

    /// <summary>How the result's <c>invocation</c> is built (<see cref="ModuleInvocation"/>); null for an action that runs
    /// no module on the target (raw, script, fetch, pause, meta): its results have none. Modules that need no
    /// connection (debug, set_fact, assert, fail, include_vars) never report one.</summary>
    public ModuleInvocation? Invocation { get; init; } = ModuleInvocation.Default;

    /// <summary>The result carries an <c>invocation</c> (<see cref="Invocation"/>).</summary>
    public bool ReportsInvocation => NeedsConnection && Invocation is not null;

    /// <summary>What an action plugin's AnsibleActionFail adds to the result: changed false and the empty traceback.</summary>
    public static Dict ActionFailureFields => new() { ["changed"] = false, ["exception"] = "NoneType: None\n" };
}

/// <summary>Which variables a module's ansible_facts become when the task succeeds.</summary>
public enum FactsLayer
{
    /// <summary>Host facts: ansible_facts.NAME, injected as ansible_NAME; a name without the ansible_ prefix stays a
    /// bare variable (namespace_facts / clean_facts).</summary>
    HostFacts,
    /// <summary>set_fact's layer, shared with registered variables (above include_vars, below role params and extra vars).</summary>
    SetFacts,
    /// <summary>include_vars' layer (above task variables, below set_fact).</summary>
    IncludeVars,
}

/// <summary>
/// Ansible's required_if entry: when <paramref name="Key"/> equals <paramref name="Value"/>, all of
/// <paramref name="Requirements"/> (or, with <paramref name="AnyOf"/>, at least one) must be given.
/// </summary>
public sealed record RequiredIf(string Key, object Value, string[] Requirements, bool AnyOf = false);

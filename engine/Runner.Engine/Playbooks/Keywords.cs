namespace Runner.Engine.Playbooks;

/// <summary>
/// The keyword names Ansible accepts at each level (docs: "Playbook Keywords"), used to tell a task's
/// action key from its keywords and to reject unknown play keys.
/// </summary>
public static class Keywords
{
    /// <summary>Keys a task or block may carry besides its action.</summary>
    public static readonly HashSet<string> Task = new(StringComparer.Ordinal)
    {
        "name", "action", "local_action", "args", "when", "loop", "loop_control", "register", "notify", "listen",
        "tags", "become", "become_user", "become_method", "become_flags", "become_exe", "delegate_to",
        "delegate_facts", "run_once", "changed_when", "failed_when", "ignore_errors", "ignore_unreachable",
        "environment", "check_mode", "diff", "until", "retries", "delay", "no_log", "vars", "any_errors_fatal",
        "connection", "remote_user", "throttle", "timeout", "module_defaults", "collections", "debugger", "port",
        "async", "poll", "block", "rescue", "always",
    };

    /// <summary>Keys a play may carry.</summary>
    public static readonly HashSet<string> Play = new(StringComparer.Ordinal)
    {
        "name", "hosts", "gather_facts", "gather_subset", "gather_timeout", "become", "become_user", "become_method",
        "become_flags", "become_exe", "vars", "vars_files", "vars_prompt", "roles", "pre_tasks", "tasks", "post_tasks",
        "handlers", "environment", "tags", "serial", "any_errors_fatal", "force_handlers", "max_fail_percentage",
        "connection", "remote_user", "strategy", "order", "check_mode", "diff", "ignore_errors", "ignore_unreachable",
        "no_log", "module_defaults", "collections", "run_once", "throttle", "timeout", "port", "fact_path", "debugger",
    };

    /// <summary>Keywords that are inherited by tasks from plays, blocks and roles (stored in TaskNode.Keywords).</summary>
    public static readonly string[] Inheritable =
    {
        "become", "become_user", "become_method", "become_flags", "become_exe", "check_mode", "diff", "environment",
        "ignore_errors", "ignore_unreachable", "any_errors_fatal", "delegate_to", "run_once", "no_log", "connection",
        "remote_user", "port", "timeout", "throttle", "module_defaults", "delegate_facts",
    };

    /// <summary>Actions handled by the engine itself (not modules).</summary>
    public static readonly HashSet<string> EngineActions = new(StringComparer.Ordinal)
    {
        "include_tasks", "import_tasks", "include_role", "import_role", "include", "meta", "import_playbook",
    };

    /// <summary>The k=v keys that parse_kv(check_raw=True) keeps as options in a free-form command's text
    /// (<see cref="Modules.ModuleSpec.FreeFormCommand"/>); every other word belongs to the command.</summary>
    public static readonly HashSet<string> FreeFormOptions = new(StringComparer.Ordinal)
    {
        "creates", "removes", "chdir", "executable", "stdin", "stdin_add_newline", "strip_empty_ends", "warn",
    };
}

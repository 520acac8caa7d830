namespace Runner.Engine.Connections;

/// <summary>
/// Marks every command a connection runs with an environment variable (<c>RUNNER_RUN=ID</c>, inherited by all its
/// children, set inside the become wrapper), so that an interrupted run can find and stop what it started on the
/// target (ansible-playbook leaves such commands running; Runner does not). Linux targets: the processes are found
/// through /proc/PID/environ.
/// </summary>
public static class RunMark
{
    /// <summary>The environment variable that carries the mark.</summary>
    public const string Variable = "RUNNER_RUN";

    /// <summary>A new mark (32 hex digits).</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>sh that exports the mark; prefixed to each script.</summary>
    public static string Export(string mark) => $"RUNNER_RUN={mark}; export RUNNER_RUN\n";

    /// <summary>sh (run without the mark itself) that sends SIGTERM to every process whose environment holds the
    /// mark. Always succeeds.</summary>
    public static string StopScript(string mark) =>
        "for p in /proc/[0-9]*; do p=${p#/proc/}; " +
        $"tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | grep -qx RUNNER_RUN={mark} && kill -TERM \"$p\" 2>/dev/null; done; :";
}

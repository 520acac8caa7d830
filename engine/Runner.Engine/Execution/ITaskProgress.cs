namespace Runner.Engine.Execution;

/// <summary>
/// Where a run reports, while a task runs, which hosts are still running it: the engine calls
/// <see cref="TaskRunning"/> once the task's banner is out, <see cref="HostDone"/> as each host's result arrives (in
/// any order, from any thread), <see cref="Suspend"/> before a module writes to the console mid-task (pause's
/// prompt, a warning), and <see cref="TaskDone"/> before the task's results are shown. An implementation must leave
/// the console as it found it by the time <see cref="Suspend"/> or <see cref="TaskDone"/> returns.
/// </summary>
public interface ITaskProgress
{
    /// <summary>The task named <paramref name="task"/> started on <paramref name="hosts"/>.</summary>
    void TaskRunning(string task, IReadOnlyList<string> hosts);

    /// <summary><paramref name="host"/> finished the current task.</summary>
    void HostDone(string host);

    /// <summary>Something else is about to write to the console during the current task: stop showing progress for it.</summary>
    void Suspend();

    /// <summary>Every host finished the current task.</summary>
    void TaskDone();
}

/// <summary>No progress display (logs, pipes, the json callback, tests).</summary>
public sealed class NoTaskProgress : ITaskProgress
{
    /// <summary>The one instance.</summary>
    public static readonly NoTaskProgress Instance = new();

    public void TaskRunning(string task, IReadOnlyList<string> hosts) { }
    public void HostDone(string host) { }
    public void Suspend() { }
    public void TaskDone() { }
}

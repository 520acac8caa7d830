using Runner.Engine.Playbooks;
using Runner.Engine.Values;

namespace Runner.Engine.Results;

/// <summary>The outcome status of a task on a host, in Ansible's terms.</summary>
public enum TaskStatus { Ok, Changed, Skipped, Failed, Unreachable }

/// <summary>
/// One result of a task on a host (or of one loop item): the result dict as `register` sees it, plus
/// how it should be shown. Mirrors what Ansible's callbacks receive (TaskResult).
/// </summary>
public sealed class HostTaskResult
{
    public required TaskItem Task { get; init; }
    /// <summary>The task's name as shown in banners ("role : name").</summary>
    public required string TaskName { get; init; }
    public required string Host { get; init; }
    public string? DelegateTo { get; init; }
    public required Dict Result { get; init; }
    public required TaskStatus Status { get; init; }
    /// <summary>A failure that ignore_errors turned into "failed (ignored)".</summary>
    public bool Ignored { get; init; }
    /// <summary>This is one item of a loop; <see cref="ItemLabel"/> is its label.</summary>
    public bool IsItem { get; init; }
    public object? ItemLabel { get; init; }
    /// <summary>The task is a loop and this is its aggregate result.</summary>
    public bool IsLoopAggregate { get; init; }
    /// <summary>no_log: values are hidden.</summary>
    public bool NoLog { get; init; }
    /// <summary>--diff (or diff: true) applies to this task.</summary>
    public bool Diff { get; init; }
    /// <summary>The spec of the task's module (its flags tell how to show the result: VerboseAlways, ShowsOnlyOutput,
    /// GathersFacts); null for engine actions such as include_tasks.</summary>
    public Modules.ModuleSpec? Spec { get; init; }
}

/// <summary>
/// Receives the events of a run in the order Ansible's stdout callbacks do
/// (v2_playbook_on_play_start, v2_playbook_on_task_start, v2_runner_on_ok ... v2_playbook_on_stats).
/// Calls come from one thread at a time.
/// </summary>
public interface IRunCallback
{
    void PlaybookStart(string path) { }
    void PlayStart(Play play) { }
    void TaskStart(TaskItem task, string name, bool isHandler) { }
    /// <summary>A task starts whose banner shows whether a result follows or not: a meta task, which ansible-playbook
    /// 2.14 announces (v2_playbook_on_task_start) once for each host it runs for, and its default callback prints at
    /// once. Lazy callbacks treat it as <see cref="TaskStart"/>.</summary>
    void TaskBanner(TaskItem task, string name, bool isHandler) => TaskStart(task, name, isHandler);
    /// <summary>Text an action prints on the controller's stdout while it runs (pause's "Pausing for N seconds" and
    /// prompt: Ansible's display.display from the action plugin, outside the callback, so it reaches every stdout
    /// callback's output as it is). <paramref name="text"/> may hold several lines; no newline at its end.</summary>
    void Display(TaskItem task, string text) { }
    void HostResult(HostTaskResult result) { }
    void ItemResult(HostTaskResult result) { }
    /// <summary>An `until` attempt failed and the task runs again (v2_runner_retry); the result has attempts and retries.</summary>
    void Retry(HostTaskResult result) { }
    /// <summary>An async task's poll (v2_runner_on_async_poll: the job's status), or its end after polling
    /// (v2_runner_on_async_ok / v2_runner_on_async_failed: the task's result).</summary>
    void Async(AsyncEvent kind, HostTaskResult result) { }
    void Included(TaskItem task, string name, string host, string file, object? itemLabel, bool hasItem) { }
    void NoHostsMatched() { }
    void NoHostsRemaining() { }
    void Warning(string text) { }
    void Error(string text) { }
    void Stats(RunStats stats) { }
}

/// <summary>What an async event reports: a poll while the job runs, or the job's end (ok or failed).</summary>
public enum AsyncEvent { Poll, Ok, Failed }

/// <summary>Per-host counters of a run, as PLAY RECAP shows them.</summary>
public sealed class RunStats
{
    public sealed class HostCounts
    {
        public int Ok, Changed, Unreachable, Failed, Skipped, Rescued, Ignored;
    }

    private readonly object _lock = new();

    /// <summary>Hosts that have at least one count, by name.</summary>
    public SortedDictionary<string, HostCounts> Hosts { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds to a host's counters.</summary>
    public void Add(string host, Action<HostCounts> change)
    {
        lock (_lock)
        {
            if (!Hosts.TryGetValue(host, out var c)) Hosts[host] = c = new HostCounts();
            change(c);
        }
    }
}

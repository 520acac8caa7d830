using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>A dynamic include one host asked for: the file (or role) and the vars it passes.</summary>
public sealed record IncludeRequest(string Host, TaskItem Task, string Path, Dict Params, object? ItemLabel, bool HasItem, Dict Args);

/// <summary>What running one task on one host produced: the final result, status and the events to show.</summary>
public sealed class TaskOutcome
{
    public required string Host { get; init; }
    public Dict Result { get; set; } = new();
    public TaskStatus Status { get; set; }
    public bool Ignored { get; set; }
    /// <summary>Events for the callback, replayed in host order.</summary>
    public List<Action<IRunCallback>> Events { get; } = new();
    public List<IncludeRequest> Includes { get; } = new();
    /// <summary>The failure counts against the host (not ignored, not skipped).</summary>
    public bool HostFailed => Status == TaskStatus.Failed && !Ignored;
    public bool Unreachable => Status == TaskStatus.Unreachable;
    /// <summary>The task reported a change (for notify).</summary>
    public bool Changed => Status == TaskStatus.Changed || (Status == TaskStatus.Failed && Ignored && Data.Truthy(Result.GetValueOrDefault("changed")));
}

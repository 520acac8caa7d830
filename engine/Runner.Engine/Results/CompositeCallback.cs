using Runner.Engine.Playbooks;

namespace Runner.Engine.Results;

/// <summary>Sends every event to several callbacks in order (a stdout callback plus report writers such as junit).</summary>
public sealed class CompositeCallback : IRunCallback
{
    private readonly IReadOnlyList<IRunCallback> _callbacks;

    public CompositeCallback(params IRunCallback[] callbacks) => _callbacks = callbacks;

    public void PlaybookStart(string path) { foreach (var c in _callbacks) c.PlaybookStart(path); }
    public void PlayStart(Play play) { foreach (var c in _callbacks) c.PlayStart(play); }
    public void TaskStart(TaskItem task, string name, bool isHandler) { foreach (var c in _callbacks) c.TaskStart(task, name, isHandler); }
    public void TaskBanner(TaskItem task, string name, bool isHandler) { foreach (var c in _callbacks) c.TaskBanner(task, name, isHandler); }
    public void Display(TaskItem task, string text) => _callbacks[0].Display(task, text);
    public void HostResult(HostTaskResult result) { foreach (var c in _callbacks) c.HostResult(result); }
    public void ItemResult(HostTaskResult result) { foreach (var c in _callbacks) c.ItemResult(result); }
    public void Retry(HostTaskResult result) { foreach (var c in _callbacks) c.Retry(result); }
    public void Async(AsyncEvent kind, HostTaskResult result) { foreach (var c in _callbacks) c.Async(kind, result); }
    public void Included(TaskItem task, string name, string host, string file, object? itemLabel, bool hasItem)
    {
        foreach (var c in _callbacks) c.Included(task, name, host, file, itemLabel, hasItem);
    }
    public void NoHostsMatched() { foreach (var c in _callbacks) c.NoHostsMatched(); }
    public void NoHostsRemaining() { foreach (var c in _callbacks) c.NoHostsRemaining(); }
    public void Warning(string text) => _callbacks[0].Warning(text);
    public void Error(string text) => _callbacks[0].Error(text);
    public void Stats(RunStats stats) { foreach (var c in _callbacks) c.Stats(stats); }
}

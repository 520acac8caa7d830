using TaskStatus = Runner.Engine.Results.TaskStatus;
using Runner.Engine.Errors;
using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Values;

namespace Runner.Tests.Callbacks;

/// <summary>
/// A small synthetic run shaped like the one observed with ansible-core 2.14 (site.yml: debug, command,
/// skipped debug, loop, ignored failure, include_tasks, failure), fed to a callback event by event.
/// </summary>
internal static class CallbackFixture
{
    public const string Dir = "/tmp/obs";

    public static TaskItem Task(string name, string action, int line, Dict args) =>
        new() { Name = name, Action = action, Args = args, Location = new SourceLocation($"{Dir}/site.yml", line, 7) };

    private static readonly Runner.Engine.Modules.ModuleRegistry Modules = Runner.Modules.BuiltinModules.CreateRegistry();

    /// <summary>The spec TaskRunner gives a result of <paramref name="t"/> (null for engine actions).</summary>
    public static Runner.Engine.Modules.ModuleSpec? Spec(TaskItem t) => Modules.Find(t.Action)?.Spec;

    public static HostTaskResult Result(TaskItem t, TaskStatus st, Dict res, bool ignored = false, bool aggregate = false) =>
        new() { Task = t, TaskName = t.Name!, Host = "localhost", Result = res, Status = st, Ignored = ignored, IsLoopAggregate = aggregate, Spec = Spec(t) };

    public static void Run(IRunCallback cb)
    {
        cb.PlaybookStart($"{Dir}/site.yml");
        var play = new Play { Name = "First play", Hosts = "localhost", PlaybookDir = Dir, Location = new SourceLocation($"{Dir}/site.yml", 1, 3) };
        cb.PlayStart(play);

        var hi = Task("say hi", "debug", 5, new Dict { ["msg"] = "hi" });
        cb.TaskStart(hi, "say hi", false);
        cb.HostResult(Result(hi, TaskStatus.Ok, new Dict { ["msg"] = "hi", ["changed"] = false }));

        var cmd = Task("change", "command", 8, new Dict { ["_raw_params"] = "echo x" });
        cb.TaskStart(cmd, "change", false);
        cb.HostResult(Result(cmd, TaskStatus.Changed, new Dict
        {
            ["changed"] = true, ["cmd"] = new List<object?> { "echo", "x" }, ["rc"] = 0L, ["stdout"] = "x",
            ["invocation"] = new Dict { ["module_args"] = new Dict { ["_raw_params"] = "echo x" } },
        }));

        var skip = Task("skip me", "debug", 10, new Dict { ["msg"] = "no" });
        cb.TaskStart(skip, "skip me", false);
        cb.HostResult(Result(skip, TaskStatus.Skipped, new Dict { ["changed"] = false, ["skip_reason"] = "Conditional result was False", ["skipped"] = true }));

        var loop = Task("loop", "debug", 13, new Dict { ["msg"] = "{{ item }}" });
        cb.TaskStart(loop, "loop", false);
        var items = new List<object?>();
        foreach (var n in new[] { 1L, 2L })
        {
            var it = new Dict { ["msg"] = n, ["failed"] = false, ["changed"] = false, ["item"] = n, ["ansible_loop_var"] = "item" };
            items.Add(it);
            cb.ItemResult(new HostTaskResult { Task = loop, TaskName = "loop", Host = "localhost", Result = it, Status = TaskStatus.Ok, IsItem = true, ItemLabel = n, Spec = Spec(loop) });
        }
        cb.HostResult(Result(loop, TaskStatus.Ok, new Dict { ["changed"] = false, ["msg"] = "All items completed", ["results"] = items }, aggregate: true));

        var ign = Task("fail ignored", "fail", 17, new Dict { ["msg"] = "boom" });
        cb.TaskStart(ign, "fail ignored", false);
        cb.HostResult(Result(ign, TaskStatus.Failed, new Dict { ["changed"] = false, ["failed"] = true, ["msg"] = "boom" }, ignored: true));

        var inc = Task("include", "include_tasks", 21, new Dict { ["_raw_params"] = "inc.yml" });
        cb.TaskStart(inc, "include", false);
        cb.Included(inc, "include", "localhost", $"{Dir}/inc.yml", null, false);

        var fail = Task("fail", "fail", 23, new Dict { ["msg"] = "real failure" });
        cb.TaskStart(fail, "fail", false);
        cb.HostResult(Result(fail, TaskStatus.Failed, new Dict { ["changed"] = false, ["failed"] = true, ["msg"] = "réal failure" }));

        var stats = new RunStats();
        stats.Add("localhost", c => { c.Ok = 6; c.Changed = 1; c.Failed = 1; c.Skipped = 1; c.Ignored = 1; });
        cb.Stats(stats);
    }
}

using System.Text.RegularExpressions;
using Runner.Engine.Playbooks;
using Runner.Engine.Values;

namespace Runner.Engine.Results;

/// <summary>
/// The `transcript` stdout callback: one stable line per event, the grammar of the behaviour corpus
/// (shared/corpus/cases/INDEX.md, "expected.txt grammar"), for snapshot-testing playbooks and roles.
/// A task banner is printed just before its first result; diff lines come before the host line;
/// a loop ends with an aggregate host line; RECAP is sorted by host name; JSON is Python's
/// json.dumps(sort_keys=True, ensure_ascii=False). Paths under the current folder are shown relative to it.
/// </summary>
public sealed class TranscriptCallback : IRunCallback
{
    private static readonly string[] InternalKeys =
        { "changed", "failed", "skipped", "item", "ansible_loop_var", "ansible_index_var", "ansible_loop", "skip_reason", "false_condition" };

    private readonly TextWriter _out;
    private readonly string _cwd;
    private object? _pendingTask;
    private string? _pendingHeader;
    private object? _bannerTask;

    public TranscriptCallback(TextWriter output)
    {
        _out = output;
        _cwd = Path.GetFullPath(Directory.GetCurrentDirectory()).TrimEnd('/');
    }

    private void Line(string s) => _out.WriteLine(s);

    private string Norm(string text)
    {
        text = Regex.Replace(text, @"/\S*/\.ansible/tmp/\S+", "<tmpfile>");
        return text.Replace(_cwd + "/", "").Replace(_cwd, ".");
    }

    public void PlayStart(Play play)
    {
        _pendingTask = null;
        _bannerTask = null;
        Line($"PLAY [{play.Name.Trim()}]");
    }

    public void TaskStart(TaskItem task, string name, bool isHandler)
    {
        _pendingTask = task;
        _pendingHeader = $"{(isHandler ? "HANDLER" : "TASK")} [{name.Trim()}]";
    }

    /// <summary>The text at once: the corpus callback's banners wait for a result, the action's text does not.</summary>
    public void Display(TaskItem task, string text) => Line(text);

    private void Banner(TaskItem task)
    {
        if (ReferenceEquals(_bannerTask, task)) return;
        Line(ReferenceEquals(_pendingTask, task) && _pendingHeader is not null ? _pendingHeader : $"TASK [{task.DisplayName().Trim()}]");
        _bannerTask = task;
    }

    private static string HostLabel(HostTaskResult r) =>
        r.DelegateTo is { } d && d != r.Host ? $"{r.Host} -> {d}" : r.Host;

    private static string J(object? v) => PyStr.JsonDumps(v, sortKeys: true);

    public void HostResult(HostTaskResult r)
    {
        // A loop's diffs come with its items (ItemResult), as Ansible's v2_on_file_diff for each item result.
        if (r.Diff && r.Status == TaskStatus.Changed && !r.NoLog && !r.IsLoopAggregate) EmitDiffs(r);
        Banner(r.Task);
        var label = HostLabel(r);
        switch (r.Status)
        {
            case TaskStatus.Failed:
                Line($"  {label}: failed{(r.Ignored ? " (ignored)" : "")}");
                Error(r.Result, "    ");
                break;
            case TaskStatus.Unreachable:
                Line($"  {label}: unreachable");
                Error(r.Result, "    ");
                break;
            case TaskStatus.Skipped:
                Line($"  {label}: skipped");
                break;
            default:
                Line($"  {label}: {(r.Status == TaskStatus.Changed ? "changed" : "ok")}");
                if (!r.IsLoopAggregate) Details(r, "    ");
                break;
        }
    }

    /// <summary>The corpus callback's v2_runner_retry: "  HOST: retry ATTEMPTS/RETRIES".</summary>
    public void Retry(HostTaskResult r)
    {
        Banner(r.Task);
        Line($"  {HostLabel(r)}: retry {PyStr.Str(r.Result.GetValueOrDefault("attempts"))}/{PyStr.Str(r.Result.GetValueOrDefault("retries"))}");
    }

    private void EmitDiffs(HostTaskResult r)
    {
        if (r.Result.GetValueOrDefault("diff") is not { } d || !Data.Truthy(d)) return;
        var lines = DiffText.Lines(d);
        if (lines.Count == 0) return;
        Banner(r.Task);
        foreach (var l in Norm(string.Join("\n", lines)).TrimEnd('\n').Split('\n')) Line("    | " + l);
    }

    public void ItemResult(HostTaskResult r)
    {
        if (r.Diff && r.Status == TaskStatus.Changed && !r.NoLog) EmitDiffs(r);
        Banner(r.Task);
        var label = r.NoLog ? "\"(censored due to no_log)\"" : J(r.ItemLabel);
        switch (r.Status)
        {
            case TaskStatus.Failed:
                Line($"  {HostLabel(r)}: item={label} failed");
                Error(r.Result, "      ");
                break;
            case TaskStatus.Skipped:
                Line($"  {HostLabel(r)}: item={label} skipped");
                break;
            default:
                Line($"  {HostLabel(r)}: item={label} {(r.Status == TaskStatus.Changed ? "changed" : "ok")}");
                Details(r, "      ");
                break;
        }
    }

    private void Details(HostTaskResult r, string indent)
    {
        if (r.Result.GetValueOrDefault("warnings") is List<object?> warnings)
            foreach (var w in warnings) Line($"{indent}warning: {Norm(PyStr.Str(w)).Replace('\n', ' ')}");
        if (r.Spec?.ShowsOnlyOutput != true || r.Status == TaskStatus.Skipped) return;
        var res = r.Result;
        var var = r.Task.Args.GetValueOrDefault("var") as string;
        if (res.ContainsKey("msg")) Line($"{indent}msg: {J(res["msg"])}");
        else if (var is not null && res.ContainsKey(var)) Line($"{indent}{var}: {J(res[var])}");
        else
            foreach (var k in res.Keys.OrderBy(k => k, StringComparer.Ordinal))
                if (!k.StartsWith('_') && !InternalKeys.Contains(k)) Line($"{indent}{k}: {J(res[k])}");
    }

    private void Error(Dict res, string indent)
    {
        var msg = res.GetValueOrDefault("msg") is { } m ? PyStr.Str(m) : "";
        if (msg.Length == 0 && res.GetValueOrDefault("exception") is { } ex) msg = PyStr.Str(ex).Trim().Split('\n')[^1];
        var first = Norm(msg).Split('\n')[0].TrimEnd();
        if (first.Length == 0) first = "(empty msg)";
        var line = $"{indent}error: {first}";
        if (res.TryGetValue("rc", out var rc)) line += $" [rc={PyStr.Str(rc)}]";
        Line(line);
    }

    public void Included(TaskItem task, string name, string host, string file, object? itemLabel, bool hasItem)
    {
        // the corpus callback's v2_playbook_on_include: not sent for an included role
        if (task.ShortAction == "include_role") return;
        Banner(task);
        Line($"  {host}: included {Norm(file)}{(hasItem ? " item=" + J(itemLabel) : "")}");
    }

    public void NoHostsMatched() => Line("SKIPPING: no hosts matched");
    public void NoHostsRemaining() => Line("NO MORE HOSTS LEFT");
    public void Warning(string text) => Console.Error.WriteLine($"[WARNING]: {text}");
    public void Error(string text) => Console.Error.WriteLine(text);

    public void Stats(RunStats stats)
    {
        Line("RECAP");
        foreach (var (h, c) in stats.Hosts)
            Line($"  {h}: ok={c.Ok} changed={c.Changed} unreachable={c.Unreachable} failed={c.Failed} skipped={c.Skipped} rescued={c.Rescued} ignored={c.Ignored}");
        _out.Flush();
    }
}

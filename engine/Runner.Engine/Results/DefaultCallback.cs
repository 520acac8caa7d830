using Runner.Engine.Playbooks;
using Runner.Engine.Values;

namespace Runner.Engine.Results;

/// <summary>
/// The `default` stdout callback, shaped like ansible-playbook's (lib/ansible/plugins/callback/default.py):
/// PLAY [name] and TASK [role : name] banners padded with stars, ok/changed/skipping/fatal lines with the
/// failed result as JSON, item lines, --diff output, PLAY RECAP. Colour unless NO_COLOR is set or output
/// is redirected. no_log results are already censored by the executor.
/// </summary>
public sealed class DefaultCallback : IRunCallback
{
    private readonly TextWriter _out;
    private readonly bool _color;
    private readonly int _verbosity;
    private object? _pendingTask;
    private string? _pendingHeader;
    private object? _bannerTask;

    public DefaultCallback(TextWriter output, bool color, int verbosity)
    {
        _out = output;
        _color = color;
        _verbosity = verbosity;
    }

    private string C(string code, string text) => _color ? $"\u001b[{code}m{text}\u001b[0m" : text;
    private string Green(string t) => C("0;32", t);
    private string Yellow(string t) => C("0;33", t);
    private string Red(string t) => C("0;31", t);
    private string Cyan(string t) => C("0;36", t);
    private string Purple(string t) => C("0;35", t);

    private void Banner(string text)
    {
        // Display.banner: columns = max(79, tty width - 1), stars = columns - len(msg), at least 3
        var width = 79;
        try { if (!Console.IsOutputRedirected) width = Math.Max(79, Console.WindowWidth - 1); } catch (IOException) { }
        var stars = Math.Max(3, width - text.Length);
        _out.WriteLine();
        _out.WriteLine($"{text} {new string('*', stars)}");
    }

    public void PlayStart(Play play)
    {
        _bannerTask = null;
        Banner($"PLAY [{play.Name.Trim()}]");
    }

    public void TaskStart(TaskItem task, string name, bool isHandler)
    {
        _pendingTask = task;
        _pendingHeader = $"{(isHandler ? "RUNNING HANDLER" : "TASK")} [{name.Trim()}]";
        // ansible-playbook prints every banner at the task's start; an include_role reports no result to print it later
        if (task.ShortAction == "include_role") EnsureBanner(task);
    }

    /// <summary>The banner now, as default.py's _task_start does with display_skipped_hosts and display_ok_hosts on;
    /// again for each call (a meta task's banner shows once for each host it runs for).</summary>
    public void TaskBanner(TaskItem task, string name, bool isHandler)
    {
        TaskStart(task, name, isHandler);
        Banner(_pendingHeader!);
        _bannerTask = task;
    }

    /// <summary>After the task's banner (printed at task start by ansible-playbook), the text as it is.</summary>
    public void Display(TaskItem task, string text)
    {
        EnsureBanner(task);
        _out.WriteLine(text);
        _out.Flush();
    }

    private void EnsureBanner(TaskItem task)
    {
        if (ReferenceEquals(_bannerTask, task)) return;
        Banner(ReferenceEquals(task, _pendingTask) && _pendingHeader is not null ? _pendingHeader : $"TASK [{task.DisplayName()}]");
        _bannerTask = task;
    }

    private static string HostLabel(HostTaskResult r) => r.DelegateTo is { } d && d != r.Host ? $"{r.Host} -> {d}" : r.Host;

    /// <summary>The result as callbacks get it (TaskResult.clean_copy: no failed/skipped, the status is the event; no internal
    /// keys), then CallbackBase._dump_results: invocation and diff only from -vvv on, never the exception.</summary>
    private string Json(Dict r, bool pretty = false) =>
        PyStr.JsonDumps(new Dict(r.Where(kv => !kv.Key.StartsWith("_ansible") && kv.Key is not ("failed" or "skipped" or "exception")
            && (_verbosity >= 3 || kv.Key is not ("invocation" or "diff")))), sortKeys: true, indent: pretty ? 4 : null);

    /// <summary>
    /// CallbackBase._handle_exception below -vvv: a result with an exception gets the line "An exception occurred during
    /// task execution. To see the full traceback, use -vvv. The error was: LAST LINE OF THE TRACEBACK" before its own.
    /// </summary>
    private void ExceptionLine(Dict result)
    {
        if (result.GetValueOrDefault("exception") is not { } ex) return;
        var text = PyStr.Str(ex);
        _out.WriteLine(Red(_verbosity < 3
            ? "An exception occurred during task execution. To see the full traceback, use -vvv. The error was: " + text.Trim().Split('\n')[^1]
            : "The full traceback is:\n" + text));
    }

    /// <summary>_dump_results indents by 4 for results that are always verbose (debug) and at -vvv.</summary>
    private bool Pretty(HostTaskResult r) => ShowsAlways(r) || _verbosity > 2;

    /// <summary>A failure is indented when its result asks for it (assert without quiet) or at -vvv; a debug that failed
    /// (e.g. on an undefined variable) does not: debug.py sets _ansible_verbose_always only on success.</summary>
    private bool PrettyFailure(HostTaskResult r) => Data.Truthy(r.Result.GetValueOrDefault("_ansible_verbose_always")) || _verbosity > 2;

    private static bool ShowsAlways(HostTaskResult r) => r.Spec?.VerboseAlways == true || Data.Truthy(r.Result.GetValueOrDefault("_ansible_verbose_always"));

    public void Retry(HostTaskResult r)
    {
        EnsureBanner(r.Task);
        var left = Convert.ToInt64(r.Result.GetValueOrDefault("retries") ?? 0L) - Convert.ToInt64(r.Result.GetValueOrDefault("attempts") ?? 0L);
        var text = $"FAILED - RETRYING: [{HostLabel(r)}]: {r.TaskName} ({left} retries left).";
        if (_verbosity >= 2) text += "Result was: " + Json(r.Result, _verbosity > 2);
        _out.WriteLine(C("0;90", text));
    }

    /// <summary>default.py's v2_runner_on_async_poll/ok/failed lines (the job id from async_result when the job timed out).</summary>
    public void Async(AsyncEvent kind, HostTaskResult r)
    {
        EnsureBanner(r.Task);
        var jid = r.Result.GetValueOrDefault("ansible_job_id") ?? (r.Result.GetValueOrDefault("async_result") as Dict)?.GetValueOrDefault("ansible_job_id");
        _out.WriteLine(C("0;90", kind switch
        {
            AsyncEvent.Poll => $"ASYNC POLL on {r.Host}: jid={PyStr.Str(jid)} started={PyStr.Str(r.Result.GetValueOrDefault("started"))} finished={PyStr.Str(r.Result.GetValueOrDefault("finished"))}",
            AsyncEvent.Ok => $"ASYNC OK on {r.Host}: jid={PyStr.Str(jid)}",
            _ => $"ASYNC FAILED on {r.Host}: jid={PyStr.Str(jid)}",
        }));
    }

    public void HostResult(HostTaskResult r)
    {
        EnsureBanner(r.Task);
        if (r.Diff && r.Status == TaskStatus.Changed && !r.IsLoopAggregate && !r.NoLog) PrintDiff(r);
        var label = HostLabel(r);
        switch (r.Status)
        {
            // a loop's aggregate result prints no line of its own (its items did), except skipping and ...ignoring
            case TaskStatus.Failed:
                // v2_runner_on_failed cleans a debug result (only its msg stays) before it looks for the loop's "results"
                if (!r.IsLoopAggregate || r.Spec?.ShowsOnlyOutput == true && r.Result.ContainsKey("msg"))
                {
                    ExceptionLine(r.Result);
                    _out.WriteLine(Red($"fatal: [{label}]: FAILED! => {Json(Shown(r), PrettyFailure(r))}"));
                }
                if (r.Ignored) _out.WriteLine(Cyan("...ignoring"));
                break;
            case TaskStatus.Unreachable:
                _out.WriteLine(Red($"fatal: [{label}]: UNREACHABLE! => {Json(r.Result)}"));
                break;
            case TaskStatus.Skipped:
                _out.WriteLine(Cyan($"skipping: [{(r.IsLoopAggregate ? r.Host : label)}]"));
                break;
            default:
                if (r.IsLoopAggregate) break;
                var word = r.Status == TaskStatus.Changed ? "changed" : "ok";
                var text = $"{word}: [{label}]";
                if (ShowResult(r)) text += " => " + Json(Shown(r), Pretty(r));
                _out.WriteLine(r.Status == TaskStatus.Changed ? Yellow(text) : Green(text));
                break;
        }
        if (r.Result.GetValueOrDefault("warnings") is List<object?> ws)
            foreach (var w in ws) Console.Error.WriteLine(Purple(WarningText.Format(PyStr.Str(w))));
    }

    /// <summary>CallbackBase._run_is_verbose: an ok result is printed at -v, or always when the module's spec or the
    /// result (_ansible_verbose_always, e.g. assert without quiet) asks for it, unless it carries _ansible_verbose_override.</summary>
    private bool ShowResult(HostTaskResult r) =>
        (ShowsAlways(r) || _verbosity > 0) && !Data.Truthy(r.Result.GetValueOrDefault("_ansible_verbose_override"));

    private static Dict Shown(HostTaskResult r)
    {
        if (r.Spec?.ShowsOnlyOutput != true) return r.Result;
        // CallbackBase._clean_results (debug): a msg stands alone; a var result loses the status keys
        if (r.Result.ContainsKey("msg"))
            return new Dict(r.Result.Where(kv => kv.Key is "msg" or "exception" or "warnings" or "deprecations" || kv.Key.StartsWith('_')));
        return new Dict(r.Result.Where(kv => kv.Key is not ("changed" or "failed" or "skipped" or "invocation" or "skip_reason")));
    }

    private void PrintDiff(HostTaskResult r)
    {
        var lines = DiffText.Lines(r.Result.GetValueOrDefault("diff"));
        foreach (var line in lines)
            _out.WriteLine(line.StartsWith('+') ? Green(line) : line.StartsWith('-') ? Red(line) : line.StartsWith("@@") ? Cyan(line) : line);
        // v2_on_file_diff displays _get_diff's text, which ends in a newline: a blank line follows every diff
        if (lines.Count > 0) _out.WriteLine();
    }

    public void ItemResult(HostTaskResult r)
    {
        EnsureBanner(r.Task);
        if (r.Diff && r.Status == TaskStatus.Changed && !r.NoLog) PrintDiff(r);
        // "(item=%s)" % label in Ansible's default callback: Python's str() of the item
        var item = r.NoLog ? "(censored due to no_log)" : PyStr.Str(r.ItemLabel);
        var label = HostLabel(r);
        switch (r.Status)
        {
            case TaskStatus.Failed:
                ExceptionLine(r.Result);
                _out.WriteLine(Red($"failed: [{label}] (item={item}) => {Json(Shown(r), PrettyFailure(r))}"));
                break;
            case TaskStatus.Skipped:
                _out.WriteLine(Cyan($"skipping: [{label}] => (item={item}) "));
                break;
            default:
                var word = r.Status == TaskStatus.Changed ? "changed" : "ok";
                var text = $"{word}: [{label}] => (item={item})";
                if (ShowResult(r)) text += " => " + Json(Shown(r), Pretty(r));
                _out.WriteLine(r.Status == TaskStatus.Changed ? Yellow(text) : Green(text));
                break;
        }
    }

    /// <summary>v2_playbook_on_include: the linear strategy announces included task files; an included role it just runs.</summary>
    public void Included(TaskItem task, string name, string host, string file, object? itemLabel, bool hasItem)
    {
        if (task.ShortAction != "include_role") _out.WriteLine(Cyan($"included: {file} for {host}{(hasItem ? " => (item=" + PyStr.JsonDumps(itemLabel) + ")" : "")}"));
    }

    public void NoHostsMatched() => _out.WriteLine(Cyan("skipping: no hosts matched"));

    public void NoHostsRemaining()
    {
        Banner("NO MORE HOSTS LEFT");
    }

    public void Warning(string text) => Console.Error.WriteLine(Purple(WarningText.Format(text)));
    public void Error(string text) => Console.Error.WriteLine(Red(text));

    public void Stats(RunStats stats)
    {
        Banner("PLAY RECAP");
        foreach (var (h, c) in stats.Hosts)
        {
            var name = c.Failed > 0 || c.Unreachable > 0 ? Red(h) : c.Changed > 0 ? Yellow(h) : Green(h);
            // colorize(): "%s=%-4s", coloured only when not zero; hostcolor(): "%-26s" (uncoloured width)
            string Count(string lead, int n, Func<string, string> color) { var t = $"{lead}={n,-4}"; return n != 0 ? color(t) : t; }
            _out.WriteLine($"{name.PadRight(26 + (name.Length - h.Length))} : {Count("ok", c.Ok, Green)} {Count("changed", c.Changed, Yellow)} " +
                $"{Count("unreachable", c.Unreachable, Red)} {Count("failed", c.Failed, Red)} {Count("skipped", c.Skipped, Cyan)} " +
                $"{Count("rescued", c.Rescued, Green)} {Count("ignored", c.Ignored, Purple)}");
        }
        _out.WriteLine();
        _out.Flush();
    }
}

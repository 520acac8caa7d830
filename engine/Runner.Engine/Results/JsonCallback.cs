using System.Globalization;
using System.Text;
using Runner.Engine.Playbooks;
using Runner.Engine.Values;

namespace Runner.Engine.Results;

/// <summary>
/// The `json` stdout callback, shaped like ansible.posix.json (as observed with ansible-core 2.14):
/// nothing is printed while the run goes; at the end one JSON document is written,
/// <c>json.dumps(output, indent=4, sort_keys=True)</c> with Python's default ensure_ascii=True:
/// <code>
/// {"custom_stats": {}, "global_custom_stats": {},
///  "plays": [{"play": {"duration": {"start", "end"}, "id", "name", "path"},
///             "tasks": [{"hosts": {HOST: result + "action"}, "task": {"duration": {...}, "id", "name", "path"}}]}],
///  "stats": {HOST: {"changed", "failures", "ignored", "ok", "rescued", "skipped", "unreachable"}}}
/// </code>
/// A host's entry is its result dict (a loop's aggregate result, which holds the items under "results")
/// plus "action" (the action as written). Per-item events are not recorded. An include task records
/// {"action", "changed": false, "include", "include_args"}. Times are ISO 8601 UTC with microseconds
/// and a "Z" suffix (Python's <c>datetime.utcnow().isoformat() + "Z"</c>); a play's or task's "end" is
/// the time of its last host result (absent when it had none). Ids are unique per run
/// ("xxxxxxxx-xxxx-xxxx-xxxx-NNNNNNNNNNNN", like Ansible's uuids). Paths are "absolute/file:line".
/// </summary>
public sealed class JsonCallback : IRunCallback
{
    private readonly TextWriter _out;
    private readonly Func<DateTime> _clock;
    private readonly string _idPrefix;
    private long _nextId;
    private readonly List<object?> _plays = new();
    private Dict? _currentPlay;
    private readonly Dictionary<TaskItem, Dict> _taskEntries = new(ReferenceEqualityComparer.Instance);

    /// <summary>Writes the document to <paramref name="output"/> when <see cref="Stats"/> is called.</summary>
    public JsonCallback(TextWriter output) : this(output, () => DateTime.UtcNow) { }

    /// <summary>As <see cref="JsonCallback(TextWriter)"/>, with a clock returning UTC times (for tests).</summary>
    public JsonCallback(TextWriter output, Func<DateTime> utcClock)
    {
        _out = output;
        _clock = utcClock;
        var g = Guid.NewGuid().ToString("N");
        _idPrefix = $"{g[..8]}-{g[8..12]}-{g[12..16]}-{g[16..20]}";
    }

    /// <summary>Python's <c>datetime.isoformat()</c> of a UTC time plus "Z": microseconds only when non-zero.</summary>
    public static string IsoTime(DateTime utc)
    {
        var micro = (utc.Ticks % TimeSpan.TicksPerSecond) / 10;
        var s = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (micro != 0) s += "." + micro.ToString("D6", CultureInfo.InvariantCulture);
        return s + "Z";
    }

    private string NewId() => $"{_idPrefix}-{++_nextId:D12}";

    private static string? PathOf(Errors.SourceLocation? loc)
    {
        if (loc is null || string.IsNullOrEmpty(loc.File)) return null;
        string file;
        try { file = Path.GetFullPath(loc.File); } catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { file = loc.File; }
        return loc.Line > 0 ? $"{file}:{loc.Line}" : file;
    }

    public void PlayStart(Play play)
    {
        var info = new Dict
        {
            ["name"] = string.IsNullOrWhiteSpace(play.Name) ? play.Hosts : play.Name,
            ["id"] = NewId(),
        };
        if (PathOf(play.Location) is { } p) info["path"] = p;
        info["duration"] = new Dict { ["start"] = IsoTime(_clock()) };
        _currentPlay = new Dict { ["play"] = info, ["tasks"] = new List<object?>() };
        _plays.Add(_currentPlay);
    }

    public void TaskStart(TaskItem task, string name, bool isHandler) => StartTask(task, name);

    private Dict StartTask(TaskItem task, string name)
    {
        if (_currentPlay is null)
        {
            _currentPlay = new Dict { ["play"] = new Dict { ["name"] = "", ["id"] = NewId(), ["duration"] = new Dict { ["start"] = IsoTime(_clock()) } }, ["tasks"] = new List<object?>() };
            _plays.Add(_currentPlay);
        }
        var info = new Dict { ["name"] = name, ["id"] = NewId() };
        if (PathOf(task.Location) is { } p) info["path"] = p;
        info["duration"] = new Dict { ["start"] = IsoTime(_clock()) };
        var entry = new Dict { ["hosts"] = new Dict(), ["task"] = info };
        ((List<object?>)_currentPlay["tasks"]!).Add(entry);
        _taskEntries[task] = entry;
        return entry;
    }

    private Dict EntryFor(TaskItem task, string name) =>
        _taskEntries.TryGetValue(task, out var e) ? e : StartTask(task, name);

    private void Record(TaskItem task, string name, string host, Dict hostResult)
    {
        var entry = EntryFor(task, name);
        ((Dict)entry["hosts"]!)[host] = hostResult;
        var end = IsoTime(_clock());
        ((Dict)((Dict)entry["task"]!)["duration"]!)["end"] = end;
        if (_currentPlay is not null) ((Dict)((Dict)_currentPlay["play"]!)["duration"]!)["end"] = end;
    }

    public void HostResult(HostTaskResult r)
    {
        var copy = new Dict(r.Result) { ["action"] = r.Task.Action };
        Record(r.Task, r.TaskName, r.Host, copy);
    }

    public void Included(TaskItem task, string name, string host, string file, object? itemLabel, bool hasItem)
    {
        var one = new Dict { ["changed"] = false, ["include"] = IncludeName(task, file), ["include_args"] = new Dict() };
        if (!hasItem)
        {
            one["action"] = task.Action;
            Record(task, name, host, one);
            return;
        }
        var entry = EntryFor(task, name);
        var hosts = (Dict)entry["hosts"]!;
        if (hosts.GetValueOrDefault(host) is not Dict agg || agg.GetValueOrDefault("results") is not List<object?> results)
        {
            results = new List<object?>();
            agg = new Dict { ["action"] = task.Action, ["changed"] = false, ["msg"] = "All items completed", ["results"] = results };
        }
        one["item"] = itemLabel;
        one["ansible_loop_var"] = "item";
        results.Add(one);
        Record(task, name, host, agg);
    }

    /// <summary>The include's file as written in the task when it is a literal, else the resolved path.</summary>
    private static string IncludeName(TaskItem task, string file)
    {
        var raw = task.Args.GetValueOrDefault("_raw_params") ?? task.Args.GetValueOrDefault("file");
        return raw is string s && !s.Contains("{{") && !s.Contains("{%") ? s : file;
    }

    /// <summary>Warnings go to stderr (as Ansible's display does), keeping stdout one JSON document.</summary>
    public void Warning(string text) => Console.Error.WriteLine($"[WARNING]: {text}");

    /// <summary>Errors go to stderr.</summary>
    public void Error(string text) => Console.Error.WriteLine(text);

    public void Stats(RunStats stats)
    {
        var summary = new Dict();
        foreach (var (host, c) in stats.Hosts)
            summary[host] = new Dict
            {
                ["ok"] = (long)c.Ok, ["failures"] = (long)c.Failed, ["unreachable"] = (long)c.Unreachable,
                ["changed"] = (long)c.Changed, ["skipped"] = (long)c.Skipped, ["rescued"] = (long)c.Rescued,
                ["ignored"] = (long)c.Ignored,
            };
        var output = new Dict
        {
            ["plays"] = _plays,
            ["stats"] = summary,
            ["custom_stats"] = new Dict(),
            ["global_custom_stats"] = new Dict(),
        };
        _out.WriteLine(AsciiOnly(PyStr.JsonDumps(output, sortKeys: true, indent: 4)));
        _out.Flush();
    }

    /// <summary>Python's ensure_ascii: every non-ASCII UTF-16 unit becomes \uXXXX (they only occur inside strings).</summary>
    public static string AsciiOnly(string json)
    {
        var sb = new StringBuilder(json.Length);
        foreach (var ch in json)
        {
            if (ch < 0x80) sb.Append(ch);
            else sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}

using System.Globalization;
using System.Numerics;
using System.Text;
using Runner.Engine.Playbooks;
using Runner.Engine.Values;

namespace Runner.Engine.Results;

/// <summary>
/// The `junit` aggregate callback, following ansible-core 2.14's ansible.builtin.junit
/// (https://docs.ansible.com/ansible/latest/collections/ansible/builtin/junit_callback.html) as observed:
/// one XML file per playbook, <c>OUTPUT_DIR/PLAYBOOK-UNIXTIME.xml</c>, written when the run ends
/// (or when the next playbook starts), in minidom's pretty form (tab indent):
/// <code>
/// &lt;testsuites disabled errors failures tests time&gt;
///   &lt;testsuite disabled errors failures name="PLAYBOOK" skipped tests time&gt;
///     &lt;testcase classname="TASK_FILE:LINE" name="[HOST] PLAY: TASK k=v, k2=v2" time="SECONDS"&gt;
///       &lt;skipped&gt;REASON&lt;/skipped&gt; | &lt;failure message="MSG" type="failure"&gt;JSON&lt;/failure&gt;
///       | &lt;error message type="error"&gt;EXCEPTION&lt;/error&gt; | &lt;system-out&gt;JSON&lt;/system-out&gt;
/// </code>
/// One test case per task and host: ok, changed and ignored failures pass (system-out holds the result JSON
/// without internal keys, invocation, diff, exception and the top-level "failed"), failures have a
/// &lt;failure&gt; (an &lt;error&gt; when the result has "exception"), skips a &lt;skipped&gt;. Tasks named
/// "EXPECTED FAILURE" pass when they fail; "TOGGLE RESULT" swaps pass and fail. Includes add an
/// "[include]" case listing "FILE (args={} vars={}): [hosts]". Unreachable hosts are not reported (as in Ansible).
/// Case times are seconds from the task's start to the host's result; suite time is the exact decimal of their sum.
/// </summary>
public sealed class JunitCallback : IRunCallback
{
    /// <summary>The JUNIT_* environment options of the Ansible callback (all off/empty by default).</summary>
    public sealed class Settings
    {
        /// <summary>JUNIT_FAIL_ON_CHANGE: a changed task counts as a failure.</summary>
        public bool FailOnChange { get; init; }
        /// <summary>JUNIT_FAIL_ON_IGNORE: an ignored failure still counts as a failure.</summary>
        public bool FailOnIgnore { get; init; }
        /// <summary>JUNIT_HIDE_TASK_ARGUMENTS: test case names omit "k=v" arguments.</summary>
        public bool HideTaskArguments { get; init; }
        /// <summary>JUNIT_TASK_CLASS: classname is the task file without ":LINE" and ".yml".</summary>
        public bool TaskClass { get; init; }
        /// <summary>JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT (default true): report fact gathering tasks.</summary>
        public bool IncludeSetupTasks { get; init; } = true;
        /// <summary>JUNIT_TEST_CASE_PREFIX: only tasks whose name starts with it (and failures) are reported.</summary>
        public string TestCasePrefix { get; init; } = "";
        /// <summary>JUNIT_TASK_RELATIVE_PATH: classnames relative to this folder.</summary>
        public string TaskRelativePath { get; init; } = "";
        /// <summary>JUNIT_REPLACE_OUT_OF_TREE_PATH: replaces the "../..." part of relative classnames.</summary>
        public string? ReplaceOutOfTreePath { get; init; }

        /// <summary>Reads the JUNIT_* variables ("true", case-insensitive, turns a flag on, as Ansible's lower() == 'true').</summary>
        public static Settings FromEnvironment()
        {
            static bool Flag(string name, bool def) =>
                Environment.GetEnvironmentVariable(name) is { } v ? v.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) : def;
            return new Settings
            {
                FailOnChange = Flag("JUNIT_FAIL_ON_CHANGE", false),
                FailOnIgnore = Flag("JUNIT_FAIL_ON_IGNORE", false),
                HideTaskArguments = Flag("JUNIT_HIDE_TASK_ARGUMENTS", false),
                TaskClass = Flag("JUNIT_TASK_CLASS", false),
                IncludeSetupTasks = Flag("JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT", true),
                TestCasePrefix = Environment.GetEnvironmentVariable("JUNIT_TEST_CASE_PREFIX") ?? "",
                TaskRelativePath = Environment.GetEnvironmentVariable("JUNIT_TASK_RELATIVE_PATH") ?? "",
                ReplaceOutOfTreePath = Environment.GetEnvironmentVariable("JUNIT_REPLACE_OUT_OF_TREE_PATH"),
            };
        }
    }

    private sealed class HostData
    {
        public required string Name;
        public required string Status; // ok, failed, skipped, included
        public Dict? Result;
        public string? IncludedText;
        public required double Finish;
    }

    private sealed class TaskData
    {
        public required string Name;
        public required string Path;
        public required string Play;
        public required double Start;
        public required TaskItem Task;
        /// <summary>From the module's spec, as the first result tells it.</summary>
        public bool GathersFacts, VerboseAlways;
        public readonly List<KeyValuePair<string, HostData>> Hosts = new();

        public void Put(string key, HostData h)
        {
            var i = Hosts.FindIndex(kv => kv.Key == key);
            if (i >= 0) Hosts[i] = new(key, h); else Hosts.Add(new(key, h));
        }
    }

    private readonly string _outputDir;
    private readonly Settings _settings;
    private readonly Func<double> _clock;
    private readonly List<TaskData> _tasks = new();
    private readonly Dictionary<TaskItem, TaskData> _byTask = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TaskItem, List<(string File, string Vars, List<string> Hosts)>> _includes = new(ReferenceEqualityComparer.Instance);
    private string _playbookName = "playbook";
    private string _playName = "";

    /// <summary>Reports go to <paramref name="outputDir"/> (created when missing); options from JUNIT_* variables.</summary>
    public JunitCallback(string outputDir) : this(outputDir, Settings.FromEnvironment(), null) { }

    /// <summary>As <see cref="JunitCallback(string)"/> with explicit settings and a clock in Unix seconds (for tests).</summary>
    public JunitCallback(string outputDir, Settings settings, Func<double>? unixClock)
    {
        _outputDir = outputDir;
        _settings = settings;
        _clock = unixClock ?? (() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds);
    }

    /// <summary>JUNIT_OUTPUT_DIR, else "~/.ansible.log" (the Ansible default).</summary>
    public static string DefaultOutputDir() =>
        Environment.GetEnvironmentVariable("JUNIT_OUTPUT_DIR") is { Length: > 0 } d
            ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ansible.log");

    /// <summary>The files written so far, in order.</summary>
    public List<string> WrittenReports { get; } = new();

    public void PlaybookStart(string path)
    {
        if (_tasks.Count > 0) WriteReport();
        _playbookName = Path.GetFileNameWithoutExtension(path);
    }

    public void PlayStart(Play play) => _playName = string.IsNullOrWhiteSpace(play.Name) ? play.Hosts : play.Name;

    public void TaskStart(TaskItem task, string name, bool isHandler) => Start(task, name);

    private TaskData Start(TaskItem task, string name)
    {
        if (_byTask.TryGetValue(task, out var existing)) return existing;
        var display = name.Trim();
        var noLog = task.Inherited("no_log") is true or "yes" or "true" or "True";
        if (!noLog && !_settings.HideTaskArguments && task.Args.Count > 0)
            display += " " + string.Join(", ", task.Args.Select(kv => $"{kv.Key}={PyStr.Str(kv.Value)}"));
        var data = new TaskData
        {
            Name = display,
            Path = task.Location is { } l ? $"{FullPath(l.File)}:{l.Line}" : "",
            Play = _playName,
            Start = _clock(),
            Task = task,
        };
        _byTask[task] = data;
        _tasks.Add(data);
        return data;
    }

    private static string FullPath(string file)
    {
        try { return Path.GetFullPath(file); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return file; }
    }

    public void HostResult(HostTaskResult r)
    {
        var status = r.Status switch
        {
            TaskStatus.Ok or TaskStatus.Changed => "ok",
            TaskStatus.Skipped => "skipped",
            TaskStatus.Failed => r.Ignored && !_settings.FailOnIgnore ? "ok" : "failed",
            _ => null,
        };
        if (status is null) return; // Ansible's junit callback has no unreachable handler
        if (_settings.FailOnChange && status == "ok" && Data.Truthy(r.Result.GetValueOrDefault("changed"))) status = "failed";
        var data = Start(r.Task, r.TaskName);
        data.GathersFacts |= r.Spec?.GathersFacts == true;
        data.VerboseAlways |= r.Spec?.VerboseAlways == true;
        Finish(data, r.Host, status, r.Result, null);
    }

    private void Finish(TaskData task, string host, string status, Dict? result, string? includedText)
    {
        if (status == "failed" && task.Name.Contains("EXPECTED FAILURE")) status = "ok";
        else if (task.Name.Contains("TOGGLE RESULT")) status = status == "failed" ? "ok" : status == "ok" ? "failed" : status;
        if (!task.Name.StartsWith(_settings.TestCasePrefix, StringComparison.Ordinal) && status != "failed") return;
        task.Put(host, new HostData { Name = host, Status = status, Result = result, IncludedText = includedText, Finish = _clock() });
    }

    public void Included(TaskItem task, string name, string host, string file, object? itemLabel, bool hasItem)
    {
        var data = Start(task, name);
        // the host's own result for the include task
        var existing = data.Hosts.FirstOrDefault(kv => kv.Key == host).Value?.Result;
        Dict result;
        var one = new Dict { ["changed"] = false, ["include"] = file, ["include_args"] = new Dict() };
        if (hasItem)
        {
            one["ansible_loop_var"] = "item";
            one["item"] = itemLabel;
            var results = existing?.GetValueOrDefault("results") as List<object?> ?? new List<object?>();
            results.Add(one);
            result = new Dict { ["changed"] = false, ["msg"] = "All items completed", ["results"] = results };
        }
        else result = one;
        Finish(data, host, "ok", result, null);

        // the "[include]" case: one line per included file (and item vars) listing its hosts
        if (!_includes.TryGetValue(task, out var groups)) _includes[task] = groups = new();
        var vars = hasItem ? PyStr.Repr(new Dict { ["ansible_loop_var"] = "item", ["item"] = itemLabel }) : "{}";
        var g = groups.FindIndex(x => x.File == file && x.Vars == vars);
        if (g < 0) groups.Add((file, vars, new List<string> { host }));
        else groups[g].Hosts.Add(host);
        var text = string.Join("\n", groups.Select(x => $"{x.File} (args={{}} vars={x.Vars}): [{string.Join(", ", x.Hosts)}]"));
        Finish(data, "include", "included", null, text);
    }

    public void Stats(RunStats stats) => WriteReport();

    private void WriteReport()
    {
        var xml = BuildXml();
        var stamp = PyStr.Float(_clock());
        var file = Path.Combine(_outputDir, $"{_playbookName}-{stamp}.xml");
        try
        {
            Directory.CreateDirectory(_outputDir);
            File.WriteAllText(file, xml, new UTF8Encoding(false));
            WrittenReports.Add(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"[WARNING]: Failure using method (v2_playbook_on_stats) in callback plugin (junit): {e.Message}");
        }
        _tasks.Clear();
        _byTask.Clear();
        _includes.Clear();
    }

    /// <summary>The report for the tasks recorded so far (minidom toprettyxml form, ending with a newline).</summary>
    public string BuildXml()
    {
        var cases = new List<Case>();
        foreach (var t in _tasks)
        {
            if (!_settings.IncludeSetupTasks && t.GathersFacts) continue;
            foreach (var (_, h) in t.Hosts) cases.Add(BuildCase(t, h));
        }
        double sum = 0;
        foreach (var c in cases) if (c.Time != 0) sum += c.Time;
        var suiteTime = cases.Count == 0 ? "0" : ExactDecimal(sum, null);
        var suitesTime = cases.Count == 0 ? "0" : ExactDecimal(sum, 28);
        var failures = cases.Count(c => c.Failure is not null);
        var errors = cases.Count(c => c.Error is not null);
        var skipped = cases.Count(c => c.Skipped is not null);

        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" ?>\n");
        sb.Append($"<testsuites disabled=\"0\" errors=\"{errors}\" failures=\"{failures}\" tests=\"{cases.Count}\" time=\"{suitesTime}\">\n");
        var suiteAttrs = $"disabled=\"0\" errors=\"{errors}\" failures=\"{failures}\" name=\"{Esc(_playbookName)}\" skipped=\"{skipped}\" tests=\"{cases.Count}\" time=\"{suiteTime}\"";
        if (cases.Count == 0) sb.Append($"\t<testsuite {suiteAttrs}/>\n");
        else
        {
            sb.Append($"\t<testsuite {suiteAttrs}>\n");
            foreach (var c in cases) WriteCase(sb, c);
            sb.Append("\t</testsuite>\n");
        }
        sb.Append("</testsuites>\n");
        return sb.ToString();
    }

    private sealed class Case
    {
        public required string Name, ClassName;
        public double Time;
        public string? Skipped, SystemOut;
        public (string Message, string Output)? Failure, Error;
    }

    private Case BuildCase(TaskData t, HostData h)
    {
        var name = $"[{h.Name}] {t.Play}: {t.Name}";
        var cls = t.Path;
        if (_settings.TaskRelativePath.Length > 0 && cls.Length > 0) cls = Path.GetRelativePath(_settings.TaskRelativePath, cls);
        if (_settings.ReplaceOutOfTreePath is { } rep && cls.StartsWith("../", StringComparison.Ordinal)) cls = rep + Path.GetFileName(cls);
        if (_settings.TaskClass) cls = System.Text.RegularExpressions.Regex.Replace(cls, @"\.yml:[0-9]+$", "");
        var c = new Case { Name = name, ClassName = cls, Time = h.Finish - t.Start };
        if (h.Status == "included") { c.SystemOut = h.IncludedText; return c; }
        var res = h.Result ?? new Dict();
        var dump = Dump(res, t);
        switch (h.Status)
        {
            case "ok": c.SystemOut = dump; break;
            case "failed":
                if (res.GetValueOrDefault("exception") is { } ex)
                {
                    var text = PyStr.Str(ex);
                    c.Error = (text.Trim().Split('\n')[^1], text);
                }
                else if (res.TryGetValue("msg", out var msg)) c.Failure = (PyStr.Str(msg), dump);
                else c.Failure = ($"rc={PyStr.Str(res.GetValueOrDefault("rc", 0L))}", dump);
                break;
            case "skipped":
                c.Skipped = res.GetValueOrDefault("skip_reason") is { } sr ? PyStr.Str(sr) : "skipped";
                break;
        }
        return c;
    }

    /// <summary>CallbackBase._dump_results(indent=0) as observed: internal keys, invocation, diff, exception and
    /// the top-level "failed" removed; keys sorted; 4-space indent for debug results (verbose_always).</summary>
    private static string Dump(Dict res, TaskData task)
    {
        var verbose = Data.Truthy(res.GetValueOrDefault("_ansible_verbose_always")) || task.VerboseAlways;
        var clean = (Dict)StripInternal(res)!;
        foreach (var k in new[] { "invocation", "diff", "exception", "failed" }) clean.Remove(k);
        return PyStr.JsonDumps(clean, sortKeys: true, indent: verbose ? 4 : 0);
    }

    private static object? StripInternal(object? v) => v switch
    {
        Dict d => new Dict(d.Where(kv => !kv.Key.StartsWith("_ansible_", StringComparison.Ordinal))
            .Select(kv => new KeyValuePair<string, object?>(kv.Key, StripInternal(kv.Value)))),
        List<object?> l => l.Select(StripInternal).ToList(),
        _ => v,
    };

    private static void WriteCase(StringBuilder sb, Case c)
    {
        var attrs = $"classname=\"{Esc(c.ClassName)}\" name=\"{Esc(c.Name)}\" time=\"{PyStr.Float(c.Time)}\"";
        var children = new List<string>();
        if (!string.IsNullOrEmpty(c.Skipped)) children.Add(Element("skipped", "", c.Skipped));
        if (c.Error is { } e) children.Add(Element("error", $" message=\"{Esc(e.Message)}\" type=\"error\"", e.Output));
        if (c.Failure is { } f) children.Add(Element("failure", $" message=\"{Esc(f.Message)}\" type=\"failure\"", f.Output));
        if (!string.IsNullOrEmpty(c.SystemOut)) children.Add(Element("system-out", "", c.SystemOut));
        if (children.Count == 0) { sb.Append($"\t\t<testcase {attrs}/>\n"); return; }
        sb.Append($"\t\t<testcase {attrs}>\n");
        foreach (var ch in children) sb.Append("\t\t\t").Append(ch).Append('\n');
        sb.Append("\t\t</testcase>\n");
    }

    private static string Element(string tag, string attrs, string? text) =>
        string.IsNullOrEmpty(text) ? $"<{tag}{attrs}/>" : $"<{tag}{attrs}>{Esc(text)}</{tag}>";

    /// <summary>minidom's escaping of text and attribute values (&amp; &lt; &gt; &quot;); characters XML 1.0 forbids become U+FFFD.</summary>
    private static string Esc(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                default:
                    sb.Append(ch < 0x20 && ch is not ('\n' or '\r' or '\t') || ch is '\uFFFE' or '\uFFFF' ? '\uFFFD' : ch);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Python's <c>str(decimal.Decimal(d))</c>: the exact decimal value of a double ("0.5", "2", "0.1000000000000000055511151231257827021181583404541015625"),
    /// optionally rounded half-even to <paramref name="precision"/> significant digits as a Decimal addition does.
    /// </summary>
    public static string ExactDecimal(double d, int? precision)
    {
        if (d == 0) return "0";
        if (double.IsNaN(d) || double.IsInfinity(d)) return PyStr.Float(d);
        var neg = d < 0;
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(d));
        var exp = (int)((bits >> 52) & 0x7FF);
        var mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) exp = 1; else mant |= 1L << 52;
        exp -= 1075;
        while (mant % 2 == 0 && exp < 0) { mant /= 2; exp++; }
        BigInteger digits;
        var scale = 0; // value = digits / 10^scale
        if (exp >= 0) digits = new BigInteger(mant) << exp;
        else { digits = new BigInteger(mant) * BigInteger.Pow(5, -exp); scale = -exp; }
        var text = digits.ToString(CultureInfo.InvariantCulture);
        if (precision is { } p && text.Length > p)
        {
            var drop = text.Length - p;
            var div = BigInteger.Pow(10, drop);
            var q = BigInteger.DivRem(digits, div, out var rem);
            var twice = rem * 2;
            if (twice > div || twice == div && !q.IsEven) q += 1;
            digits = q;
            scale -= drop;
            text = digits.ToString(CultureInfo.InvariantCulture);
            if (scale < 0) { text += new string('0', -scale); scale = 0; }
        }
        if (scale > 0)
        {
            if (text.Length <= scale) text = new string('0', scale - text.Length + 1) + text;
            text = text[..^scale] + "." + text[^scale..];
        }
        return (neg ? "-" : "") + text;
    }
}

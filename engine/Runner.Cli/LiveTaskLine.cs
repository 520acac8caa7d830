using Runner.Engine.Execution;

namespace Runner.Cli;

/// <summary>
/// The terminal's live progress line (issue 11 item 5): once a task has run for <see cref="Delay"/>, one line under
/// its banner shows the elapsed time and the hosts still running it, redrawn in place ("\r", text, "\x1b[K" erase to
/// end of line, ECMA-48) every tick and erased before anything else is written. Only for a terminal:
/// <see cref="ForConsole"/> gives none when stdout is redirected or TERM is dumb, so logs and transcripts never
/// hold it. Thread-safe: hosts finish on any thread; the timer draws on its own.
/// </summary>
public sealed class LiveTaskLine : ITaskProgress, IDisposable
{
    /// <summary>How long a task runs before its line appears.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    private const string Erase = "\r\x1b[K";
    private readonly object _lock = new();
    private readonly TextWriter _out;
    private readonly Func<TimeSpan> _now;
    private readonly Func<int> _width;
    private readonly Timer? _timer;
    private readonly List<string> _running = new();
    private string? _task;
    private TimeSpan _started;
    private bool _shown, _suspended;

    /// <summary>A line written to <paramref name="output"/>, timed by <paramref name="now"/> (a monotonic clock),
    /// at most <paramref name="width"/>() - 1 characters; <paramref name="tick"/> null draws only on <see cref="Tick"/>.</summary>
    public LiveTaskLine(TextWriter output, Func<TimeSpan> now, Func<int> width, TimeSpan? tick)
    {
        (_out, _now, _width) = (output, now, width);
        if (tick is { } t) _timer = new Timer(_ => Tick(), null, t, t);
    }

    /// <summary>The line for the console's stdout, or <see cref="NoTaskProgress"/> where a person is not watching
    /// (stdout redirected, TERM=dumb).</summary>
    public static ITaskProgress ForConsole()
    {
        if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("TERM") is "dumb")
            return NoTaskProgress.Instance;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return new LiveTaskLine(Console.Out, () => clock.Elapsed, ConsoleWidth, TimeSpan.FromMilliseconds(500));
    }

    private static int ConsoleWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 80; }
        catch (IOException) { return 80; }
    }

    /// <inheritdoc/>
    public void TaskRunning(string task, IReadOnlyList<string> hosts)
    {
        lock (_lock)
        {
            Clear();
            (_task, _started, _suspended) = (task, _now(), false);
            _running.Clear();
            _running.AddRange(hosts);
        }
    }

    /// <inheritdoc/>
    public void HostDone(string host)
    {
        lock (_lock) _running.Remove(host);
    }

    /// <inheritdoc/>
    public void Suspend()
    {
        lock (_lock)
        {
            Clear();
            _suspended = true;
        }
    }

    /// <inheritdoc/>
    public void TaskDone()
    {
        lock (_lock)
        {
            Clear();
            _task = null;
        }
    }

    /// <summary>Draws the line when a task has run for <see cref="Delay"/> and nothing suspended it.</summary>
    public void Tick()
    {
        lock (_lock)
        {
            if (_task is null || _suspended || _running.Count == 0) return;
            var elapsed = _now() - _started;
            if (elapsed < Delay) return;
            _out.Write(Erase + Text(elapsed));
            _out.Flush();
            _shown = true;
        }
    }

    /// <summary>"[12s] task name: host1, host2 (+3 more)", cut to the terminal's width.</summary>
    private string Text(TimeSpan elapsed)
    {
        var max = Math.Max(20, _width() - 1);
        var time = elapsed.TotalMinutes >= 1 ? $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:D2}s" : $"{(int)elapsed.TotalSeconds}s";
        var head = $"[{time}] {_task}: ";
        var hosts = "";
        for (var i = 0; i < _running.Count; i++)
        {
            var more = _running.Count - i - 1;
            var next = (i == 0 ? "" : ", ") + _running[i];
            var tail = more > 0 ? $" (+{more} more)" : "";
            if (head.Length + hosts.Length + next.Length + tail.Length > max && i > 0)
            {
                hosts += $" (+{_running.Count - i} more)";
                break;
            }
            hosts += next;
        }
        var line = head + hosts;
        return line.Length > max ? line[..(max - 3)] + "..." : line;
    }

    private void Clear()
    {
        if (!_shown) return;
        _out.Write(Erase);
        _out.Flush();
        _shown = false;
    }

    /// <summary>Stops the timer and erases the line.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            Clear();
            _task = null;
        }
    }
}

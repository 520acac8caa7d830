using System.Diagnostics;

namespace Runner.Engine.Connections;

/// <summary>
/// Timing trace of remote operations for profiling: when the environment variable RUNNER_SSH_TRACE is set,
/// each operation writes one line to stderr: milliseconds since process start, the operation's duration in
/// milliseconds, the host, the kind (exec, put, get, connect) and the first 100 characters of its subject.
/// Off (one static bool check) otherwise.
/// </summary>
public static class SshTrace
{
    /// <summary>True when RUNNER_SSH_TRACE is set.</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("RUNNER_SSH_TRACE") is { Length: > 0 };

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>A timestamp to pass to <see cref="Done"/> (0 when tracing is off).</summary>
    public static long Start() => Enabled ? Clock.ElapsedTicks : 0;

    /// <summary>Writes the trace line of an operation begun at <paramref name="start"/>; a no_log task's command is
    /// not shown and no_log values are replaced by "********".</summary>
    public static void Done(long start, string host, string kind, string subject, ExecOptions? options = null)
    {
        if (!Enabled) return;
        if (options?.NoLog == true) subject = "(command hidden: no_log)";
        foreach (var secret in options?.Secrets ?? Array.Empty<string>())
            if (secret.Length > 0) subject = subject.Replace(secret, "********");
        var now = Clock.ElapsedTicks;
        var ms = (now - start) * 1000.0 / Stopwatch.Frequency;
        var at = now * 1000.0 / Stopwatch.Frequency;
        var s = subject.Replace('\n', ' ');
        if (s.Length > 100) s = s[..100];
        Console.Error.WriteLine($"[ssh {at,8:F1} ms] {ms,7:F1} ms {host} {kind} {s}");
    }
}

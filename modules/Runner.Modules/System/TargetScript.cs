using Polly;
using Polly.Retry;
using Runner.Engine.Connections;
using Runner.Engine.Modules;

namespace Runner.Modules.Sys;

/// <summary>
/// Helpers the system modules share for running sh on the target: batched probes whose output is split
/// into sections, quoting of word lists, and a Polly retry for transient failures (HTTP 5xx; planning modules use RunStep.Retry).
/// </summary>
internal static class TargetScript
{
    /// <summary>The line a probe prints between its sections.</summary>
    public const string Separator = "--runner-section--";

    /// <summary>The sh command that prints <see cref="Separator"/> on its own line.</summary>
    public static string Sep => $"echo {Separator}";

    /// <summary>Splits a probe's stdout into its sections (text between separator lines, without the trailing newline).</summary>
    public static string[] Sections(string stdout)
    {
        var sections = new List<string>();
        var cur = new List<string>();
        foreach (var line in stdout.Split('\n'))
        {
            if (line == Separator) { sections.Add(string.Join("\n", cur).TrimEnd('\n')); cur.Clear(); }
            else cur.Add(line);
        }
        sections.Add(string.Join("\n", cur).TrimEnd('\n'));
        return sections.ToArray();
    }

    /// <summary>
    /// Runs <paramref name="script"/>, retrying (exponential back-off from <paramref name="firstDelay"/>) while
    /// <paramref name="transient"/> says the result is a transient failure, at most <paramref name="retries"/> times.
    /// </summary>
    public static async Task<CommandResult> RunWithRetryAsync(ModuleContext ctx, string script, Func<CommandResult, bool> transient,
        int retries, TimeSpan firstDelay, CancellationToken ct, byte[]? stdin = null)
    {
        var pipeline = new ResiliencePipelineBuilder<CommandResult>()
            .AddRetry(new RetryStrategyOptions<CommandResult>
            {
                ShouldHandle = new PredicateBuilder<CommandResult>().HandleResult(transient),
                MaxRetryAttempts = Math.Max(1, retries),
                Delay = firstDelay,
                BackoffType = DelayBackoffType.Exponential,
            })
            .Build();
        return await pipeline.ExecuteAsync(async token => await ctx.ShAsync(script, token, stdin), ct);
    }

    /// <summary>The last <paramref name="n"/> non-empty lines of a text, joined with newlines.</summary>
    public static string Tail(string text, int n) =>
        string.Join("\n", text.Split('\n').Where(l => l.Trim().Length > 0).TakeLast(n));
}

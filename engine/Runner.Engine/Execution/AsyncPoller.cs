using Runner.Engine.Modules;
using Runner.Engine.Results;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>
/// The engine's wait for an async task with <c>poll</c> &gt; 0, as TaskExecutor._poll_async_result (ansible-core 2.14):
/// every <c>poll</c> seconds it reads the job's status (async_status) until the job has finished, a status fails or
/// <c>async</c> seconds are used up; each status that is not the last is an "async poll" event. Then the job file is
/// removed (async_status mode=cleanup) and the job's result is the task's; a job still running fails the task with
/// "async task did not complete within the requested time - Ns" and the last status under async_result. The caller
/// announces the outcome (async ok/failed).
/// </summary>
public static class AsyncPoller
{
    /// <summary>Waits for the job whose launch result is <paramref name="started"/>; returns the task's result.
    /// <paramref name="report"/> gets each poll, then the ok or failed event.</summary>
    public static async Task<Dict> PollAsync(ModuleContext ctx, Dict started, long limit, long poll, Action<AsyncEvent, Dict> report, CancellationToken ct)
    {
        if (started.GetValueOrDefault("ansible_job_id") is not string jid)
            return new Dict { ["failed"] = true, ["msg"] = "No job id was returned by the async task" };
        Dict status = new();
        for (var left = limit; left > 0; left -= poll)
        {
            await Task.Delay(TimeSpan.FromSeconds(poll), ct);
            status = await ctx.Jobs.StatusAsync(ctx, jid, "status", ct);
            if (Convert.ToInt64(status.GetValueOrDefault("finished") ?? 0L) == 1 || status.ContainsKey("failed") || status.ContainsKey("skipped")) break;
            report(AsyncEvent.Poll, status);
        }
        Dict result;
        if (Convert.ToInt64(status.GetValueOrDefault("finished") ?? 0L) != 1)
        {
            result = new Dict { ["failed"] = true, ["msg"] = $"async task did not complete within the requested time - {limit}s", ["async_result"] = status };
        }
        else
        {
            await ctx.Jobs.StatusAsync(ctx, jid, "cleanup", ct);
            result = status;
        }
        report(Data.Truthy(result.GetValueOrDefault("failed")) ? AsyncEvent.Failed : AsyncEvent.Ok, result);
        return result;
    }
}

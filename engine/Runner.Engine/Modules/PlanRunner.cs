using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// Applies a <see cref="PlanningModule"/>'s plan, the one place that knows check mode and diff: steps run in order
/// unless in check mode (then what they create is recorded in <see cref="PlannedState"/>); `changed` is true when any
/// plan of the chain has a step that counts as a change (or says <see cref="Plan.Changed"/>); diffs are attached only in diff mode (one dict,
/// or a list when a chain has several); warnings are collected. A failed step ends the chain: the task fails with its
/// message, rc, stdout and stderr (or the step's <see cref="RunStep.OnFailure"/> plan; a write that fails: with the
/// connection's message), and `changed` says whether an earlier step that counts as a change ran. A step with
/// <see cref="RunStep.Retry"/> is run again while its result is transient. A plan that says
/// <see cref="Plan.SkipInCheckMode"/> is reported skipped in check mode. A <see cref="ConnectionStep"/> (reboot,
/// wait_for_connection) drives the connection itself and reports its own fields or failure. Any step that ran clears
/// the host's fact cache. What the chain's plans own (<see cref="Plan.Resources"/>) is disposed when it ends.
/// </summary>
public static class PlanRunner
{
    /// <summary>Plans and applies <paramref name="module"/> for the task in <paramref name="ctx"/>; returns its result.</summary>
    public static async Task<Dict> ApplyAsync(PlanningModule module, ModuleContext ctx, CancellationToken ct) =>
        await ApplyAsync(await PlanAsync(module, ctx, ct), ctx, RunAsync, ct);

    /// <summary>The module's plan for the task in <paramref name="ctx"/>, read through the host's fact cache; nothing runs.</summary>
    public static Task<Plan> PlanAsync(PlanningModule module, ModuleContext ctx, CancellationToken ct)
    {
        var facts = ctx.Facts.For(ctx.Exec.BecomeUser, ctx.Exec.Environment, ctx.FactSource ?? new ConnectionFactSource((s, t) => ctx.ShAsync(s, t)));
        return module.PlanAsync(new PlanContext(ctx, facts), ct);
    }

    /// <summary>
    /// The result of <paramref name="plan"/> whose commands already ran elsewhere (an async job, <see cref="AsyncJobs"/>):
    /// each <see cref="RunStep"/> of the chain takes the next of <paramref name="ran"/> (its result and start/end times)
    /// and is judged as if it had run here (exit codes, OnFailure, KeepOutput, Then). A step without a recorded outcome,
    /// or a step that is not a command, fails the task with <paramref name="missing"/>.
    /// </summary>
    public static Task<Dict> ReplayAsync(Plan plan, ModuleContext ctx, IReadOnlyList<StepOutcome> ran, string missing, CancellationToken ct)
    {
        var next = 0;
        return ApplyAsync(plan, ctx, (step, _, _) =>
        {
            if (step is not RunStep run || next >= ran.Count)
                return Task.FromResult<(StepOutcome, Plan?)>((new StepOutcome(step, true), Plan.Fail(missing)));
            var o = ran[next++];
            return Task.FromResult(Judge(run, o.Result!, o.Start ?? DateTime.Now, o.End ?? DateTime.Now));
        }, ct);
    }

    private static async Task<Dict> ApplyAsync(Plan plan, ModuleContext ctx,
        Func<Step, ModuleContext, CancellationToken, Task<(StepOutcome Outcome, Plan? Failure)>> runStep, CancellationToken ct)
    {
        var owned = new List<IAsyncDisposable>();
        try { return await ApplyChainAsync(plan, ctx, runStep, owned, ct); }
        finally
        {
            // the chain's resources (an API client and its port forward), the last acquired first
            for (var i = owned.Count - 1; i >= 0; i--) await owned[i].DisposeAsync();
        }
    }

    /// <summary>Disposes what <paramref name="plan"/> owns (<see cref="Plan.Resources"/>) when the engine will not apply it
    /// (an async launch that refuses the plan).</summary>
    public static async ValueTask ReleaseAsync(Plan plan)
    {
        for (var i = plan.Resources.Count - 1; i >= 0; i--) await plan.Resources[i].DisposeAsync();
    }

    private static async Task<Dict> ApplyChainAsync(Plan plan, ModuleContext ctx,
        Func<Step, ModuleContext, CancellationToken, Task<(StepOutcome Outcome, Plan? Failure)>> runStep, List<IAsyncDisposable> owned, CancellationToken ct)
    {
        var result = new Dict();
        var diffs = new List<Dict>();
        var warnings = new List<object?>();
        var changed = false;
        var changes = 0; // steps run that count as a change
        var skipped = false;
        var diffList = false;
        Dict? checkResult = null;
        while (true)
        {
            owned.AddRange(plan.Resources);
            foreach (var (k, v) in plan.Result) result[k] = v;
            warnings.AddRange(plan.Warnings);
            if (plan.Diff is not null) diffs.Add(plan.Diff);
            diffList |= plan.DiffAsList;
            if (plan.Failure is not null) return Finish(Failed(result, plan.Failure, plan.FailureChanged ?? changes > 0));
            changed |= plan.Steps.Any(s => s.CountsAsChange) || plan.Changed;
            checkResult ??= ctx.CheckMode ? plan.CheckModeResult : null;
            skipped |= ctx.CheckMode && plan.SkipInCheckMode;
            var outcomes = new List<StepOutcome>();
            foreach (var step in plan.Steps)
            {
                if (ctx.CheckMode)
                {
                    Record(ctx.Planned, step.Creates);
                    outcomes.Add(new StepOutcome(step, false));
                    continue;
                }
                var (outcome, failure) = await runStep(step, ctx, ct);
                ctx.Facts.Clear();
                outcomes.Add(outcome);
                if (outcome.Data is not null) foreach (var (k, v) in outcome.Data) result[k] = v;
                // a failed first step changed nothing; a failure after steps that ran leaves the host changed
                if (failure is not null)
                {
                    warnings.AddRange(failure.Warnings);
                    if (failure.Diff is not null) diffs.Add(failure.Diff);
                    return Finish(Failed(result, failure.Failure!, failure.FailureChanged ?? changes > 0));
                }
                if (step.CountsAsChange) changes++;
                if (step is RunStep { KeepOutput: true } && outcome.Result is { } r)
                {
                    if (r.Stdout.Length > 0) result["stdout"] = r.Stdout;
                    if (r.Stderr.Length > 0) result["stderr"] = r.Stderr;
                }
            }
            if (plan.Then is null) break;
            plan = await plan.Then(outcomes, ct);
        }
        if (checkResult is not null) result = checkResult;
        result["changed"] = changed && !skipped;
        if (skipped) result["skipped"] = true;
        return Finish(result);

        Dict Finish(Dict r)
        {
            if (ctx.DiffMode && diffs.Count > 0) r["diff"] = diffs.Count == 1 && !diffList ? diffs[0] : diffs.Cast<object?>().ToList();
            if (warnings.Count > 0) r["warnings"] = warnings;
            return r;
        }
    }

    private static Dict Failed(Dict result, string msg, bool changed)
    {
        result["failed"] = true;
        result["msg"] = msg;
        result["changed"] = changed;
        return result;
    }

    private static void Record(PlannedState planned, Planned? creates)
    {
        switch (creates)
        {
            case Planned.File f: planned.AddPath(f.Path); break;
            case Planned.Group g: planned.AddGroup(g.Name); break;
        }
    }

    /// <summary>Puts the content in a temp file beside the destination, runs the check on it and removes it again.</summary>
    private static async Task<(StepOutcome Outcome, Plan? Failure)> ValidateAsync(ValidateStep v, ModuleContext ctx, CancellationToken ct)
    {
        if (!v.Command.Contains("%s")) return (new StepOutcome(v, true), Plan.Fail($"validate must contain %s: {v.Command}"));
        var slash = v.Dest.LastIndexOf('/');
        var tmp = (slash < 0 ? "" : v.Dest[..(slash + 1)]) + $".{v.Dest[(slash + 1)..]}.runner-validate-{Guid.NewGuid():N}";
        try { await ctx.Connection.PutFileAsync(v.Content, tmp, ctx.Exec, ct); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (new StepOutcome(v, true), Plan.Fail(e.Message)); }
        var q = ShellQuote.Quote(tmp);
        var r = await ctx.ShAsync($"{v.Command.Replace("%s", q)}; __rc=$?; rm -f -- {q}; exit $__rc", ct);
        var outcome = new StepOutcome(v, true, r);
        if (r.ExitCode == 0) return (outcome, null);
        return (outcome with { Data = new Dict { ["exit_status"] = (long)r.ExitCode, ["stdout"] = r.Stdout, ["stderr"] = r.Stderr } }, Plan.Fail("failed to validate"));
    }

    /// <summary>Whether the command of <paramref name="run"/> failed with result <paramref name="r"/>, and how (the failed plan).</summary>
    private static (StepOutcome Outcome, Plan? Failure) Judge(RunStep run, CommandResult r, DateTime start, DateTime end)
    {
        var outcome = new StepOutcome(run, true, r) { Start = start, End = end };
        if (!Fails(run, r.ExitCode)) return (outcome, null);
        if (run.OnFailure is { } shape)
        {
            var failed = shape(r);
            return (outcome with { Data = failed.Result }, failed.Failure is null ? Plan.Fail(r.Stderr.Trim(), failed.Result) : failed);
        }
        var msg = run.FailMessage is { } m
            ? m.Replace("{stderr}", r.Stderr.Trim()).Replace("{stdout}", r.Stdout.Trim()).Replace("{rc}", r.ExitCode.ToString())
            : r.Stderr.Trim();
        return (outcome with { Data = new Dict { ["rc"] = (long)r.ExitCode, ["stdout"] = r.Stdout, ["stderr"] = r.Stderr } }, Plan.Fail(msg));
    }

    /// <summary>Whether exit code <paramref name="rc"/> fails <paramref name="run"/> (not 0, not AnyExitCode, not one of OkExitCodes).</summary>
    public static bool Fails(RunStep run, int rc) => rc != 0 && !run.AnyExitCode && !run.OkExitCodes.Contains(rc);

    private static async Task<(StepOutcome Outcome, Plan? Failure)> RunAsync(Step step, ModuleContext ctx, CancellationToken ct)
    {
        switch (step)
        {
            case RunStep run:
                var start = DateTime.Now;
                var r = await ctx.ShAsync(run.Script, ct, run.Stdin);
                for (var attempt = 0; run.Retry is { } retry && attempt < retry.Attempts && retry.When(r); attempt++)
                {
                    await Task.Delay(retry.Delay(attempt), ct);
                    r = await ctx.ShAsync(run.Script, ct, run.Stdin);
                }
                return Judge(run, r, start, DateTime.Now);
            case PutFileStep put:
                // the write's failure (missing folder, full disk, permission) is the task's, in the connection's one line
                try { await ctx.Connection.PutFileAsync(put.Content, put.Path, ctx.Exec, ct); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (new StepOutcome(step, true), Plan.Fail(e.Message)); }
                return (new StepOutcome(step, true), null);
            case ValidateStep v:
                return await ValidateAsync(v, ctx, ct);
            case ConnectionStep drive:
                Plan done;
                try { done = await drive.Run(new ActionConnection(ctx), ct); }
                catch (Errors.RunnerException e) { return (new StepOutcome(step, true), Plan.Fail(e.Message)); }
                return (new StepOutcome(step, true, Data: done.Result), done.Failure is null ? null : done);
            case CallStep call:
                try { return (new StepOutcome(step, true, Data: await call.Call(ct)), null); }
                catch (Errors.RunnerException e) { return (new StepOutcome(step, true), Plan.Fail(e.Message)); }
            default:
                throw new InvalidOperationException($"unknown step {step.GetType().Name}");
        }
    }
}

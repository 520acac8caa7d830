using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Runner.Engine.Connections;
using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// The async jobs of a run (the task keywords <c>async:</c>/<c>poll:</c> and ansible.builtin.async_status), without
/// Python on the target: a planning module whose plan is only commands (<see cref="RunStep"/>) has them run detached on
/// the target (<see cref="AsyncScripts"/>); the plan is kept here by host and JID, so that the status read that first
/// finds the commands ended judges their outcomes as <see cref="PlanRunner"/> would have (<see cref="PlanRunner.ReplayAsync"/>),
/// and writes the module's result into the job file as Ansible keeps it. A job this run did not start (an earlier run's)
/// gets a command's result from its last command (rc, stdout, stderr; failed and "non-zero return
/// code" when rc is not 0).
/// Results follow ansible-core 2.14: the launch's (async_wrapper's answer plus changed: true), and async_status's
/// (plugins/action/async_status.py merged with modules/async_status.py).
/// </summary>
public sealed class AsyncJobs
{
    /// <summary>The message of a task whose module Ansible runs async but Runner cannot: its plan is not only commands.</summary>
    public const string NotCommandsMessage = "async is not supported by Runner for this module: only a module whose plan is commands on the target (command, shell, ...) runs detached";

    private readonly ConcurrentDictionary<(string Host, string Jid), (Plan Plan, ModuleContext Ctx, Dict? Invocation)> _jobs = new();

    /// <summary>
    /// Plans <paramref name="module"/> for the task in <paramref name="ctx"/> and starts its commands as a job limited to
    /// <paramref name="limit"/> seconds. Returns async_wrapper's answer: failed 0, started 1, finished 0, ansible_job_id,
    /// results_file, changed true; a failed result with <see cref="NotCommandsMessage"/> when the plan has a step that is
    /// not a command (nothing runs), or with the target's message when the job folder cannot be made.
    /// <paramref name="invocation"/> (or null) is the module's, which the job's result carries.
    /// </summary>
    public async Task<Dict> StartAsync(PlanningModule module, ModuleContext ctx, long limit, Dict? invocation, CancellationToken ct)
    {
        var plan = await PlanRunner.PlanAsync(module, ctx, ct);
        if (plan.Steps.Any(s => s is not RunStep))
        {
            await PlanRunner.ReleaseAsync(plan);
            return new Dict { ["failed"] = true, ["changed"] = false, ["msg"] = NotCommandsMessage };
        }
        // a plan that fails runs nothing: the job ends at once and its result is the failure
        var steps = plan.Failure is null ? plan.Steps.Cast<RunStep>().ToList() : new List<RunStep>();
        var r = await ctx.ShAsync(AsyncScripts.Launch(DirOf(ctx), steps, limit), ct);
        var words = r.Stdout.Trim().Split(' ', 2);
        if (r.ExitCode != 0 || words.Length != 2)
        {
            await PlanRunner.ReleaseAsync(plan);
            return new Dict { ["failed"] = 1L, ["msg"] = (r.Stderr + r.Stdout).Trim() };
        }
        _jobs[(ctx.Connection.Host, words[0])] = (plan, ctx, invocation);
        return new Dict
        {
            ["failed"] = 0L, ["started"] = 1L, ["finished"] = 0L, ["ansible_job_id"] = words[0], ["results_file"] = words[1], ["changed"] = true,
        };
    }

    /// <summary>
    /// ansible.builtin.async_status for job <paramref name="jid"/> on <paramref name="ctx"/>'s target. mode "status":
    /// started 1 and finished 0 while it runs, the job's result with finished 1 when it has ended (stdout_lines and
    /// stderr_lines from its stdout and stderr); mode "cleanup": removes the job file (erased: its path). A job file that
    /// does not exist fails with "could not find job" (started 1, finished 1). The result's invocation is the job's
    /// module's when the job has ended, else async_status's own (jid, mode and the expanded _async_dir).
    /// </summary>
    public async Task<Dict> StatusAsync(ModuleContext ctx, string jid, string mode, CancellationToken ct)
    {
        var cleanup = mode == "cleanup";
        var r = await ctx.ShAsync(cleanup ? AsyncScripts.Cleanup(DirOf(ctx), jid) : AsyncScripts.Status(DirOf(ctx), jid), ct);
        if (r.ExitCode != 0) return new Dict { ["failed"] = true, ["msg"] = (r.Stderr + r.Stdout).Trim() };
        var lines = r.Stdout.Split('\n', 3);
        var path = lines[0] + "/" + jid;
        var own = new Dict { ["module_args"] = new Dict { ["_async_dir"] = lines[0], ["jid"] = jid, ["mode"] = mode } };
        var result = new Dict
        {
            ["started"] = cleanup ? 0L : 1L, ["finished"] = 0L, ["stdout"] = "", ["stderr"] = "",
            ["stdout_lines"] = new List<object?>(), ["stderr_lines"] = new List<object?>(), ["ansible_job_id"] = jid,
        };
        result[cleanup ? "erased" : "results_file"] = path;
        if (lines.Length < 2 || lines[1] != "present")
        {
            foreach (var (k, v) in new Dict { ["failed"] = true, ["msg"] = "could not find job", ["ansible_job_id"] = jid, ["started"] = 1L, ["finished"] = 1L })
                result[k] = v;
            result["invocation"] = own;
            return result;
        }
        if (cleanup)
        {
            _jobs.TryRemove((ctx.Connection.Host, jid), out _);
            result["changed"] = false;
            result["invocation"] = own;
            return result;
        }
        var data = Parse(lines.Length > 2 ? lines[2] : "");
        if (data is null) { result["invocation"] = own; return result; } // not written yet: running
        if (data.GetValueOrDefault("runner_steps") is List<object?> raw)
        {
            data = await FinishAsync(ctx, jid, raw, ct);
            await ctx.Connection.PutFileAsync(Encoding.UTF8.GetBytes(PyStr.JsonDumps(data)), path, ctx.Exec, ct);
        }
        if (!data.ContainsKey("started")) { data["finished"] = 1L; data["ansible_job_id"] = jid; }
        else if (!data.ContainsKey("finished")) data["finished"] = 0L;
        foreach (var (k, v) in data) result[k] = v;
        if (!result.ContainsKey("invocation")) result["invocation"] = own;
        foreach (var stream in new[] { "stdout", "stderr" })
            if (data.GetValueOrDefault(stream) is string text && !data.ContainsKey(stream + "_lines"))
                result[stream + "_lines"] = PyLines.Values(text);
        return result;
    }

    /// <summary>The job folder: the variable ansible_async_dir (templated) or ~/.ansible_async.</summary>
    public static string DirOf(ModuleContext ctx)
    {
        if (!ctx.Variables.TryGetRaw("ansible_async_dir", out var raw) || raw is null) return AsyncScripts.DefaultDir;
        try { return PyStr.Str(ctx.Templar.Template(raw, ctx.Variables)); }
        catch (Templating.TemplateError) { return PyStr.Str(raw); }
    }

    private static Dict? Parse(string text)
    {
        try { return Data.FromJson(JsonDocument.Parse(text).RootElement) as Dict; }
        catch (JsonException) { return null; }
    }

    /// <summary>The module's result from the raw record of its commands' outcomes.</summary>
    private async Task<Dict> FinishAsync(ModuleContext ctx, string jid, List<object?> raw, CancellationToken ct)
    {
        var ran = raw.OfType<Dict>().Select(Outcome).ToList();
        if (_jobs.TryGetValue((ctx.Connection.Host, jid), out var job))
        {
            var done = await PlanRunner.ReplayAsync(job.Plan, job.Ctx, ran, NotCommandsMessage, ct);
            if (job.Invocation is not null) done["invocation"] = job.Invocation;
            return done;
        }
        if (ran.Count == 0) return new Dict { ["changed"] = false };
        var last = ran[^1];
        var rc = last.Result!.ExitCode;
        return new Dict
        {
            ["changed"] = true, ["rc"] = (long)rc, ["stdout"] = last.Result.Stdout.TrimEnd('\n'), ["stderr"] = last.Result.Stderr.TrimEnd('\n'),
            ["failed"] = rc != 0, ["msg"] = rc != 0 ? "non-zero return code" : "",
        };
    }

    private static StepOutcome Outcome(Dict d)
    {
        string Text(string key) => Encoding.UTF8.GetString(Convert.FromBase64String(PyStr.Str(d.GetValueOrDefault(key) ?? "")));
        DateTime Time(string key) => DateTime.UnixEpoch.AddTicks(Convert.ToInt64(d.GetValueOrDefault(key) ?? 0L) / 100).ToLocalTime();
        var result = new CommandResult((int)Convert.ToInt64(d.GetValueOrDefault("rc") ?? 0L), Text("stdout"), Text("stderr"));
        return new StepOutcome(new RunStep(""), true, result) { Start = Time("start"), End = Time("end") };
    }

}

using Runner.Engine.Errors;
using Runner.Engine.Inventory;
using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>
/// ansible.builtin.meta (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/meta_module.html) as
/// ansible-core 2.14's StrategyBase._execute_meta and the linear strategy run it:
/// <list type="bullet">
/// <item>noop, reset_connection, end_host, role_complete and flush_handlers run for each active host; the others
/// (refresh_inventory, clear_facts, clear_host_errors, end_batch, end_play) once, for the first active host, and act
/// on every host of the batch.</item>
/// <item>The task banner shows once for each host it runs for (ansible-playbook sends v2_playbook_on_task_start each
/// time); nothing else is printed unless `when` is false, which reports the host skipped.</item>
/// <item>`when` is evaluated for flush_handlers, clear_facts, clear_host_errors, end_batch, end_play and end_host;
/// noop, refresh_inventory and reset_connection ignore it with the warning "ACTION task does not support when
/// conditional" (once per run); role_complete ignores it silently. A `when` that cannot be evaluated, an unknown
/// action and flush_handlers as a handler stop the run with Ansible's error.</item>
/// <item>Meta results never count in PLAY RECAP.</item>
/// <item>end_host: the host leaves the play (and ansible_play_hosts); end_batch: every host of the batch ends, the
/// next batch runs; end_play: the play ends for all hosts, no further batch runs; none of them runs pending
/// handlers. clear_host_errors: hosts failed or unreachable in this batch and hosts failed in earlier plays take part
/// in the next plays again, and their failures no longer set the exit code (the host stays out of the current play,
/// as its iterator state stays complete in Ansible). clear_facts: the gathered facts (and the jsonfile cache entry)
/// of the batch's hosts are forgotten, set_fact values stay. refresh_inventory: the inventory sources are read
/// again. reset_connection: the host's connection is closed, the next task connects again (a local connection warns
/// "Reset is not implemented for this connection"). role_complete: nothing (2.14 acts only on the implicit one).</item>
/// </list>
/// </summary>
public sealed partial class PlaybookExecutor
{
    private static readonly HashSet<string> MetaActions = new(StringComparer.Ordinal)
    {
        "noop", "flush_handlers", "refresh_inventory", "clear_facts", "clear_host_errors", "end_batch", "end_play",
        "end_host", "role_complete", "reset_connection",
    };

    /// <summary>The actions the linear strategy runs for every host; the others run once (run_once).</summary>
    private static readonly HashSet<string> PerHostMeta = new(StringComparer.Ordinal)
    {
        "noop", "reset_connection", "end_host", "role_complete", "flush_handlers",
    };

    /// <summary>The actions that warn about a `when` and run regardless.</summary>
    private static readonly HashSet<string> MetaWithoutWhen = new(StringComparer.Ordinal) { "noop", "refresh_inventory", "reset_connection" };

    /// <summary>Warnings already shown (Ansible's Display shows each text once per run).</summary>
    private readonly HashSet<string> _shownWarnings = new(StringComparer.Ordinal);

    /// <summary>Per host, the failed and unreachable counts that clear_host_errors forgave: they no longer set the exit code.</summary>
    private readonly Dictionary<string, (int Failed, int Unreachable)> _forgiven = new(StringComparer.Ordinal);

    private void WarnOnce(string text)
    {
        if (_shownWarnings.Add(text)) _run.Callback.Warning(text);
    }

    private async Task RunMetaAsync(TaskItem task, List<string> hosts, PlayState state, bool isHandler, CancellationToken ct)
    {
        var action = PyStr.Str(task.Args.GetValueOrDefault("_raw_params")).Trim();
        var targets = PerHostMeta.Contains(action) ? hosts : hosts.Take(1).ToList();
        var flush = new List<string>();
        foreach (var host in targets)
        {
            _run.Callback.TaskBanner(task, task.DisplayName(), isHandler);
            if (!MetaActions.Contains(action))
                throw new RunnerException($"invalid meta action requested: {action}", task.Location, exitCode: ExitCodes.Error);
            if (MetaWithoutWhen.Contains(action) && task.EffectiveWhen().Count > 0) WarnOnce($"{action} task does not support when conditional");
            string? skipped = null; // the end of skip_reason when `when` is false
            var msg = action;
            switch (action)
            {
                case "flush_handlers":
                    if (!WhenHolds(task, state, host)) { skipped = $", not running handlers for {host}"; break; }
                    if (isHandler) throw new RunnerException("flush_handlers cannot be used as a handler", task.Location, exitCode: ExitCodes.Error);
                    if (!state.Host(host).Unreachable) flush.Add(host);
                    break;
                case "refresh_inventory":
                    RefreshInventory();
                    break;
                case "clear_facts":
                    if (!WhenHolds(task, state, host)) { skipped = $", not clearing facts and fact cache for {host}"; break; }
                    foreach (var h in state.Context.Batch) ClearFacts(h);
                    break;
                case "clear_host_errors":
                    if (!WhenHolds(task, state, host)) { skipped = $", not clearing host error state for {host}"; break; }
                    ClearHostErrors(state);
                    break;
                case "end_batch":
                    if (!WhenHolds(task, state, host)) { skipped = ", continuing current batch"; break; }
                    foreach (var h in state.Context.Batch) state.Host(h).Ended = true;
                    break;
                case "end_play":
                    if (!WhenHolds(task, state, host)) { skipped = ", continuing play"; break; }
                    foreach (var h in state.Context.Batch) state.Host(h).Ended = true;
                    state.EndPlay = true;
                    break;
                case "end_host":
                    if (!WhenHolds(task, state, host))
                    {
                        skipped = $", continuing execution for {host}";
                        msg = $"end_host conditional evaluated to false, continuing execution for {host}";
                        break;
                    }
                    state.Host(host).Ended = true;
                    state.Host(host).Removed = true;
                    break;
                case "reset_connection":
                    var connection = await _run.ConnectionFor(host, state.Context, ct);
                    if (!await connection.ResetAsync()) WarnOnce("Reset is not implemented for this connection");
                    break;
            }
            if (skipped is null) continue;
            var result = new Dict { ["msg"] = msg, ["skipped"] = true, ["skip_reason"] = $"{action} conditional evaluated to False{skipped}" };
            _run.Callback.HostResult(new HostTaskResult
            {
                Task = task, TaskName = task.DisplayName(), Host = host, Result = result, Status = TaskStatus.Skipped,
            });
        }
        if (flush.Count > 0) await FlushHandlersAsync(state, flush, ct);
    }

    /// <summary>The task's `when` on <paramref name="host"/>; a condition that cannot be evaluated stops the run, as in
    /// Ansible (the strategy raises it).</summary>
    private bool WhenHolds(TaskItem task, PlayState state, string host)
    {
        var scope = _run.Vars.ForTask(state.Context, host, task);
        try { return task.EffectiveWhen().All(c => _run.Templar.EvaluateConditional(c, scope)); }
        catch (TemplateError e) { throw new RunnerException(e.Message, task.Location, exitCode: ExitCodes.Error); }
    }

    private void ClearFacts(string host)
    {
        var vars = _run.Vars.State(host);
        vars.Facts.Clear();
        vars.BareFacts.Clear();
        _factCache?.Remove(host);
    }

    /// <summary>
    /// Ansible pops every host of the batch from the failed and unreachable lists: hosts failed in earlier plays take
    /// part in the next plays again, those failed or unreachable in this batch too (they stay out of this play), and
    /// none of these failures sets the exit code any more. Hosts unreachable in earlier plays or batches stay
    /// unreachable (the playbook executor restores them at the next play).
    /// </summary>
    private void ClearHostErrors(PlayState state)
    {
        foreach (var h in state.Selected)
        {
            if (!_failedHosts.Remove(h) && !state.Context.Batch.Contains(h)) continue;
            var hs = state.Host(h);
            var stillUnreachable = _unreachableHosts.Contains(h);
            if (hs.Failed || hs.Unreachable) { hs.Ended = true; hs.Removed = true; }
            hs.Failed = false;
            if (!stillUnreachable) hs.Unreachable = false;
            var counts = _stats.Hosts.TryGetValue(h, out var c) ? c : new RunStats.HostCounts();
            var before = _forgiven.GetValueOrDefault(h);
            _forgiven[h] = (counts.Failed, stillUnreachable ? before.Unreachable : counts.Unreachable);
        }
    }

    private void RefreshInventory()
    {
        var fresh = InventoryLoader.Load(_run.Options.Inventories);
        _run.Inventory = fresh;
        _run.Vars.Refresh(fresh);
    }

    /// <summary>Whether a host's failures (or unreachability) not forgiven by clear_host_errors remain.</summary>
    private bool HasErrors(string host, RunStats.HostCounts c, bool unreachable)
    {
        var forgiven = _forgiven.GetValueOrDefault(host);
        return unreachable ? c.Unreachable > forgiven.Unreachable : c.Failed > forgiven.Failed;
    }
}

using System.Text.RegularExpressions;
using Runner.Engine.Errors;
using Runner.Engine.Inventory;
using Runner.Engine.Modules;
using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Variables;

namespace Runner.Engine.Execution;

/// <summary>
/// Runs plays with Ansible's linear strategy (docs: "Controlling playbook execution: strategies and more"):
/// every task runs on all active hosts (up to `forks` at once) before the next one starts; a failed or
/// unreachable host leaves the play while the others go on; blocks rescue and always; handlers run at the
/// end of pre_tasks, tasks (with roles) and post_tasks and at meta: flush_handlers; serial batches;
/// any_errors_fatal; run_once; dynamic includes run for the hosts that included them.
/// Returns ansible-playbook's exit code: 0, 2 (failed hosts), 4 (unreachable hosts), or both bits.
/// </summary>
public sealed partial class PlaybookExecutor
{
    private readonly RunContext _run;
    private readonly PlaybookLoader _loader;
    private readonly TaskRunner _runner;
    private readonly TagFilter _tags;
    private readonly RunStats _stats = new();
    private readonly HashSet<string> _failedHosts = new();
    private readonly HashSet<string> _unreachableHosts = new();
    private bool _abort;
    private bool _stopPlaybook;
    private TaskItem? _startTask;
    private bool _startPending;

    public PlaybookExecutor(RunContext run, PlaybookLoader loader)
    {
        _run = run;
        _loader = loader;
        _runner = new TaskRunner(run);
        _tags = new TagFilter(run.Options.Tags, run.Options.SkipTags);
        _startPending = run.Options.StartAtTask is not null;
        if (run.Options.FactCacheDir is { } dir) _factCache = new FactCache(dir, TimeSpan.FromSeconds(run.Options.FactCacheTimeout));
    }

    private readonly FactCache? _factCache;

    /// <summary>The counters shown in PLAY RECAP.</summary>
    public RunStats Stats => _stats;

    /// <summary>Runs the plays in order and reports the stats; returns the exit code. When <paramref name="ct"/> is
    /// cancelled (the user interrupted the run) no further task starts, the commands still running on the targets are
    /// stopped, the recap so far and "User interrupted execution" are printed and the result is 99 (ansible-playbook's
    /// code for an interrupt).</summary>
    public async Task<int> RunAsync(IReadOnlyList<Play> plays, CancellationToken ct = default)
    {
        List<Host>? limitHosts = null;
        if (_run.Options.Limit is { } limit)
        {
            var warnings = new List<string>();
            limitHosts = HostPattern.SelectLimit(_run.Inventory, limit, warnings);
            foreach (var w in warnings) _run.Callback.Warning(w);
            if (limitHosts.Count == 0)
                throw new RunnerException(HostPattern.NoHostsError, exitCode: ExitCodes.Error);
        }
        try
        {
            foreach (var play in plays)
            {
                await RunPlayAsync(play, limitHosts, ct);
                if (_abort || _stopPlaybook) break;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // SIGINT/SIGTERM: no new task starts; what the running ones left on the targets is stopped.
            using var stopWithin = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _run.Connections.StopCommandsAsync(stopWithin.Token);
            _run.Callback.Stats(_stats);
            _run.Callback.Error(" [ERROR]: User interrupted execution");
            return ExitCodes.Interrupted;
        }
        _run.Callback.Stats(_stats);
        if (_startPending)
            _run.Callback.Error($" [ERROR]: No matching task \"{_run.Options.StartAtTask}\" found. Note: --start-at-task can only follow static includes.");
        var rc = 0;
        if (_stats.Hosts.Any(kv => HasErrors(kv.Key, kv.Value, unreachable: false))) rc |= ExitCodes.HostFailed;
        if (_stats.Hosts.Any(kv => HasErrors(kv.Key, kv.Value, unreachable: true))) rc |= ExitCodes.Unreachable;
        return rc;
    }

    private List<Host> SelectHosts(string pattern)
    {
        var warnings = new List<string>();
        var hosts = HostPattern.Select(_run.Inventory, pattern, warnings);
        foreach (var w in warnings) _run.Callback.Warning(w);
        return hosts;
    }

    private async Task RunPlayAsync(Play play, List<Host>? limitHosts, CancellationToken ct)
    {
        _run.CurrentPlay = play;
        string pattern;
        try { pattern = _run.Templar.RenderString(play.Hosts, new DictionaryScope(_run.Vars.ExtraVars, new[] { play.PlaybookDir })); }
        catch (TemplateError) { pattern = play.Hosts; }
        var selected = SelectHosts(pattern);
        if (limitHosts is not null) selected = selected.Where(h => limitHosts.Any(l => l.Name == h.Name)).ToList();
        var hosts = selected.Select(h => h.Name).Where(h => !_failedHosts.Contains(h) && !_unreachableHosts.Contains(h)).ToList();

        var state = new PlayState
        {
            Play = play,
            Context = null!,
        };
        var pc = new PlayContext
        {
            Play = play,
            PlayHostsAll = selected.Select(h => h.Name).ToList(), // hosts failed in earlier plays included, as Ansible's
            ActiveHosts = () => hosts.Where(h => state.Hosts.TryGetValue(h, out var s) ? !s.Failed && !s.Unreachable && !s.Removed : true).ToList(),
        };
        state = new PlayState { Play = play, Context = pc, Selected = pc.PlayHostsAll };

        if (hosts.Count == 0)
        {
            _run.Callback.PlayStart(play);
            _run.Callback.NoHostsMatched();
            return;
        }

        var startMatchInPlay = true;
        if (_startPending)
        {
            _startTask = FindStartTask(play);
            startMatchInPlay = _startTask is not null;
        }

        foreach (var batch in Batches.Split(hosts, play.Serial))
        {
            pc.Batch = batch;
            _run.Callback.PlayStart(play);
            if (!startMatchInPlay) continue;
            await RunBatchAsync(play, batch, state, ct);
            if (_abort)
            {
                _run.Callback.NoHostsRemaining();
                return;
            }
            var batchFailed = batch.All(h => state.Host(h).Failed || state.Host(h).Unreachable);
            foreach (var h in batch)
            {
                if (state.Host(h).Failed) _failedHosts.Add(h);
                if (state.Host(h).Unreachable) _unreachableHosts.Add(h);
            }
            if (batchFailed) { _stopPlaybook = true; return; }
            if (state.EndPlay) return; // meta: end_play ends the remaining batches too

        }
    }

    private TaskItem? FindStartTask(Play play)
    {
        var glob = _run.Options.StartAtTask!;
        var re = new Regex("^" + Regex.Escape(glob).Replace("\\*", ".*").Replace("\\?", ".") + "$");
        foreach (var t in TaskTree.Flatten(play.PreTasks.Concat(play.Tasks).Concat(play.PostTasks)))
        {
            if (t.Name is { } n && (n == glob || re.IsMatch(n))) return t;
            if (t.DisplayName() == glob || re.IsMatch(t.DisplayName())) return t;
        }
        return null;
    }


    private async Task RunBatchAsync(Play play, List<string> batch, PlayState state, CancellationToken ct)
    {
        // with a fact cache, cached facts are known before (and without) gathering, as in Ansible
        var cachedHosts = new HashSet<string>();
        if (_factCache is not null)
            foreach (var h in batch)
            {
                var st = _run.Vars.State(h);
                if (st.Facts.Count > 0) { cachedHosts.Add(h); continue; }
                if (_factCache.Load(h) is not { } cached) continue;
                foreach (var (k, v) in cached) st.Facts[k] = v;
                cachedHosts.Add(h);
            }
        if (ShouldGatherFacts(play))
        {
            var toGather = _run.Options.Gathering == "smart" ? batch.Where(h => !cachedHosts.Contains(h)).ToList() : batch;
            // "Unless play is specifically tagged, gathering should 'always' run" (ansible PlayIterator)
            var facts = new TaskItem { Name = "Gathering Facts", Action = _run.Modules.FactGatherer.Name, Tags = play.Tags.Count == 0 ? new List<string> { "always" } : new List<string>(), Location = play.Location };
            if (toGather.Count > 0) await RunTaskAsync(facts, toGather, false, state, false, ct);
            if (_factCache is not null)
                foreach (var h in toGather)
                    if (_run.Vars.State(h).Facts.Count > 0) _factCache.Save(h, _run.Vars.State(h).Facts);
            if (_abort) return;
        }
        foreach (var section in new[] { play.PreTasks, play.Tasks, play.PostTasks })
        {
            await RunNodesAsync(section, batch, false, state, ct);
            if (_abort) return;
            await FlushHandlersAsync(state, batch, ct);
            if (_abort || state.EndPlay) return;
        }
    }

    private bool ShouldGatherFacts(Play play)
    {
        if (_run.Options.Gathering == "explicit") return play.GatherFacts is true || play.GatherFacts is string s && s is "yes" or "true";
        var g = play.GatherFacts;
        return g switch
        {
            bool b => b,
            string s => s.ToLowerInvariant() is "yes" or "true" or "on" or "1",
            null => true,
            _ => Data.Truthy(g),
        };
    }

    private async Task RunNodesAsync(List<TaskNode> nodes, List<string> hosts, bool rescuable, PlayState state, CancellationToken ct)
    {
        foreach (var node in nodes)
        {
            if (_abort || state.EndPlay) return;
            var alive = hosts.Where(state.IsActive).ToList();
            if (alive.Count == 0) return;
            if (node is BlockItem b) await RunBlockAsync(b, alive, rescuable, state, ct);
            else if (node is TaskItem t) await RunTaskAsync(t, alive, rescuable, state, false, ct);
        }
    }

    private async Task RunBlockAsync(BlockItem b, List<string> hosts, bool rescuable, PlayState state, CancellationToken ct)
    {
        var hasRescue = b.Rescue.Count > 0;
        await RunNodesAsync(b.Block, hosts, rescuable || hasRescue, state, ct);
        if (_abort) return;
        var failedInBlock = hosts.Where(h => state.Host(h).Failed && !state.Host(h).Unreachable).ToList();
        if (hasRescue && failedInBlock.Count > 0)
        {
            foreach (var h in failedInBlock) state.Host(h).Failed = false;
            await RunNodesAsync(b.Rescue, failedInBlock, rescuable, state, ct);
            if (_abort) return;
        }
        if (b.Always.Count > 0)
        {
            var alwaysHosts = hosts.Where(h => !state.Host(h).Unreachable && !state.Host(h).Ended).ToList();
            var stillFailed = alwaysHosts.Where(h => state.Host(h).Failed).ToList();
            foreach (var h in stillFailed) state.Host(h).Failed = false;
            await RunNodesAsync(b.Always, alwaysHosts, rescuable, state, ct);
            foreach (var h in stillFailed) state.Host(h).Failed = true;
        }
    }

    private string RenderName(TaskItem task, PlayState state, string host)
    {
        if (task.Name is null || !Templar.IsTemplate(task.Name)) return task.DisplayName();
        try
        {
            var scope = _run.Vars.ForTask(state.Context, host, task);
            return task.DisplayName(_run.Templar.RenderString(task.Name, scope));
        }
        catch (Exception e) when (e is TemplateError or RunnerException)
        {
            return task.DisplayName();
        }
    }

    private async Task RunTaskAsync(TaskItem task, List<string> hosts, bool rescuable, PlayState state, bool isHandler, CancellationToken ct)
    {
        if (!isHandler && !_tags.ShouldRun(EffectiveTags(task, state.Play))) return;
        if (_startPending && !isHandler && task.Name != "Gathering Facts")
        {
            if (!ReferenceEquals(task, _startTask)) return;
            _startPending = false;
        }
        if (hosts.Count == 0) return;
        if (task.ShortAction == "meta")
        {
            await RunMetaAsync(task, hosts, state, isHandler, ct);
            return;
        }
        var name = RenderName(task, state, hosts[0]);
        _run.Callback.TaskStart(task, name, isHandler);

        var runOnce = IsRunOnce(task, state, hosts[0]);
        var bypass = _run.Modules.Find(task.Action)?.Spec.BypassHostLoop == true;
        var targets = runOnce || bypass ? new List<string> { hosts[0] } : hosts;
        var outcomes = new TaskOutcome[targets.Count];
        _run.Progress.TaskRunning(name, targets);
        try
        {
            using var gate = new SemaphoreSlim(Math.Max(1, _run.Options.Forks));
            var jobs = targets.Select(async (h, i) =>
            {
                await gate.WaitAsync(ct);
                try { outcomes[i] = await _runner.RunAsync(task, h, state.Context, name, ct); }
                finally { gate.Release(); _run.Progress.HostDone(h); }
            }).ToList();
            await Task.WhenAll(jobs);
        }
        finally { _run.Progress.TaskDone(); }

        var includes = new List<IncludeRequest>();
        var fatal = false;
        foreach (var o in outcomes)
        {
            foreach (var ev in o.Events) ev(_run.Callback);
            Apply(task, o, state, rescuable, runOnce ? hosts : null);
            includes.AddRange(o.Includes);
            // the linear strategy treats a failed run_once (or host-loop-bypassing) task as any_errors_fatal
            if (o.HostFailed && !rescuable && (AnyErrorsFatal(task, state) || runOnce || bypass)) fatal = true;
        }

        if (fatal)
        {
            _abort = true;
            return;
        }

        if (includes.Count > 0) await RunIncludesAsync(includes, rescuable, state, ct);
    }

    /// <summary>A task's tags with those of its blocks, role and play.</summary>
    public static HashSet<string> EffectiveTags(TaskItem task, Play play)
    {
        var tags = task.EffectiveTags();
        tags.UnionWith(play.Tags);
        return tags;
    }

    private bool IsRunOnce(TaskItem task, PlayState state, string host)
    {
        var raw = task.Inherited("run_once") ?? _run.PlayKeyword("run_once");
        if (raw is null) return false;
        try { return Data.Truthy(_run.Templar.Template(raw, _run.Vars.ForTask(state.Context, host, task))) && raw is not "false"; }
        catch (TemplateError) { return false; }
    }

    private bool AnyErrorsFatal(TaskItem task, PlayState state)
    {
        var raw = task.Inherited("any_errors_fatal");
        if (raw is not null) return Data.Truthy(raw);
        return state.Play.AnyErrorsFatal;
    }

    private void Apply(TaskItem task, TaskOutcome o, PlayState state, bool rescuable, List<string>? runOnceHosts)
    {
        var host = o.Host;
        var hs = state.Host(host);
        var res = o.Result;
        switch (o.Status)
        {
            case TaskStatus.Ok when task.ShortAction == "include_role":
                // StrategyBase counts an included file's hosts when it loads the file; an included role is not counted
                break;
            case TaskStatus.Ok:
                var okCount = task.IsInclude && o.Includes.Count > 1 ? o.Includes.Count : 1;
                _stats.Add(host, c => c.Ok += okCount);
                break;
            case TaskStatus.Changed:
                _stats.Add(host, c => { c.Ok++; c.Changed++; });
                break;
            case TaskStatus.Skipped:
                _stats.Add(host, c => c.Skipped++);
                break;
            case TaskStatus.Failed when o.Ignored:
                var changed = Data.Truthy(res.GetValueOrDefault("changed"));
                _stats.Add(host, c => { c.Ok++; c.Ignored++; if (changed) c.Changed++; });
                break;
            case TaskStatus.Failed:
                if (rescuable) _stats.Add(host, c => c.Rescued++);
                else _stats.Add(host, c => c.Failed++);
                hs.Failed = true;
                var st = _run.Vars.State(host);
                st.SetFacts["ansible_failed_task"] = new Dict { ["name"] = task.Name ?? task.Action, ["action"] = task.Action };
                st.SetFacts["ansible_failed_result"] = res;
                break;
            case TaskStatus.Unreachable:
                if (Data.Truthy(task.Inherited("ignore_unreachable")))
                {
                    _stats.Add(host, c => c.Skipped++);
                }
                else
                {
                    _stats.Add(host, c => c.Unreachable++);
                    hs.Unreachable = true;
                }
                break;
        }

        var targets = runOnceHosts ?? new List<string> { host };
        foreach (var h in targets)
        {
            var vars = _run.Vars.State(h);
            ApplyFacts(_run.Modules.Find(task.Action)?.Spec, res, vars);
            if (task.Register is not null && !task.IsInclude)
                vars.SetFacts[task.Register] = Clean(res);
        }

        if (o.Status == TaskStatus.Changed && task.Notify.Count > 0)
            foreach (var name in task.Notify)
                Notify(name, host, state);
    }

    /// <summary>The registered value: no internal keys and no top-level invocation (StrategyBase._process_pending_results;
    /// loop items keep theirs).</summary>
    private static Dict Clean(Dict r)
    {
        var d = new Dict();
        foreach (var (k, v) in r)
        {
            if (k.StartsWith("_ansible", StringComparison.Ordinal) || k == "invocation") continue;
            d[k] = v;
        }
        return d;
    }

    /// <summary>Puts a result's ansible_facts (and its loop items') into the variable layer <paramref name="spec"/> names.</summary>
    private static void ApplyFacts(ModuleSpec? spec, Dict res, HostRunVars vars)
    {
        var sources = new List<Dict> { res };
        if (res.GetValueOrDefault("results") is List<object?> items) sources.AddRange(items.OfType<Dict>());
        foreach (var r in sources)
        {
            if (r.GetValueOrDefault("ansible_facts") is not Dict facts) continue;
            if (Data.Truthy(r.GetValueOrDefault("failed")) || Data.Truthy(r.GetValueOrDefault("skipped"))) continue;
            switch (spec?.FactsLayer ?? FactsLayer.HostFacts)
            {
                case FactsLayer.SetFacts:
                    foreach (var (k, v) in facts) vars.SetFacts[k] = v;
                    break;
                case FactsLayer.IncludeVars:
                    foreach (var (k, v) in facts) vars.IncludeVars[k] = v;
                    break;
                default:
                    // the fact gatherer (setup) returns its facts without the prefix; other modules' bare names stay bare (namespace_facts)
                    var setup = spec?.GathersFacts == true;
                    foreach (var (k, v) in facts)
                    {
                        var prefixed = k.StartsWith("ansible_", StringComparison.Ordinal);
                        var name = prefixed ? k[8..] : k;
                        vars.Facts[name] = v;
                        if (prefixed || setup) vars.BareFacts.Remove(name);
                        else vars.BareFacts.Add(name);
                    }
                    break;
            }
        }
    }

    private void Notify(string name, string host, PlayState state)
    {
        var found = false;
        foreach (var h in state.Play.Handlers)
        {
            var hname = h.Name ?? "";
            if (hname == name || h.DisplayName() == name || h.Listen.Contains(name))
            {
                found = true;
                if (!state.Notified.TryGetValue(h, out var list)) state.Notified[h] = list = new List<string>();
                if (!list.Contains(host)) list.Add(host);
            }
        }
        if (!found)
            throw new RunnerException($"The requested handler '{name}' was not found in either the main handlers list nor in the listening handlers list",
                exitCode: ExitCodes.Error);
    }

    private async Task FlushHandlersAsync(PlayState state, List<string> batch, CancellationToken ct)
    {
        var force = _run.Options.ForceHandlers || state.Play.ForceHandlers;
        bool ranAny;
        do
        {
            ranAny = false;
            foreach (var handler in state.Play.Handlers.ToList())
            {
                if (!state.Notified.TryGetValue(handler, out var notified) || notified.Count == 0) continue;
                var hosts = batch.Where(h => notified.Contains(h) && (state.IsActive(h) || force && state.Host(h).Failed && !state.Host(h).Unreachable)).ToList();
                state.Notified.Remove(handler);
                if (hosts.Count == 0) continue;
                ranAny = true;
                var forced = hosts.Where(h => state.Host(h).Failed).ToList();
                foreach (var h in forced) state.Host(h).Failed = false;
                await RunTaskAsync(handler, hosts, false, state, true, ct);
                foreach (var h in forced) state.Host(h).Failed = true;
                if (_abort) return;
            }
        } while (ranAny);
    }

    private async Task RunIncludesAsync(List<IncludeRequest> includes, bool rescuable, PlayState state, CancellationToken ct)
    {
        var groups = new List<(IncludeRequest First, List<string> Hosts)>();
        foreach (var inc in includes)
        {
            var key = inc.Path + "\u0001" + PyStr.Repr(inc.Params);
            var existing = groups.FindIndex(g => g.First.Path + "\u0001" + PyStr.Repr(g.First.Params) == key && !g.Hosts.Contains(inc.Host));
            if (existing >= 0) groups[existing].Hosts.Add(inc.Host);
            else groups.Add((inc, new List<string> { inc.Host }));
        }
        foreach (var (inc, hosts) in groups)
        {
            if (_includeDepth >= MaxIncludeDepth)
                throw new RunnerException($"includes nested deeper than {MaxIncludeDepth} levels: {inc.Path} (does a file include itself with nothing to end it?)",
                    inc.Task.Location, inc.Task.Action, ExitCodes.Error);
            var block = BuildIncludeBlock(inc, state);
            _includeDepth++;
            try { await RunNodesAsync(new List<TaskNode> { block }, hosts, rescuable, state, ct); }
            finally { _includeDepth--; }
            if (_abort || state.EndPlay) return;
        }
    }

    /// <summary>How deep dynamic includes may nest (ansible-playbook has no limit and recurses until it runs out
    /// of memory; Runner stops with an error instead).</summary>
    public const int MaxIncludeDepth = 256;

    private int _includeDepth;

    private BlockItem BuildIncludeBlock(IncludeRequest inc, PlayState state)
    {
        var task = inc.Task;
        BlockItem block;
        if (task.ShortAction == "include_role")
        {
            var before = _loader.RoleHandlers.Count;
            block = _loader.LoadIncludeRole(task, inc.Args, state.Play.PlaybookDir, state.Play.Collections);
            state.Play.Handlers.AddRange(_loader.RoleHandlers.Skip(before));
        }
        else
        {
            block = new BlockItem { Location = task.Location, Role = task.Role };
            block.Block = _loader.LoadTaskFile(inc.Path, task.Role);
            foreach (var n in block.Block) n.Parent = block;
        }
        block.Parent = task.Parent;
        foreach (var (k, v) in inc.Params) block.Params[k] = v;
        if (inc.Args.GetValueOrDefault("apply") is Dict apply)
        {
            block.Tags = PlaybookLoader.AsStringList(apply.GetValueOrDefault("tags"));
            if (apply.TryGetValue("when", out var w) && w is not null) block.When = w is List<object?> wl ? wl : new List<object?> { w };
            foreach (var k in Keywords.Inheritable)
                if (apply.TryGetValue(k, out var kv)) block.Keywords[k] = kv;
            if (apply.GetValueOrDefault("vars") is Dict av) foreach (var (k, v) in av) block.Vars[k] = v;
        }
        return block;
    }
}

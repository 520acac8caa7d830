
using Runner.Engine.Connections;
using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Variables;

namespace Runner.Engine.Execution;

/// <summary>
/// Runs one task on one host, as Ansible's TaskExecutor does: loop expansion, `when` per item,
/// argument templating (omit), module dispatch with check mode and diff, until/retries, register,
/// changed_when then failed_when, ignore_errors, and the aggregate result of a loop
/// (docs: "Loops", "Conditionals", "Error handling in playbooks", "Validating tasks: check mode and diff mode").
/// </summary>
public sealed class TaskRunner
{
    private readonly RunContext _run;

    public TaskRunner(RunContext run) => _run = run;

    /// <summary>Held while a module prints on the controller (hosts run in parallel).</summary>
    private readonly object _consoleLock = new();

    /// <summary>Runs <paramref name="task"/> on <paramref name="host"/>; never throws for task-level failures.</summary>
    public async Task<TaskOutcome> RunAsync(TaskItem task, string host, PlayContext pc, string displayName, CancellationToken ct)
    {
        var outcome = new TaskOutcome { Host = host };
        // the task's worker: a warning raised while templating is printed once (ansible-core's Display in the worker)
        using var warnings = TemplateWarnings.Begin(_run.Callback.Warning);
        var baseScope = _run.Vars.ForTask(pc, host, task);
        var noLog = Truthy(TemplateKeyword(task, "no_log", baseScope) ?? false);
        var ignoreErrors = Truthy(TemplateKeyword(task, "ignore_errors", baseScope) ?? false);
        var delegateTo = TemplateKeyword(task, "delegate_to", baseScope) is { } dt ? PyStr.Str(dt) : null;
        var diff = TemplateKeyword(task, "diff", baseScope) is { } dv ? Truthy(dv) : _run.Options.Diff;
        var spec = _run.Modules.Find(task.Action)?.Spec; // null for engine actions (include_*, meta)

        HostTaskResult Make(Dict result, TaskStatus status, bool isItem = false, object? label = null, bool aggregate = false, bool ignored = false) => new()
        {
            Task = task, TaskName = displayName, Host = host, DelegateTo = delegateTo, Result = result, Status = status,
            IsItem = isItem, ItemLabel = label, IsLoopAggregate = aggregate, NoLog = noLog, Diff = diff, Ignored = ignored, Spec = spec,
        };

        List<object?>? items = null;
        Exception? loopError = null;
        if (task.Loop is not null)
        {
            try { items = LoopItems.Expand(task.Loop, task.LoopWith, _run.Templar, baseScope, task.Action); }
            catch (Exception e) when (e is TemplateError or RunnerException) { loopError = e; }
        }

        if (task.Loop is null || loopError is not null)
        {
            Dict result;
            if (loopError is not null)
                result = EvaluateWhen(task, baseScope, out var whenError, out _) && whenError is null
                    ? Failed(loopError.Message)
                    : whenError is not null ? Failed(whenError) : Skipped();
            else
            {
                try { result = await RunOnceAsync(task, host, pc, baseScope, null, outcome, displayName, noLog, ct); }
                catch (TaskAbortedException a) { result = a.Result; }
            }
            if (task.IsInclude && result.GetValueOrDefault("skipped") is not true && result.GetValueOrDefault("failed") is not true)
            {
                outcome.Status = TaskStatus.Ok;
                outcome.Result = result;
                return outcome;
            }
            Finish(outcome, task, result, host, ignoreErrors);
            var status = outcome.Status;
            var ign = outcome.Ignored;
            // a result may ask to be hidden itself (_ansible_no_log: include_vars of a vaulted file, as Ansible's)
            var shown = noLog || Truthy(result.GetValueOrDefault("_ansible_no_log")) ? Censor(result) : result;
            outcome.Events.Add(cb => cb.HostResult(Make(shown, status, ignored: ign)));
            return outcome;
        }

        // a loop: one result per item, then the aggregate
        var loopVar = task.LoopControl.GetValueOrDefault("loop_var") is { } lv ? PyStr.Str(lv) : "item";
        var indexVar = task.LoopControl.GetValueOrDefault("index_var") is { } iv ? PyStr.Str(iv) : null;
        var extended = Truthy(task.LoopControl.GetValueOrDefault("extended") ?? false);
        var pause = task.LoopControl.GetValueOrDefault("pause") is { } p ? Convert.ToDouble(p) : 0;
        if (loopVar == "item" && baseScope.TryGetRaw("item", out _) && task.IsInclude is false && IsInsideInclude(task))
            _run.Callback.Warning($"TASK: {displayName}: The loop variable 'item' is already in use. You should set the `loop_var` value in the `loop_control` option for the task to something else to avoid variable collisions and unexpected behavior.");
        var results = new List<object?>();
        // set_fact/include_vars in a loop: each item sees the facts the items before it set (TaskExecutor._run_loop
        // updates the task's variables with every item's ansible_facts).
        var carried = new Dict();
        var carriesFacts = spec?.CarriesFactsInLoop == true;
        for (var i = 0; i < items!.Count; i++)
        {
            var itemVars = new Dict(carried) { [loopVar] = items[i], ["ansible_loop_var"] = loopVar };
            if (indexVar is not null) { itemVars[indexVar] = (long)i; itemVars["ansible_index_var"] = indexVar; }
            if (extended)
                itemVars["ansible_loop"] = new Dict
                {
                    ["allitems"] = items, ["index"] = (long)(i + 1), ["index0"] = (long)i, ["revindex"] = (long)(items.Count - i),
                    ["revindex0"] = (long)(items.Count - i - 1), ["first"] = i == 0, ["last"] = i == items.Count - 1,
                    ["length"] = (long)items.Count, ["previtem"] = i > 0 ? items[i - 1] : null, ["nextitem"] = i < items.Count - 1 ? items[i + 1] : null,
                };
            var scope = _run.Vars.ForTask(pc, host, task, itemVars);
            object? label = items[i];
            if (task.LoopControl.TryGetValue("label", out var lbl))
            {
                try { label = _run.Templar.Template(lbl, scope); } catch (TemplateError) { label = lbl; }
            }
            Dict r;
            try { r = await RunOnceAsync(task, host, pc, scope, itemVars, outcome, displayName, noLog, ct); }
            catch (TaskAbortedException a)
            {
                // TaskExecutor._run_loop lets the error out: the task fails as a whole, later items do not run
                Finish(outcome, task, a.Result, host, ignoreErrors);
                var (abortStatus, abortIgnored) = (outcome.Status, outcome.Ignored);
                var shownAbort = noLog ? Censor(a.Result) : a.Result;
                outcome.Events.Add(cb => cb.HostResult(Make(shownAbort, abortStatus, ignored: abortIgnored)));
                return outcome;
            }
            if (carriesFacts && r.GetValueOrDefault("ansible_facts") is Dict itemFacts && !Truthy(r.GetValueOrDefault("failed") ?? false))
                foreach (var (k, v) in itemFacts) carried[k] = v;
            r[loopVar] = items[i];
            r["ansible_loop_var"] = loopVar;
            if (indexVar is not null) { r[indexVar] = (long)i; r["ansible_index_var"] = indexVar; }
            if (extended) r["ansible_loop"] = itemVars["ansible_loop"];
            if (task.LoopControl.ContainsKey("label")) r["_ansible_item_label"] = label;
            var st = StatusOf(r);
            if (task.IsInclude)
            {
                if (st is not (TaskStatus.Skipped or TaskStatus.Failed)) { results.Add(r); continue; }
            }
            results.Add(r);
            var shown = noLog || Truthy(r.GetValueOrDefault("_ansible_no_log")) ? Censor(r) : ShownItem(r);
            var lab = label;
            outcome.Events.Add(cb => cb.ItemResult(Make(shown, st, isItem: true, label: lab)));
            if (pause > 0 && i < items.Count - 1) await Task.Delay(TimeSpan.FromSeconds(pause), ct);
        }
        if (task.IsInclude)
        {
            outcome.Status = results.Count == 0 || outcome.Includes.Count == 0 && results.All(x => StatusOf((Dict)x!) == TaskStatus.Skipped) ? TaskStatus.Skipped : TaskStatus.Ok;
            if (outcome.Status == TaskStatus.Skipped)
            {
                var skippedRes = new Dict { ["changed"] = false, ["skipped"] = true, ["skipped_reason"] = "No items in the list", ["results"] = results };
                outcome.Result = skippedRes;
                outcome.Events.Add(cb => cb.HostResult(Make(skippedRes, TaskStatus.Skipped)));
            }
            return outcome;
        }
        var aggregate = new Dict();
        var cleaned = results.Select(x => (object?)WithoutInternal((Dict)x!)).ToList();
        if (results.Count == 0)
        {
            aggregate["changed"] = false;
            aggregate["skipped"] = true;
            aggregate["skipped_reason"] = "No items in the list";
            aggregate["results"] = cleaned;
        }
        else
        {
            aggregate["changed"] = results.Any(x => Truthy(((Dict)x!).GetValueOrDefault("changed")));
            var anyFailed = results.Any(x => Truthy(((Dict)x!).GetValueOrDefault("failed")));
            if (anyFailed) { aggregate["failed"] = true; aggregate["msg"] = "One or more items failed"; }
            else aggregate["msg"] = "All items completed";
            if (results.All(x => Truthy(((Dict)x!).GetValueOrDefault("skipped")))) aggregate["skipped"] = true;
            aggregate["results"] = cleaned;
        }
        if (!aggregate.ContainsKey("failed") && results.Count > 0) aggregate["failed"] = false;
        Finish(outcome, task, aggregate, host, ignoreErrors, applyConditions: false);
        var fs = outcome.Status;
        var fi = outcome.Ignored;
        var shownAgg = noLog ? Censor(aggregate) : aggregate;
        outcome.Events.Add(cb => cb.HostResult(Make(shownAgg, fs, aggregate: true, ignored: fi)));
        return outcome;
    }

    private static bool IsInsideInclude(TaskItem task)
    {
        for (var b = task.Parent; b is not null; b = b.Parent)
            if (b.Params.ContainsKey("item")) return true;
        return false;
    }

    private void Finish(TaskOutcome outcome, TaskItem task, Dict result, string host, bool ignoreErrors, bool applyConditions = false)
    {
        outcome.Result = result;
        outcome.Status = StatusOf(result);
        outcome.Ignored = outcome.Status == TaskStatus.Failed && ignoreErrors;
    }

    /// <summary>The status a result dict shows: unreachable, failed, skipped, changed or ok.</summary>
    public static TaskStatus StatusOf(Dict r) =>
        Truthy(r.GetValueOrDefault("unreachable")) ? TaskStatus.Unreachable
        : Truthy(r.GetValueOrDefault("failed")) ? TaskStatus.Failed
        : Truthy(r.GetValueOrDefault("skipped")) ? TaskStatus.Skipped
        : Truthy(r.GetValueOrDefault("changed")) ? TaskStatus.Changed
        : TaskStatus.Ok;

    private static Dict Skipped() => new() { ["changed"] = false, ["skip_reason"] = "Conditional result was False", ["skipped"] = true };

    private static Dict Failed(string msg) => new() { ["failed"] = true, ["msg"] = msg };

    /// <summary>An action plugin's AnsibleActionFail before the module runs (ActionBase.run's async and check-mode refusals).</summary>
    private static Dict ActionFailure(string msg) => new(ModuleSpec.ActionFailureFields) { ["failed"] = true, ["msg"] = msg };

    private static Dict Censor(Dict r) => new()
    {
        ["censored"] = "the output has been hidden due to the fact that 'no_log: true' was specified for this result",
        ["changed"] = r.GetValueOrDefault("changed") ?? false,
        ["failed"] = r.GetValueOrDefault("failed") ?? false,
        ["skipped"] = r.GetValueOrDefault("skipped") ?? false,
    };

    private static Dict WithoutInternal(Dict r) => new(r.Where(kv => !kv.Key.StartsWith("_ansible", StringComparison.Ordinal)));

    /// <summary>An item's result as the callbacks get it: without internal keys but the display flags
    /// (_ansible_verbose_always, _ansible_verbose_override), which v2_runner_item_on_ok/failed read as for a task.</summary>
    private static Dict ShownItem(Dict r) => new(r.Where(kv => !kv.Key.StartsWith("_ansible", StringComparison.Ordinal)
        || kv.Key is "_ansible_verbose_always" or "_ansible_verbose_override"));

    private static bool Truthy(object? v) => v switch
    {
        string s => s.Trim().ToLowerInvariant() is "yes" or "true" or "on" or "1" or "y",
        _ => Data.Truthy(v),
    };

    private object? TemplateKeyword(TaskNode task, string keyword, IVariableScope scope)
    {
        var raw = task.Inherited(keyword);
        if (raw is null && task is TaskItem && _run.PlayKeyword(keyword) is { } pk) raw = pk;
        if (raw is null) return null;
        try { return _run.Templar.Template(raw, scope); }
        catch (TemplateError) { return raw; }
    }

    private bool EvaluateWhen(TaskItem task, IVariableScope scope, out string? error, out string? falseCondition)
    {
        error = null;
        falseCondition = null;
        foreach (var c in task.EffectiveWhen())
        {
            try
            {
                if (!_run.Templar.EvaluateConditional(c, scope))
                {
                    falseCondition = PyStr.Str(c);
                    return false;
                }
            }
            catch (TemplateError e)
            {
                error = e.Message;
                return true;
            }
        }
        return true;
    }

    private async Task<Dict> RunOnceAsync(TaskItem task, string host, PlayContext pc, VariableScope scope, Dict? itemVars,
        TaskOutcome outcome, string displayName, bool noLog, CancellationToken ct)
    {
        if (!EvaluateWhen(task, scope, out var whenError, out _)) return Skipped();
        if (whenError is not null) throw TemplatingFailures.ForWhen(whenError, task);

        Dict args;
        try
        {
            args = _run.Templar.Template(task.Args, scope) as Dict ?? new Dict();
        }
        catch (TemplateError e)
        {
            return TemplatingFailures.ForOptions(e, task);
        }
        var found = _run.Modules.Find(task.Action);
        if (found is not null && ModuleDefaults.Entries(task, _run.PlayKeyword("module_defaults")) is { Count: > 0 } defaults)
        {
            try { args = ModuleDefaults.Apply(args, found, _run.Modules, defaults, d => _run.Templar.Template(d, scope)); }
            catch (TemplateError e) { throw TemplatingFailures.ForField("module_defaults", e, task); }
        }
        args = RemoveOmitted(args);

        if (task.IsInclude) return Include(task, host, args, itemVars, scope, outcome, pc);

        if (found is null && AnsibleBuiltinModules.Contains(task.Action)) return Failed(AnsibleBuiltinModules.NotImplementedMessage(task.Action));
        var module = found
            ?? throw new RunnerException($"couldn't resolve module/action '{task.Action}'", task.Location, task.Action, ExitCodes.ParserError);
        Dict validated;
        try { validated = ArgumentValidator.Validate(module.Spec, args, module.Name); }
        catch (RunnerException e) { return new Dict(Failed(e.Message).Concat(module.Spec.ArgumentErrorFields ?? new Dict())); }

        var checkKeyword = TemplateKeyword(task, "check_mode", scope);
        var check = checkKeyword is null ? _run.Options.Check : Truthy(checkKeyword);
        var diffKeyword = TemplateKeyword(task, "diff", scope);
        var diff = diffKeyword is null ? _run.Options.Diff : Truthy(diffKeyword);
        // ActionBase.run's order: async refused by the action, check mode refused, then async with check mode
        var asyncVal = TemplateKeyword(task, "async", scope) is { } av ? TemplatingFailures.Int("async_val", av, task) : 0;
        var poll = TemplateKeyword(task, "poll", scope) is { } pv ? TemplatingFailures.Int("poll", pv, task) : 15; // C.DEFAULT_POLL_INTERVAL
        if (asyncVal > 0 && !module.Spec.SupportsAsync) return ActionFailure("async is not supported for this task.");
        if (check && !module.Spec.SupportsCheckMode)
            // a module's own skip is a module result: Ansible's TaskExecutor gives it failed: false, as every result
            return new Dict { ["changed"] = false, ["failed"] = false, ["msg"] = module.Spec.CheckModeSkipMessage ?? $"remote module ({module.Name}) does not support check mode", ["skipped"] = true };

        if (asyncVal > 0 && check) return ActionFailure("check mode and async cannot be used on same task.");

        var delegateTo = TemplateKeyword(task, "delegate_to", scope) is { } dt ? PyStr.Str(dt) : null;
        var retries = task.Until is null ? 0 : Convert.ToInt32(TemplateKeyword(task, "retries", scope) ?? 3L);
        var delay = Convert.ToDouble(TemplateKeyword(task, "delay", scope) ?? 5L);
        if (delay < 0) delay = 1;
        Dict result = new();
        var secrets = NoLogCensor.Secrets(module.Spec, validated);
        // the engine's async events (v2_runner_on_async_poll/ok/failed), in order with the task's other events
        void Event(AsyncEvent kind, Dict r)
        {
            var shown = new HostTaskResult
            {
                Task = task, TaskName = displayName, Host = host, DelegateTo = delegateTo, Result = noLog ? Censor(r) : r,
                Status = kind == AsyncEvent.Failed ? TaskStatus.Failed : TaskStatus.Ok, NoLog = noLog, Spec = module.Spec,
            };
            outcome.Events.Add(cb => cb.Async(kind, shown));
        }
        Dict? becameFailure = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var target = delegateTo ?? host;
                var taskConnection = task.Inherited("connection") is { } tc ? PyStr.Str(_run.Templar.Template(tc, scope)) : null;
                var (connection, stateKey) = module.Spec.NeedsConnection
                    ? await _run.TaskConnectionFor(target, pc, taskConnection, ct)
                    : (new NoConnection(target, module.Name), target);
                var ctx = new ModuleContext
                {
                    Connection = connection,
                    Args = validated,
                    CheckMode = check,
                    DiffMode = diff,
                    Templar = _run.Templar,
                    Variables = scope,
                    Host = host,
                    Planned = _run.PlannedFor(stateKey),
                    Facts = _run.FactsFor(stateKey),
                    SearchPaths = scope.SearchPaths,
                    Exec = ExecFor(task, scope) with { NoLog = noLog, Secrets = secrets },
                    TaskLabel = $"{displayName} ({task.Location})",
                    TaskName = displayName,
                    Action = task.Action,
                    Display = text => { lock (_consoleLock) { _run.Progress.Suspend(); _run.Callback.Display(task, text); } },
                    Warn = text => { lock (_consoleLock) { _run.Progress.Suspend(); _run.Callback.Warning(text); } },
                    Jobs = _run.AsyncJobs,
                };
                // a module run as an unprivileged become user first makes its remote_tmp (or cannot start at all)
                string? tmpWarning = null;
                becameFailure = null;
                if (BecomeModuleTmp.Applies(module.Spec, ctx.Exec, connection))
                    (tmpWarning, becameFailure) = await BecomeModuleTmp.PrepareAsync(ctx, ct);
                if (becameFailure is not null) result = becameFailure;
                else if (asyncVal > 0)
                {
                    // the job's result carries the module's invocation, as the job file of Ansible's module does
                    var invocation = module.Spec.ReportsInvocation ? module.Spec.Invocation!.For(module.Spec, args, validated) : null;
                    result = module is PlanningModule pm
                        ? await _run.AsyncJobs.StartAsync(pm, ctx, asyncVal, invocation, ct)
                        : new Dict { ["failed"] = true, ["changed"] = false, ["msg"] = AsyncJobs.NotCommandsMessage };
                    if (poll > 0 && !Truthy(result.GetValueOrDefault("skipped")) && !Truthy(result.GetValueOrDefault("failed")))
                        result = await AsyncPoller.PollAsync(ctx, result, asyncVal, poll, Event, ct);
                }
                else result = await module.RunAsync(ctx, ct);
                if (tmpWarning is not null) BecomeModuleTmp.AddWarning(result, tmpWarning);
                // a module outside the plan contract may have changed anything on the host, unless it works on the controller
                if (module is not PlanningModule && !module.Spec.RunsOnController) ctx.Facts.Clear();
            }
            catch (UnreachableException e)
            {
                return new Dict { ["unreachable"] = true, ["changed"] = false, ["msg"] = e.Message };
            }
            catch (ActionError e)
            {
                // TaskExecutor.run's except AnsibleError: the message only, no "changed"
                return new Dict { ["failed"] = true, ["msg"] = e.Message };
            }
            catch (Exception e) when (e is RunnerException or TemplateError or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or ArgumentException)
            {
                result = Failed(e.Message);
            }
            // an async task's results are async_wrapper's answer or async_status's (with the job's invocation)
            if (module.Spec.ReportsInvocation && asyncVal <= 0 && becameFailure is null && !result.ContainsKey("invocation"))
                result["invocation"] = module.Spec.Invocation!.For(module.Spec, args, validated);
            result = NoLogCensor.Censor(result, secrets);

            if (!result.ContainsKey("failed"))
                result["failed"] = result.TryGetValue("rc", out var rc) && rc is not (0L or 0 or "0") && rc is not null;
            if (task.Until is not null) result["attempts"] = (long)attempt;
            if (!result.ContainsKey("changed")) result["changed"] = false;

            if (!result.ContainsKey("skipped"))
            {
                var condScope = task.Register is null ? scope : scope.With("registered", new Dict { [task.Register] = result });
                var condName = "changed";
                try
                {
                    if (task.ChangedWhen is not null)
                        result["changed"] = EvaluateAll(task.ChangedWhen, condScope);
                    condName = "failed";
                    if (task.FailedWhen is not null)
                    {
                        var fw = EvaluateAll(task.FailedWhen, condScope);
                        result["failed_when_result"] = fw;
                        result["failed"] = fw;
                    }
                }
                catch (TemplateError e)
                {
                    result["failed"] = true;
                    result[$"{condName}_when_result"] = e.Message;
                    result["msg"] = e.Message;
                }
            }

            if (task.Until is null) break;
            var untilScope = task.Register is null ? scope : scope.With("registered", new Dict { [task.Register] = result });
            bool done;
            try { done = EvaluateAll(task.Until, untilScope); } catch (TemplateError) { done = false; }
            if (done) break;
            if (attempt > retries)
            {
                // TaskExecutor._execute's for-else: attempts is the task's retries (one less than the runs), no msg added
                result["failed"] = true;
                result["attempts"] = (long)Math.Max(retries, 0);
                break;
            }
            result["retries"] = (long)retries + 1;
            var retried = NoLogCensor.Censor(noLog ? Censor(result) : WithoutInternal(result), secrets);
            outcome.Events.Add(cb => cb.Retry(new HostTaskResult
            {
                Task = task, TaskName = displayName, Host = host, DelegateTo = delegateTo, Result = retried,
                Status = TaskStatus.Failed, NoLog = noLog, Spec = module.Spec,
            }));
            if (delay > 0) await Task.Delay(TimeSpan.FromSeconds(delay), ct);
        }
        return result;
    }

    private bool EvaluateAll(object conditions, IVariableScope scope)
    {
        var list = conditions is List<object?> l ? l : new List<object?> { conditions };
        foreach (var c in list)
            if (!_run.Templar.EvaluateConditional(c, scope)) return false;
        return true;
    }

    /// <summary>
    /// TaskExecutor's remove_omit: options whose value is exactly the omit placeholder are dropped, in nested dicts and
    /// in dicts inside lists too; a string that only contains the placeholder stays, as does a list item that is it.
    /// </summary>
    private Dict RemoveOmitted(Dict args)
    {
        var kept = new Dict();
        foreach (var (key, v) in args)
        {
            if (v is string s && s == _run.Vars.Omit) continue;
            kept[key] = v switch
            {
                Dict d => RemoveOmitted(d),
                List<object?> l => l.Select(x => x is Dict xd ? RemoveOmitted(xd) : x).ToList(),
                _ => v,
            };
        }
        return kept;
    }

    private ExecOptions ExecFor(TaskItem task, IVariableScope scope)
    {
        var env = new Dictionary<string, string>();
        var envChain = new List<object?>();
        if (_run.PlayKeyword("environment") is { } pe) envChain.Add(pe);
        var nodes = new List<TaskNode>();
        for (TaskNode? n = task; n is not null; n = n.Parent) nodes.Add(n);
        nodes.Reverse();
        foreach (var n in nodes)
            if (n.Keywords.TryGetValue("environment", out var e)) envChain.Add(e);
        foreach (var e in envChain)
        {
            object? templated;
            try { templated = _run.Templar.Template(e, scope); } catch (TemplateError) { continue; }
            if (templated is Dict ed) foreach (var (k, v) in ed) env[k] = PyStr.Str(v);
            else if (templated is List<object?> el) foreach (var item in el.OfType<Dict>()) foreach (var (k, v) in item) env[k] = PyStr.Str(v);
        }
        var becomeRaw = TemplateKeyword(task, "become", scope) ?? Lookup(scope, "ansible_become") ?? _run.Options.Become;
        var become = becomeRaw is not null && Truthy(becomeRaw);
        string? user = null;
        var method = "sudo";
        string? password = null;
        if (become)
        {
            user = PyStr.Str(TemplateKeyword(task, "become_user", scope) ?? Lookup(scope, "ansible_become_user") ?? _run.Options.BecomeUser ?? "root");
            method = PyStr.Str(TemplateKeyword(task, "become_method", scope) ?? Lookup(scope, "ansible_become_method") ?? _run.Options.BecomeMethod ?? "sudo");
            password = Lookup(scope, "ansible_become_password") is { } bp ? PyStr.Str(bp) : Lookup(scope, "ansible_become_pass") is { } bp2 ? PyStr.Str(bp2) : _run.Options.BecomePassword;
        }
        return new ExecOptions(Environment: env.Count > 0 ? env : null, BecomeUser: user, BecomeMethod: method, BecomePassword: password);
    }

    /// <summary>The string values of the module's no_log options (OptionSpec.NoLog), to censor in traces.</summary>
    private object? Lookup(IVariableScope scope, string name)
    {
        if (!scope.TryGetRaw(name, out var raw)) return null;
        try { return _run.Templar.Template(raw, scope); } catch (TemplateError) { return raw; }
    }

    private Dict Include(TaskItem task, string host, Dict args, Dict? itemVars, VariableScope scope, TaskOutcome outcome, PlayContext pc)
    {
        var isRole = task.ShortAction == "include_role";
        string path;
        if (isRole)
        {
            path = PyStr.Str(args.GetValueOrDefault("name"));
        }
        else
        {
            var file = PyStr.Str(args.GetValueOrDefault("file") ?? args.GetValueOrDefault("_raw_params"));
            path = PlaybookLoader.ResolveIncludeFile(file, task.Location?.File, task.Role, pc.Play.PlaybookDir);
            if (!File.Exists(path))
                return Failed($"Could not find or access '{file}' on the Ansible Controller.");
        }
        var parameters = new Dict();
        foreach (var (k, v) in task.Vars) parameters[k] = v;
        // a legacy include's arguments are vars of its tasks too (ansible-core's TaskInclude.get_vars)
        if (task.ShortAction == "include")
            foreach (var (k, v) in task.Args) if (k is not ("tags" or "when")) parameters[k] = v;
        if (itemVars is not null) foreach (var (k, v) in itemVars) parameters[k] = v;
        object? label = null;
        var hasItem = itemVars is not null;
        if (hasItem)
        {
            var loopVar = PyStr.Str(itemVars!["ansible_loop_var"]);
            label = itemVars[loopVar];
            if (task.LoopControl.TryGetValue("label", out var lbl))
            {
                try { label = _run.Templar.Template(lbl, scope); } catch (TemplateError) { }
            }
        }
        var req = new IncludeRequest(host, task, path, parameters, label, hasItem, args);
        outcome.Includes.Add(req);
        var name = outcome.Host;
        outcome.Events.Add(cb => cb.Included(task, task.DisplayName(), name, path, req.ItemLabel, req.HasItem));
        return new Dict { ["changed"] = false, ["include"] = path, ["include_args"] = args };
    }
}

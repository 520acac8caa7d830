using System.Diagnostics;
using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>
/// The plan chain of one k8s task, as kubernetes.core's perform_action runs for each definition in turn: an object is
/// probed (discovery, GET) in the Then of the previous object's plan, so it sees what that one's calls did (a namespace
/// created before the objects in it), or in check mode the unchanged cluster. An object's plan holds its API calls as
/// <see cref="CallStep"/>s: create (POST), replace (PUT with the live resourceVersion; force), merge-patch (PATCH
/// application/merge-patch+json; apply and the default) or delete (DELETE with propagationPolicy), and with wait the
/// wait for readiness (<see cref="K8sWait"/>; not a change). An object whose given fields all hold gets no write.
/// The diff {before, after} of a changed object follows its calls (after: the API's reply, or the would-be object when
/// they did not run); with several objects the diffs are a list, one per changed object. The chain's last plan reports
/// the object's result for one object, result.results (each with its own changed, method, result) for several.
/// API errors fail the task with "Failed to STATE KIND [NS/]NAME: REASON: MESSAGE"; an unreachable server with
/// "Failed to reach the Kubernetes API for KIND [NS/]NAME: MESSAGE".
/// </summary>
internal sealed class K8sApply
{
    private readonly Dict _args;
    private readonly K8sApi _api;
    private readonly List<Dict> _objects;
    private readonly List<Dict> _results = new();

    /// <summary>A chain for <paramref name="objects"/> (manifests as given) with the task's validated <paramref name="args"/>.</summary>
    public K8sApply(Dict args, K8sApi api, List<Dict> objects) => (_args, _api, _objects) = (args, api, objects);

    /// <summary>The plan of the first object; the others follow in its Then chain.</summary>
    public Task<Plan> PlanAsync(CancellationToken ct) => ObjectAsync(0, ct);

    private string State => _args.Str("state")!;

    private async Task<Plan> ObjectAsync(int i, CancellationToken ct)
    {
        var label = Label(_objects[i], _args.Str("namespace"));
        Plan plan;
        Func<Dict>? diffAfter;
        try { (plan, diffAfter) = await DecideAsync(_objects[i].DeepCopy(), label, ct); }
        catch (CloudApiException e) { return Plan.Fail(Failure(label, e)); }
        catch (HttpRequestException e) { return Plan.Fail(Unreachable(label, e)); }
        plan.Then = (_, _) => Task.FromResult(new Plan
        {
            Diff = diffAfter?.Invoke(),
            DiffAsList = _objects.Count > 1,
            Then = (_, t) => i + 1 < _objects.Count ? ObjectAsync(i + 1, t) : Task.FromResult(Final()),
        });
        return plan;
    }

    private Plan Final() => Plan.Ok(_results.Count == 1
        ? _results[0]
        : new Dict { ["result"] = new Dict { ["results"] = _results.Select(r => (object?)r).ToList() } });

    /// <summary>The object's plan, and for a changed present object its diff once the calls ran (or were skipped).</summary>
    private async Task<(Plan Plan, Func<Dict>? DiffAfter)> DecideAsync(Dict obj, string label, CancellationToken ct)
    {
        var apiVersion = obj.Get("apiVersion") as string ?? throw new CloudApiException(400, "Invalid", "the object has no apiVersion");
        var kind = obj.Get("kind") as string ?? throw new CloudApiException(400, "Invalid", "the object has no kind");
        var md = obj.Get("metadata") as Dict ?? throw new CloudApiException(400, "Invalid", $"the {kind} has no metadata");
        var name = md.Get("name") as string ?? throw new CloudApiException(400, "Invalid", $"the {kind} has no metadata.name");
        var type = await _api.ResolveAsync(apiVersion, kind, ct);
        string? ns = null;
        if (type.Namespaced)
        {
            ns = md.Get("namespace") as string ?? _args.Str("namespace") ?? "default";
            md["namespace"] = ns;
        }
        var what = $"{kind} {(ns is null ? "" : ns + "/")}{name}";
        var existing = await _api.GetAsync(type, ns, name, ct);
        var plan = new Plan();

        if (State == "absent")
        {
            _results.Add(new Dict { ["changed"] = existing is not null, ["method"] = "delete", ["result"] = existing ?? new Dict() });
            if (existing is null) return (plan, null);
            var propagation = (_args.Get("delete_options") as Dict)?.Get("propagationPolicy") as string ?? "Background";
            plan.Diff = CloudSteps.Diff(existing, null);
            return (plan.Add(Call($"delete {what} (propagationPolicy {propagation})", label, t => _api.DeleteAsync(type, ns, name, propagation, t))), null);
        }

        if (existing is null && State == "patched")
        {
            _results.Add(new Dict { ["changed"] = false, ["result"] = new Dict() });
            plan.Warnings.Add($"resource {Label(obj, ns)} does not exist, cannot patch it");
            return (plan, null);
        }

        // the object's result: the would-be object, replaced by the API's reply once the write ran
        var r = new Dict { ["changed"] = true };
        _results.Add(r);
        Dict after;
        string? verb = null; // the write's step, or null for none
        Func<CancellationToken, Task<Dict>>? write = null;
        if (existing is null)
        {
            (r["method"], after, verb) = ("create", obj, "create");
            write = t => _api.CreateAsync(type, ns, obj, t);
        }
        else if (Compare.IsSubset(obj, existing))
        {
            (r["changed"], r["method"], after) = (false, "update", existing);
        }
        else if (_args.Bool("force") && State != "patched")
        {
            var replacement = obj.DeepCopy();
            if (existing.Get("metadata") is Dict emd && emd.Get("resourceVersion") is { } rv) ((Dict)replacement["metadata"]!)["resourceVersion"] = rv;
            (r["method"], after, verb) = ("replace", replacement, "replace");
            write = t => _api.ReplaceAsync(type, ns, name, replacement, t);
        }
        else
        {
            (r["method"], after, verb) = (_args.Bool("apply") ? "apply" : "patch", Data.Merge(existing, obj), "merge-patch");
            write = t => _api.MergePatchAsync(type, ns, name, obj, t);
        }
        r["result"] = after;
        if (write is not null) plan.Add(Call($"{verb} {what}", label, async t => r["result"] = after = await write(t)));
        if (_args.Bool("wait"))
            plan.Add(Call($"wait for {what}", label, async t =>
            {
                var sw = Stopwatch.StartNew();
                var (now, error) = await K8sWait.UntilReadyAsync(_api, type, ns, name, _args, t);
                r["duration"] = (long)sw.Elapsed.TotalSeconds;
                if (now is not null) r["result"] = now;
                if (error is not null) throw new RunnerException(error);
            }) with { CountsAsChange = false });
        return (plan, write is null ? null : () => CloudSteps.Diff(existing, after));
    }

    /// <summary>A step running <paramref name="call"/>; API errors and an unreachable server fail the task naming <paramref name="label"/>.</summary>
    private CallStep Call(string what, string label, Func<CancellationToken, Task> call) =>
        CloudSteps.Call(what, e => Failure(label, e), async t =>
        {
            try { await call(t); }
            catch (HttpRequestException e) { throw new RunnerException(Unreachable(label, e)); }
        });

    private string Failure(string label, CloudApiException e) => $"Failed to {State} {label}: {e.Code}: {e.Message}";

    private static string Unreachable(string label, HttpRequestException e) => $"Failed to reach the Kubernetes API for {label}: {e.Message}";

    private static string Label(Dict obj, string? ns)
    {
        var md = obj.Get("metadata") as Dict;
        var n = md?.Get("namespace") as string ?? ns;
        return $"{obj.Get("kind")} {(n is null ? "" : n + "/")}{md?.Get("name")}";
    }
}

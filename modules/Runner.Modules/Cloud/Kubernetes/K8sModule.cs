using System.Diagnostics;
using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>
/// k8s (kubernetes.core.k8s, https://docs.ansible.com/ansible/latest/collections/kubernetes/core/k8s_module.html):
/// creates, updates or deletes the objects in definition (mapping, list or multi-document YAML), src (a controller
/// file) or template (a role template rendered with the task's variables; a path or {path: ...}). namespace fills
/// objects that name none. present: missing objects are created; existing ones are left alone when every given field
/// already has that value, else replaced (force) or merge-patched (apply and the default). absent: deleted
/// (delete_options.propagationPolicy, Background unless given).
/// wait: a Job waits for Complete or Failed (a Failed Job fails the task with its pods' last log lines), a Pod for
/// Ready, a Deployment for its replicas to be available, other kinds for existence; wait_condition {type, status,
/// reason} waits for that condition; wait_timeout seconds (120), wait_sleep seconds between polls (5).
/// Check mode sends no write request and reports the planned change with a diff. Returns changed, method and
/// result (the object) for one object, result.results (one per object) for several.
/// </summary>
public sealed class K8sModule : IModule
{
    /// <summary>Builds the API client for a task (through the node's SSH tunnel on a remote node); replaceable for tests.</summary>
    public Func<ModuleContext, CancellationToken, Task<K8sClientHandle>> ClientFactory { get; init; } = K8sConnection.CreateAsync;

    public string Name => "k8s";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("state", Default: "present", Choices: new[] { "present", "absent", "patched" }),
        new("definition", OptionType.Raw, Aliases: new[] { "resource_definition" }), new("src", OptionType.Path),
        new("template", OptionType.Raw), new("namespace"), new("name"), new("kind"), new("api_version", Default: "v1", Aliases: new[] { "api", "version" }),
        new("force", OptionType.Bool, Default: false), new("apply", OptionType.Bool, Default: false),
        new("wait", OptionType.Bool, Default: false), new("wait_timeout", OptionType.Int, Default: 120L),
        new("wait_sleep", OptionType.Int, Default: 5L), new("wait_condition", OptionType.Dict),
        new("delete_options", OptionType.Dict), new("log_lines", OptionType.Int, Default: 20L),
    }.Concat(K8sConnection.Options).ToArray(), RunsOnController: true);

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        List<Dict> objects;
        try { objects = LoadObjects(ctx); }
        catch (Exception e) when (e is FormatException or RunnerException or TemplateError or IOException)
        {
            return Results.Fail(e is RunnerException re ? re.Message : e.Message);
        }
        if (objects.Count == 0)
        {
            if (a.Str("kind") is { } kind && a.Str("name") is { } name)
                objects.Add(new Dict { ["apiVersion"] = a.Str("api_version"), ["kind"] = kind, ["metadata"] = new Dict { ["name"] = name } });
            else return Results.Fail("one of the following is required: definition, src, template, or kind and name");
        }

        K8sClientHandle handle;
        try { handle = await ClientFactory(ctx, ct); }
        catch (CloudApiException e) { return Results.Fail(e.Message); }
        await using var _ = handle;
        var api = new K8sApi(handle.Client);
        var results = new List<Dict>();
        var changed = false;
        foreach (var obj in objects)
        {
            var label = Label(obj, a.Str("namespace"));
            try
            {
                var r = await ApplyOneAsync(ctx, api, obj, ct);
                changed |= r.Get("changed") is true;
                results.Add(r);
                if (Results.IsFailed(r)) return Finish(results, changed, failed: r);
            }
            catch (CloudApiException e)
            {
                return Finish(results, changed, Results.Fail($"Failed to {a.Str("state")} {label}: {e.Code}: {e.Message}"));
            }
            catch (HttpRequestException e)
            {
                return Finish(results, changed, Results.Fail($"Failed to reach the Kubernetes API for {label}: {e.Message}"));
            }
        }
        return Finish(results, changed, null);
    }

    private static Dict Finish(List<Dict> results, bool changed, Dict? failed)
    {
        Dict r;
        if (results.Count == 1 && failed is null) r = results[0];
        else
        {
            r = new Dict { ["changed"] = changed, ["result"] = new Dict { ["results"] = results.Select(x => (object?)x).ToList() } };
            if (failed is not null) { r["failed"] = true; r["msg"] = failed.Get("msg"); }
        }
        r["changed"] = changed;
        return r;
    }

    private List<Dict> LoadObjects(ModuleContext ctx)
    {
        var a = ctx.Args;
        if (a.Get("definition") is { } def) return Manifests.Read(def);
        if (a.Str("src") is { } src)
        {
            var path = ctx.FindFile(src, "files") ?? throw new IOException($"Could not find or access '{src}'");
            return Manifests.Read(File.ReadAllText(path), path);
        }
        if (a.Get("template") is { } tpl)
        {
            var rel = tpl is Dict td ? td.Get("path") as string : tpl as string;
            if (rel is null) throw new FormatException("template must be a path or a mapping with path");
            var path = ctx.FindFile(rel, "templates") ?? throw new IOException($"Could not find or access '{rel}'");
            var text = ctx.Templar.RenderTemplateFile(File.ReadAllText(path), ctx.Variables, path);
            return Manifests.Read(text, path);
        }
        return new List<Dict>();
    }

    private static string Label(Dict obj, string? ns)
    {
        var md = obj.Get("metadata") as Dict;
        var n = md?.Get("namespace") as string ?? ns;
        return $"{obj.Get("kind")} {(n is null ? "" : n + "/")}{md?.Get("name")}";
    }

    private async Task<Dict> ApplyOneAsync(ModuleContext ctx, K8sApi api, Dict obj, CancellationToken ct)
    {
        var a = ctx.Args;
        obj = obj.DeepCopy();
        var apiVersion = obj.Get("apiVersion") as string ?? throw new CloudApiException(400, "Invalid", "the object has no apiVersion");
        var kind = obj.Get("kind") as string ?? throw new CloudApiException(400, "Invalid", "the object has no kind");
        var md = obj.Get("metadata") as Dict ?? throw new CloudApiException(400, "Invalid", $"the {kind} has no metadata");
        var name = md.Get("name") as string ?? throw new CloudApiException(400, "Invalid", $"the {kind} has no metadata.name");
        var type = await api.ResolveAsync(apiVersion, kind, ct);
        string? ns = null;
        if (type.Namespaced)
        {
            ns = md.Get("namespace") as string ?? a.Str("namespace") ?? "default";
            md["namespace"] = ns;
        }
        var existing = await api.GetAsync(type, ns, name, ct);
        var state = a.Str("state");

        if (state == "absent")
        {
            if (existing is null) return new Dict { ["changed"] = false, ["method"] = "delete", ["result"] = new Dict() };
            var propagation = (a.Get("delete_options") as Dict)?.Get("propagationPolicy") as string ?? "Background";
            if (!ctx.CheckMode) await api.DeleteAsync(type, ns, name, propagation, ct);
            var del = new Dict { ["changed"] = true, ["method"] = "delete", ["result"] = existing };
            return DiffOf.With(del, ctx.DiffMode, existing, null);
        }

        Dict result;
        string method;
        var changed = true;
        if (existing is null)
        {
            if (state == "patched") return new Dict { ["changed"] = false, ["result"] = new Dict(), ["warnings"] = new List<object?> { $"resource {Label(obj, ns)} does not exist, cannot patch it" } };
            method = "create";
            result = ctx.CheckMode ? obj : await api.CreateAsync(type, ns, obj, ct);
        }
        else if (Compare.IsSubset(obj, existing))
        {
            method = "update";
            changed = false;
            result = existing;
        }
        else if (a.Bool("force") && state != "patched")
        {
            method = "replace";
            var replacement = obj.DeepCopy();
            if (existing.Get("metadata") is Dict emd && emd.Get("resourceVersion") is { } rv) ((Dict)replacement["metadata"]!)["resourceVersion"] = rv;
            result = ctx.CheckMode ? replacement : await api.ReplaceAsync(type, ns, name, replacement, ct);
        }
        else
        {
            method = a.Bool("apply") ? "apply" : "patch";
            result = ctx.CheckMode ? Data.Merge(existing, obj) : await api.MergePatchAsync(type, ns, name, obj, ct);
        }
        var r = new Dict { ["changed"] = changed, ["method"] = method, ["result"] = result };
        if (changed) DiffOf.With(r, ctx.DiffMode, existing, result);

        if (a.Bool("wait") && !ctx.CheckMode)
        {
            var sw = Stopwatch.StartNew();
            var waited = await WaitAsync(ctx, api, type, ns, name, ct);
            r["duration"] = (long)sw.Elapsed.TotalSeconds;
            if (waited.Error is not null) { r["failed"] = true; r["msg"] = waited.Error; }
            if (waited.Object is not null) r["result"] = waited.Object;
        }
        return r;
    }

    private async Task<(Dict? Object, string? Error)> WaitAsync(ModuleContext ctx, K8sApi api, K8sResourceType type, string? ns, string name, CancellationToken ct)
    {
        var a = ctx.Args;
        var deadline = DateTime.UtcNow.AddSeconds(a.Long("wait_timeout", 120));
        var sleep = TimeSpan.FromSeconds(Math.Max(0, a.Long("wait_sleep", 5)));
        var cond = a.Get("wait_condition") as Dict;
        var label = $"{type.Kind} {(ns is null ? "" : ns + "/")}{name}";
        Dict? obj = null;
        while (true)
        {
            obj = await api.GetAsync(type, ns, name, ct);
            if (obj is not null)
            {
                var verdict = K8sWait.Check(type.Kind, obj, cond);
                if (verdict == K8sWait.Verdict.Done) return (obj, null);
                if (verdict == K8sWait.Verdict.Failed)
                {
                    var logs = type.Kind == "Job" ? await K8sWait.JobPodLogsAsync(api, ns!, name, (int)a.Long("log_lines", 20), ct) : "";
                    return (obj, $"{label} failed: {K8sWait.FailureReason(obj)}{logs}");
                }
            }
            if (DateTime.UtcNow >= deadline)
                return (obj, $"Timed out after {a.Long("wait_timeout", 120)}s waiting for {label}" +
                    (cond is not null ? $" to reach condition {cond.Get("type")}={cond.Get("status") ?? "True"}" : " to be ready"));
            await Task.Delay(sleep, ct);
        }
    }
}

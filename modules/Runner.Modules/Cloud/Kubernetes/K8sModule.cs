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
/// The module probes (discovery, GET) and plans (<see cref="K8sApply"/>): the writes and the wait are
/// <see cref="CallStep"/>s, so check mode sends no write request and reports the planned change, whose `result` is
/// the would-be object (create: the object as sent; replace: it with the live resourceVersion; merge: the live object
/// merged with the patch; delete: the live object). Returns changed, method and result (the object) for one object,
/// result.results (one per object) for several; diff {before, after} per changed object in diff mode.
/// </summary>
public sealed class K8sModule : PlanningModule
{
    /// <summary>Builds the API client for a task (through the node's SSH tunnel on a remote node); replaceable for tests.</summary>
    public Func<PlanContext, CancellationToken, Task<K8sClientHandle>> ClientFactory { get; init; } = K8sConnection.CreateAsync;

    /// <inheritdoc/>
    public override string Name => "k8s";

    /// <inheritdoc/>
    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("state", Default: "present", Choices: new[] { "present", "absent", "patched" }),
        new("definition", OptionType.Raw, Aliases: new[] { "resource_definition" }), new("src", OptionType.Path),
        new("template", OptionType.Raw), new("namespace"), new("name"), new("kind"), new("api_version", Default: "v1", Aliases: new[] { "api", "version" }),
        new("force", OptionType.Bool, Default: false), new("apply", OptionType.Bool, Default: false),
        new("wait", OptionType.Bool, Default: false), new("wait_timeout", OptionType.Int, Default: 120L),
        new("wait_sleep", OptionType.Int, Default: 5L), new("wait_condition", OptionType.Dict),
        new("delete_options", OptionType.Dict), new("log_lines", OptionType.Int, Default: 20L),
    }.Concat(K8sConnection.Options).ToArray(), RunsOnController: true);

    /// <inheritdoc/>
    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        List<Dict> objects;
        try { objects = LoadObjects(ctx); }
        catch (Exception e) when (e is FormatException or RunnerException or TemplateError or IOException)
        {
            return Plan.Fail(e.Message);
        }
        if (objects.Count == 0)
        {
            if (a.Str("kind") is { } kind && a.Str("name") is { } name)
                objects.Add(new Dict { ["apiVersion"] = a.Str("api_version"), ["kind"] = kind, ["metadata"] = new Dict { ["name"] = name } });
            else return Plan.Fail("one of the following is required: definition, src, template, or kind and name");
        }

        K8sClientHandle handle;
        try { handle = await ClientFactory(ctx, ct); }
        catch (CloudApiException e) { return Plan.Fail(e.Message); }
        try { return (await new K8sApply(a, new K8sApi(handle.Client), objects).PlanAsync(ct)).Owning(handle); }
        catch
        {
            await handle.DisposeAsync();
            throw;
        }
    }

    private static List<Dict> LoadObjects(PlanContext ctx)
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
}

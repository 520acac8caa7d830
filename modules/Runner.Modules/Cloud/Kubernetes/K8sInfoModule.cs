using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>
/// k8s_info (kubernetes.core.k8s_info): lists objects of kind/api_version, optionally one by name, in a namespace
/// (all namespaces when omitted), filtered by label_selectors (list of "key=value" / "key!=value" / "key") and
/// field_selectors. Returns resources (a list of objects) and api_found. Never changes anything: its plan has no step.
/// </summary>
public sealed class K8sInfoModule : PlanningModule
{
    /// <summary>Builds the API client for a task; replaceable like <see cref="K8sModule.ClientFactory"/>.</summary>
    public Func<PlanContext, CancellationToken, Task<K8sClientHandle>> ClientFactory { get; init; } = K8sConnection.CreateAsync;

    /// <inheritdoc/>
    public override string Name => "k8s_info";

    /// <inheritdoc/>
    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("kind", Required: true), new("api_version", Default: "v1", Aliases: new[] { "api", "version" }), new("name"), new("namespace"),
        new("label_selectors", OptionType.List, Elements: OptionType.Str), new("field_selectors", OptionType.List, Elements: OptionType.Str),
    }.Concat(K8sConnection.Options).ToArray(), RunsOnController: true);

    /// <inheritdoc/>
    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var kind = a.Str("kind")!;
        var ns = a.Str("namespace");
        try
        {
            await using var handle = await ClientFactory(ctx, ct);
            var api = new K8sApi(handle.Client);
            K8sResourceType type;
            try { type = await api.ResolveAsync(a.Str("api_version")!, kind, ct); }
            catch (CloudApiException e) when (e.StatusCode == 404)
            {
                return Plan.Ok(new Dict { ["resources"] = new List<object?>(), ["api_found"] = false });
            }
            List<Dict> items;
            if (a.Str("name") is { } name)
            {
                var one = await api.GetAsync(type, type.Namespaced ? ns ?? "default" : null, name, ct);
                items = one is null ? new() : new() { one };
            }
            else
                items = await api.ListAsync(type, type.Namespaced ? ns : null, string.Join(',', a.StrList("label_selectors")),
                    string.Join(',', a.StrList("field_selectors")), ct);
            return Plan.Ok(new Dict { ["resources"] = items.Select(i => (object?)i).ToList(), ["api_found"] = true });
        }
        catch (CloudApiException e)
        {
            return Plan.Fail($"Failed to list {kind} objects{(ns is null ? "" : " in namespace " + ns)}: {e.Code}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return Plan.Fail($"Failed to reach the Kubernetes API: {e.Message}");
        }
    }
}

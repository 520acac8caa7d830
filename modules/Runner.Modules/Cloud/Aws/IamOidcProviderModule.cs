using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Cloud.Tls;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Aws;

/// <summary>
/// iam_openid_connect_provider (amazon.aws; IAM API CreateOpenIDConnectProvider and friends): keeps an IAM OIDC
/// identity provider for <c>url</c>. The provider is found by URL among ListOpenIDConnectProviders; client IDs are
/// added and removed one by one, thumbprints replaced with UpdateOpenIDConnectProviderThumbprint, tags set and purged.
/// When thumbprint_list is omitted on create, the thumbprint is computed as AWS documents
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html): the
/// SHA-1 of the last certificate the jwks_uri host serves. Returns arn and open_id_connect_provider
/// {arn, url, client_id_list, thumbprint_list, tags, create_date}; diff {before, after}. Reads (list, get, the
/// thumbprint) happen while planning; every change is a <see cref="CallStep"/>.
/// </summary>
public sealed class IamOidcProviderModule : PlanningModule
{
    /// <summary>Computes the thumbprint for an issuer URL; replaceable in tests.</summary>
    public Func<string, bool, CancellationToken, Task<string>> ThumbprintResolver { get; init; } = OidcThumbprint.ComputeAsync;

    public override string Name => "iam_openid_connect_provider";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("url", Required: true), new("client_id_list", OptionType.List, Elements: OptionType.Str),
        new("thumbprint_list", OptionType.List, Elements: OptionType.Str), new("tags", OptionType.Dict, Aliases: new[] { "resource_tags" }),
        new("purge_tags", OptionType.Bool, Default: true),
        new("state", Default: "present", Choices: new[] { "present", "absent" }),
    }.Concat(AwsSettings.Options).ToArray(), RunsOnController: true) { NeedsConnection = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var url = a.Str("url")!.Trim();
        var bare = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url[8..] : url;
        bare = bare.TrimEnd('/');
        var wanted = "https://" + bare;
        var failure = $"Failed to manage the OpenID Connect provider for {wanted}: ";
        try
        {
            var iam = new IamClient(CloudHttp.For(a.Bool("validate_certs", true)), AwsSettings.Resolve(a, ctx.Environment));
            var arns = await iam.ListOpenIdConnectProvidersAsync(ct);
            var arn = arns.FirstOrDefault(x => x.EndsWith(":oidc-provider/" + bare, StringComparison.Ordinal));
            var current = arn is null ? null : await iam.GetOpenIdConnectProviderAsync(arn, ct);
            CallStep Call(string what, Func<CancellationToken, Task> call) => CloudSteps.Call(what, e => failure + e.Describe(), call);

            if (a.Str("state") == "absent")
            {
                if (current is null) return Plan.Ok();
                return new Plan { Result = new Dict { ["arn"] = current.Arn }, Diff = CloudSteps.Diff(Describe(current), null) }
                    .Add(Call("DeleteOpenIDConnectProvider " + current.Arn, t => iam.DeleteOpenIdConnectProviderAsync(current.Arn, t)));
            }

            var clientIds = a.Has("client_id_list") ? a.StrList("client_id_list") : null;
            var thumbs = a.Has("thumbprint_list") ? a.StrList("thumbprint_list").Select(t => t.ToLowerInvariant()).ToList() : null;
            var tags = TagDiff.FromOption(a.Get("tags"));

            if (current is null)
            {
                thumbs ??= new List<string> { await ThumbprintResolver(wanted, a.Bool("validate_certs", true), ct) };
                var planned = new OidcProvider("", bare, clientIds ?? new(), thumbs, tags ?? new(), null);
                OidcProvider? created = null;
                var create = new Plan { Result = new Dict { ["open_id_connect_provider"] = Describe(planned) } }
                    .Add(CloudSteps.Call("CreateOpenIDConnectProvider " + wanted, e => failure + e.Describe(), async t =>
                    {
                        var newArn = await iam.CreateOpenIdConnectProviderAsync(wanted, clientIds ?? new(), thumbs, tags ?? new(), t);
                        created = await iam.GetOpenIdConnectProviderAsync(newArn, t);
                        return new Dict { ["arn"] = newArn, ["open_id_connect_provider"] = Describe(created) };
                    }));
                // the diff shows the provider as created, or in check mode as planned
                create.Then = (_, _) => Task.FromResult(new Plan { Diff = CloudSteps.Diff(null, Describe(created ?? planned)) });
                return create;
            }

            var add = clientIds?.Where(c => !current.ClientIds.Contains(c)).Distinct().ToList() ?? new();
            var remove = clientIds is null ? new List<string>() : current.ClientIds.Where(c => !clientIds.Contains(c)).ToList();
            var thumbsDiffer = thumbs is not null && !thumbs.ToHashSet().SetEquals(current.Thumbprints.Select(t => t.ToLowerInvariant()));
            var (tagSet, tagRemove) = TagDiff.Compute(current.Tags, tags, a.Bool("purge_tags", true));

            var afterTags = new Dictionary<string, string>(current.Tags);
            foreach (var k in tagRemove) afterTags.Remove(k);
            foreach (var (k, v) in tagSet) afterTags[k] = v;
            var after = current with
            {
                ClientIds = current.ClientIds.Where(c => !remove.Contains(c)).Concat(add).ToList(),
                Thumbprints = thumbsDiffer ? thumbs! : current.Thumbprints, Tags = afterTags,
            };
            var plan = new Plan { Result = new Dict { ["arn"] = current.Arn, ["open_id_connect_provider"] = Describe(after) } };
            var target = current.Arn;
            foreach (var c in add) plan.Add(Call("AddClientIDToOpenIDConnectProvider " + c, t => iam.AddClientIdAsync(target, c, t)));
            foreach (var c in remove) plan.Add(Call("RemoveClientIDFromOpenIDConnectProvider " + c, t => iam.RemoveClientIdAsync(target, c, t)));
            if (thumbsDiffer) plan.Add(Call("UpdateOpenIDConnectProviderThumbprint", t => iam.UpdateThumbprintsAsync(target, thumbs!, t)));
            if (tagRemove.Count > 0) plan.Add(Call("UntagOpenIDConnectProvider", t => iam.UntagOpenIdConnectProviderAsync(target, tagRemove, t)));
            if (tagSet.Count > 0) plan.Add(Call("TagOpenIDConnectProvider", t => iam.TagOpenIdConnectProviderAsync(target, tagSet, t)));
            if (plan.Steps.Count == 0) return plan;
            // after the calls the provider is read back; in check mode (nothing ran) it is the one planned
            plan.Then = async (outcomes, t) =>
            {
                try
                {
                    var now = outcomes.All(o => o.Ran) ? await iam.GetOpenIdConnectProviderAsync(target, t) : after;
                    return new Plan { Result = new Dict { ["open_id_connect_provider"] = Describe(now) }, Diff = CloudSteps.Diff(Describe(current), Describe(now)) };
                }
                catch (CloudApiException e) { return Plan.Fail(failure + e.Describe()); }
            };
            return plan;
        }
        catch (CloudApiException e)
        {
            return Plan.Fail(failure + e.Describe());
        }
        catch (TlsChainException e)
        {
            return Plan.Fail($"Unable to compute the thumbprint of {wanted}: {e.Message}");
        }
    }

    private static Dict Describe(OidcProvider p) => new()
    {
        ["arn"] = p.Arn, ["url"] = p.Url,
        ["client_id_list"] = p.ClientIds.Select(c => (object?)c).ToList(),
        ["thumbprint_list"] = p.Thumbprints.Select(c => (object?)c).ToList(),
        ["tags"] = TagDiff.ToDict(p.Tags), ["create_date"] = p.CreateDate,
    };
}

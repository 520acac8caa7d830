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
/// {arn, url, client_id_list, thumbprint_list, tags, create_date}; diff {before, after} in diff/check mode.
/// </summary>
public sealed class IamOidcProviderModule : IModule
{
    /// <summary>Computes the thumbprint for an issuer URL; replaceable in tests.</summary>
    public Func<string, bool, CancellationToken, Task<string>> ThumbprintResolver { get; init; } = OidcThumbprint.ComputeAsync;

    public string Name => "iam_openid_connect_provider";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("url", Required: true), new("client_id_list", OptionType.List, Elements: OptionType.Str),
        new("thumbprint_list", OptionType.List, Elements: OptionType.Str), new("tags", OptionType.Dict, Aliases: new[] { "resource_tags" }),
        new("purge_tags", OptionType.Bool, Default: true),
        new("state", Default: "present", Choices: new[] { "present", "absent" }),
    }.Concat(AwsSettings.Options).ToArray(), RunsOnController: true);

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var url = a.Str("url")!.Trim();
        var bare = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url[8..] : url;
        bare = bare.TrimEnd('/');
        var wanted = "https://" + bare;
        try
        {
            var iam = new IamClient(CloudHttp.For(a.Bool("validate_certs", true)), AwsSettings.Resolve(ctx));
            var arns = await iam.ListOpenIdConnectProvidersAsync(ct);
            var arn = arns.FirstOrDefault(x => x.EndsWith(":oidc-provider/" + bare, StringComparison.Ordinal));
            var current = arn is null ? null : await iam.GetOpenIdConnectProviderAsync(arn, ct);
            var diffWanted = ctx.DiffMode;

            if (a.Str("state") == "absent")
            {
                if (current is null) return Results.Ok(false);
                if (!ctx.CheckMode) await iam.DeleteOpenIdConnectProviderAsync(current.Arn, ct);
                return DiffOf.With(Results.Ok(true, new Dict { ["arn"] = current.Arn }), diffWanted, Describe(current), null);
            }

            var clientIds = a.Has("client_id_list") ? a.StrList("client_id_list") : null;
            var thumbs = a.Has("thumbprint_list") ? a.StrList("thumbprint_list").Select(t => t.ToLowerInvariant()).ToList() : null;
            var tags = TagDiff.FromOption(a.Get("tags"));

            if (current is null)
            {
                thumbs ??= new List<string> { await ThumbprintResolver(wanted, a.Bool("validate_certs", true), ct) };
                var planned = new OidcProvider("", bare, clientIds ?? new(), thumbs, tags ?? new(), null);
                if (ctx.CheckMode)
                    return DiffOf.With(Results.Ok(true, new Dict { ["open_id_connect_provider"] = Describe(planned) }), diffWanted, null, Describe(planned));
                var newArn = await iam.CreateOpenIdConnectProviderAsync(wanted, clientIds ?? new(), thumbs, tags ?? new(), ct);
                var created = await iam.GetOpenIdConnectProviderAsync(newArn, ct);
                return DiffOf.With(Results.Ok(true, new Dict { ["arn"] = newArn, ["open_id_connect_provider"] = Describe(created) }),
                    diffWanted, null, Describe(created));
            }

            var add = clientIds?.Where(c => !current.ClientIds.Contains(c)).Distinct().ToList() ?? new();
            var remove = clientIds is null ? new List<string>() : current.ClientIds.Where(c => !clientIds.Contains(c)).ToList();
            var thumbsDiffer = thumbs is not null && !thumbs.ToHashSet().SetEquals(current.Thumbprints.Select(t => t.ToLowerInvariant()));
            var (tagSet, tagRemove) = TagDiff.Compute(current.Tags, tags, a.Bool("purge_tags", true));
            var changed = add.Count + remove.Count + tagSet.Count + tagRemove.Count > 0 || thumbsDiffer;

            var afterTags = new Dictionary<string, string>(current.Tags);
            foreach (var k in tagRemove) afterTags.Remove(k);
            foreach (var (k, v) in tagSet) afterTags[k] = v;
            var after = current with
            {
                ClientIds = current.ClientIds.Where(c => !remove.Contains(c)).Concat(add).ToList(),
                Thumbprints = thumbsDiffer ? thumbs! : current.Thumbprints, Tags = afterTags,
            };
            if (changed && !ctx.CheckMode)
            {
                foreach (var c in add) await iam.AddClientIdAsync(current.Arn, c, ct);
                foreach (var c in remove) await iam.RemoveClientIdAsync(current.Arn, c, ct);
                if (thumbsDiffer) await iam.UpdateThumbprintsAsync(current.Arn, thumbs!, ct);
                if (tagRemove.Count > 0) await iam.UntagOpenIdConnectProviderAsync(current.Arn, tagRemove, ct);
                if (tagSet.Count > 0) await iam.TagOpenIdConnectProviderAsync(current.Arn, tagSet, ct);
                after = await iam.GetOpenIdConnectProviderAsync(current.Arn, ct);
            }
            var result = Results.Ok(changed, new Dict { ["arn"] = current.Arn, ["open_id_connect_provider"] = Describe(after) });
            return changed ? DiffOf.With(result, diffWanted, Describe(current), Describe(after)) : result;
        }
        catch (CloudApiException e)
        {
            return Results.Fail($"Failed to manage the OpenID Connect provider for {wanted}: {e.Describe()}");
        }
        catch (TlsChainException e)
        {
            return Results.Fail($"Unable to compute the thumbprint of {wanted}: {e.Message}");
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

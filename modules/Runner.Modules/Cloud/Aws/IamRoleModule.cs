using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Aws;

/// <summary>
/// iam_role (community.aws.iam_role, https://docs.ansible.com/ansible/latest/collections/community/aws/iam_role_module.html):
/// keeps an IAM role: assume_role_policy_document (mapping or JSON, compared by meaning), description,
/// max_session_duration, managed_policies (ARNs; a bare name means the AWS-managed policy arn:aws:iam::aws:policy/NAME)
/// with purge_policies, tags with purge_tags; state absent detaches managed policies and deletes the role.
/// The path of an existing role is not changed (IAM cannot). Instance profiles and permissions boundaries are not managed.
/// Returns iam_role {path, role_name, role_id, arn, create_date, assume_role_policy_document, description,
/// max_session_duration, attached_policies, tags}; diff {before, after} in diff/check mode.
/// </summary>
public sealed class IamRoleModule : IModule
{
    public string Name => "iam_role";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("name", Required: true, Aliases: new[] { "role_name" }), new("path", Default: "/", Aliases: new[] { "path_prefix", "prefix" }),
        new("description"), new("assume_role_policy_document", OptionType.Raw),
        new("managed_policies", OptionType.List, Elements: OptionType.Str, Aliases: new[] { "managed_policy" }),
        new("purge_policies", OptionType.Bool, Default: true, Aliases: new[] { "purge_policy", "purge_managed_policies" }),
        new("max_session_duration", OptionType.Int), new("tags", OptionType.Dict, Aliases: new[] { "resource_tags" }),
        new("purge_tags", OptionType.Bool, Default: true),
        new("state", Default: "present", Choices: new[] { "present", "absent" }),
    }.Concat(AwsSettings.Options).ToArray(), RunsOnController: true);

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var name = a.Str("name")!;
        try
        {
            var iam = new IamClient(CloudHttp.For(a.Bool("validate_certs", true)), AwsSettings.Resolve(ctx));
            var role = await iam.GetRoleAsync(name, ct);
            var policies = role is null ? new List<AttachedPolicy>() : await iam.ListAttachedRolePoliciesAsync(name, ct);

            if (a.Str("state") == "absent")
            {
                if (role is null) return Results.Ok(false);
                if (!ctx.CheckMode)
                {
                    foreach (var p in policies) await iam.DetachRolePolicyAsync(name, p.PolicyArn, ct);
                    await iam.DeleteRoleAsync(name, ct);
                }
                return DiffOf.With(Results.Ok(true), ctx.DiffMode, Describe(role, policies), null);
            }

            Dict? policy = null;
            if (a.Get("assume_role_policy_document") is { } doc)
            {
                try { policy = PolicyDocument.Parse(doc); }
                catch (FormatException e) { return Results.Fail($"assume_role_policy_document of role {name}: {e.Message}"); }
            }
            var wantedArns = a.Has("managed_policies")
                ? a.StrList("managed_policies").Select(p => p.StartsWith("arn:", StringComparison.Ordinal) ? p : "arn:aws:iam::aws:policy/" + p).Distinct().ToList()
                : null;
            var tags = TagDiff.FromOption(a.Get("tags"));
            var description = a.Str("description");
            long? maxSession = a.Has("max_session_duration") ? a.Long("max_session_duration") : null;

            if (role is null)
            {
                if (policy is null) return Results.Fail($"Role {name} does not exist: assume_role_policy_document is required to create it");
                var policyJson = JsonData.Dumps(policy);
                if (ctx.CheckMode)
                {
                    var planned = new IamRole(name, a.Str("path") ?? "/", "", "", null, policyJson, description, maxSession ?? 3600, tags ?? new());
                    var plannedPolicies = (wantedArns ?? new()).Select(x => new AttachedPolicy(x.Split('/')[^1], x)).ToList();
                    return DiffOf.With(Results.Ok(true, new Dict { ["iam_role"] = Describe(planned, plannedPolicies) }), ctx.DiffMode, null, Describe(planned, plannedPolicies));
                }
                var created = await iam.CreateRoleAsync(name, a.Str("path") ?? "/", policyJson, description, maxSession, tags ?? new(), ct);
                foreach (var arn in wantedArns ?? new()) await iam.AttachRolePolicyAsync(name, arn, ct);
                var attached = await iam.ListAttachedRolePoliciesAsync(name, ct);
                return DiffOf.With(Results.Ok(true, new Dict { ["iam_role"] = Describe(created, attached) }), ctx.DiffMode, null, Describe(created, attached));
            }

            var currentPolicy = SafeParse(role.AssumeRolePolicyDocument);
            var policyChanged = policy is not null && !PolicyDocument.SameMeaning(policy, currentPolicy);
            var descChanged = description is not null && description != (role.Description ?? "");
            var sessionChanged = maxSession is not null && maxSession != role.MaxSessionDuration;
            var currentArns = policies.Select(p => p.PolicyArn).ToList();
            var attach = wantedArns?.Where(x => !currentArns.Contains(x)).ToList() ?? new();
            var detach = wantedArns is not null && a.Bool("purge_policies", true) ? currentArns.Where(x => !wantedArns.Contains(x)).ToList() : new();
            var (tagSet, tagRemove) = TagDiff.Compute(role.Tags, tags, a.Bool("purge_tags", true));
            var changed = policyChanged || descChanged || sessionChanged || attach.Count + detach.Count + tagSet.Count + tagRemove.Count > 0;

            var afterTags = new Dictionary<string, string>(role.Tags);
            foreach (var k in tagRemove) afterTags.Remove(k);
            foreach (var (k, v) in tagSet) afterTags[k] = v;
            var after = role with
            {
                AssumeRolePolicyDocument = policyChanged ? JsonData.Dumps(policy) : role.AssumeRolePolicyDocument,
                Description = descChanged ? description : role.Description,
                MaxSessionDuration = maxSession ?? role.MaxSessionDuration, Tags = afterTags,
            };
            var afterPolicies = policies.Where(p => !detach.Contains(p.PolicyArn)).Concat(attach.Select(x => new AttachedPolicy(x.Split('/')[^1], x))).ToList();
            if (changed && !ctx.CheckMode)
            {
                if (policyChanged) await iam.UpdateAssumeRolePolicyAsync(name, JsonData.Dumps(policy), ct);
                if (descChanged || sessionChanged) await iam.UpdateRoleAsync(name, description ?? role.Description, maxSession ?? role.MaxSessionDuration, ct);
                foreach (var x in attach) await iam.AttachRolePolicyAsync(name, x, ct);
                foreach (var x in detach) await iam.DetachRolePolicyAsync(name, x, ct);
                if (tagRemove.Count > 0) await iam.UntagRoleAsync(name, tagRemove, ct);
                if (tagSet.Count > 0) await iam.TagRoleAsync(name, tagSet, ct);
                after = (await iam.GetRoleAsync(name, ct))!;
                afterPolicies = await iam.ListAttachedRolePoliciesAsync(name, ct);
            }
            var result = Results.Ok(changed, new Dict { ["iam_role"] = Describe(after, afterPolicies) });
            return changed ? DiffOf.With(result, ctx.DiffMode, Describe(role, policies), Describe(after, afterPolicies)) : result;
        }
        catch (CloudApiException e)
        {
            return Results.Fail($"Unable to manage IAM role {name}: {e.Describe()}");
        }
    }

    private static object? SafeParse(string json)
    {
        try { return JsonData.Parse(json); }
        catch (System.Text.Json.JsonException) { return json; }
    }

    private static Dict Describe(IamRole r, List<AttachedPolicy> policies) => new()
    {
        ["path"] = r.Path, ["role_name"] = r.RoleName, ["role_id"] = r.RoleId, ["arn"] = r.Arn, ["create_date"] = r.CreateDate,
        ["assume_role_policy_document"] = SafeParse(r.AssumeRolePolicyDocument), ["description"] = r.Description,
        ["max_session_duration"] = r.MaxSessionDuration,
        ["attached_policies"] = policies.Select(p => (object?)new Dict { ["policy_name"] = p.PolicyName, ["policy_arn"] = p.PolicyArn }).ToList(),
        ["tags"] = TagDiff.ToDict(r.Tags),
    };
}

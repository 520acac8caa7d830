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
/// max_session_duration, attached_policies, tags}; diff {before, after}. Reads happen while planning; every change is a
/// <see cref="CallStep"/>, the role read back afterwards.
/// </summary>
public sealed class IamRoleModule : PlanningModule
{
    public override string Name => "iam_role";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("name", Required: true, Aliases: new[] { "role_name" }), new("path", Default: "/", Aliases: new[] { "path_prefix", "prefix" }),
        new("description"), new("assume_role_policy_document", OptionType.Raw),
        new("managed_policies", OptionType.List, Elements: OptionType.Str, Aliases: new[] { "managed_policy" }),
        new("purge_policies", OptionType.Bool, Default: true, Aliases: new[] { "purge_policy", "purge_managed_policies" }),
        new("max_session_duration", OptionType.Int), new("tags", OptionType.Dict, Aliases: new[] { "resource_tags" }),
        new("purge_tags", OptionType.Bool, Default: true),
        new("state", Default: "present", Choices: new[] { "present", "absent" }),
    }.Concat(AwsSettings.Options).ToArray(), RunsOnController: true) { NeedsConnection = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var name = a.Str("name")!;
        var failure = $"Unable to manage IAM role {name}: ";
        CallStep Call(string what, Func<CancellationToken, Task> call) => CloudSteps.Call(what, e => failure + e.Describe(), call);
        try
        {
            var iam = new IamClient(CloudHttp.For(a.Bool("validate_certs", true)), AwsSettings.Resolve(a, ctx.Environment));
            var role = await iam.GetRoleAsync(name, ct);
            var policies = role is null ? new List<AttachedPolicy>() : await iam.ListAttachedRolePoliciesAsync(name, ct);

            if (a.Str("state") == "absent")
            {
                if (role is null) return Plan.Ok();
                var remove = new Plan { Diff = CloudSteps.Diff(Describe(role, policies), null) };
                foreach (var p in policies) remove.Add(Call("DetachRolePolicy " + p.PolicyArn, t => iam.DetachRolePolicyAsync(name, p.PolicyArn, t)));
                return remove.Add(Call("DeleteRole " + name, t => iam.DeleteRoleAsync(name, t)));
            }

            Dict? policy = null;
            if (a.Get("assume_role_policy_document") is { } doc)
            {
                try { policy = PolicyDocument.Parse(doc); }
                catch (FormatException e) { return Plan.Fail($"assume_role_policy_document of role {name}: {e.Message}"); }
            }
            var wantedArns = a.Has("managed_policies")
                ? a.StrList("managed_policies").Select(p => p.StartsWith("arn:", StringComparison.Ordinal) ? p : "arn:aws:iam::aws:policy/" + p).Distinct().ToList()
                : null;
            var tags = TagDiff.FromOption(a.Get("tags"));
            var description = a.Str("description");
            long? maxSession = a.Has("max_session_duration") ? a.Long("max_session_duration") : null;

            if (role is null)
            {
                if (policy is null) return Plan.Fail($"Role {name} does not exist: assume_role_policy_document is required to create it");
                var policyJson = JsonData.Dumps(policy);
                var planned = new IamRole(name, a.Str("path") ?? "/", "", "", null, policyJson, description, maxSession ?? 3600, tags ?? new());
                var plannedPolicies = (wantedArns ?? new()).Select(x => new AttachedPolicy(x.Split('/')[^1], x)).ToList();
                IamRole? created = null;
                var create = new Plan().Add(Call("CreateRole " + name, async t =>
                    created = await iam.CreateRoleAsync(name, a.Str("path") ?? "/", policyJson, description, maxSession, tags ?? new(), t)));
                foreach (var arn in wantedArns ?? new()) create.Add(Call("AttachRolePolicy " + arn, t => iam.AttachRolePolicyAsync(name, arn, t)));
                // the role as created and its policies read back; in check mode (nothing ran) the role planned
                create.Then = async (_, t) =>
                {
                    try
                    {
                        var described = created is null ? Describe(planned, plannedPolicies) : Describe(created, await iam.ListAttachedRolePoliciesAsync(name, t));
                        return new Plan { Result = new Dict { ["iam_role"] = described }, Diff = CloudSteps.Diff(null, described) };
                    }
                    catch (CloudApiException e) { return Plan.Fail(failure + e.Describe()); }
                };
                return create;
            }

            var currentPolicy = SafeParse(role.AssumeRolePolicyDocument);
            var policyChanged = policy is not null && !PolicyDocument.SameMeaning(policy, currentPolicy);
            var descChanged = description is not null && description != (role.Description ?? "");
            var sessionChanged = maxSession is not null && maxSession != role.MaxSessionDuration;
            var currentArns = policies.Select(p => p.PolicyArn).ToList();
            var attach = wantedArns?.Where(x => !currentArns.Contains(x)).ToList() ?? new();
            var detach = wantedArns is not null && a.Bool("purge_policies", true) ? currentArns.Where(x => !wantedArns.Contains(x)).ToList() : new();
            var (tagSet, tagRemove) = TagDiff.Compute(role.Tags, tags, a.Bool("purge_tags", true));

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
            var plan = new Plan { Result = new Dict { ["iam_role"] = Describe(after, afterPolicies) } };
            if (policyChanged) plan.Add(Call("UpdateAssumeRolePolicy " + name, t => iam.UpdateAssumeRolePolicyAsync(name, JsonData.Dumps(policy), t)));
            if (descChanged || sessionChanged) plan.Add(Call("UpdateRole " + name, t => iam.UpdateRoleAsync(name, description ?? role.Description, maxSession ?? role.MaxSessionDuration, t)));
            foreach (var x in attach) plan.Add(Call("AttachRolePolicy " + x, t => iam.AttachRolePolicyAsync(name, x, t)));
            foreach (var x in detach) plan.Add(Call("DetachRolePolicy " + x, t => iam.DetachRolePolicyAsync(name, x, t)));
            if (tagRemove.Count > 0) plan.Add(Call("UntagRole " + name, t => iam.UntagRoleAsync(name, tagRemove, t)));
            if (tagSet.Count > 0) plan.Add(Call("TagRole " + name, t => iam.TagRoleAsync(name, tagSet, t)));
            if (plan.Steps.Count == 0) return plan;
            // the role read back after the calls; in check mode (nothing ran) the role planned
            plan.Then = async (outcomes, t) =>
            {
                try
                {
                    var now = outcomes.All(o => o.Ran) ? Describe((await iam.GetRoleAsync(name, t))!, await iam.ListAttachedRolePoliciesAsync(name, t)) : Describe(after, afterPolicies);
                    return new Plan { Result = new Dict { ["iam_role"] = now }, Diff = CloudSteps.Diff(Describe(role, policies), now) };
                }
                catch (CloudApiException e) { return Plan.Fail(failure + e.Describe()); }
            };
            return plan;
        }
        catch (CloudApiException e)
        {
            return Plan.Fail(failure + e.Describe());
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

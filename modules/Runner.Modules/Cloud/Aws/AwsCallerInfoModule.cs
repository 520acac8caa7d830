using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Aws;

/// <summary>
/// aws_caller_info (amazon.aws.aws_caller_info): calls STS GetCallerIdentity with the resolved credentials and
/// returns account, arn and user_id (account_alias is not looked up). A read: the plan has no step.
/// </summary>
public sealed class AwsCallerInfoModule : PlanningModule
{
    public override string Name => "aws_caller_info";

    public override ModuleSpec Spec { get; } = new(AwsSettings.Options, RunsOnController: true) { NeedsConnection = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        try
        {
            var sts = new StsClient(CloudHttp.For(ctx.Args.Bool("validate_certs", true)), AwsSettings.Resolve(ctx.Args, ctx.Environment));
            var (account, arn, userId) = await sts.GetCallerIdentityAsync(ct);
            return Plan.Ok(new Dict { ["account"] = account, ["arn"] = arn, ["user_id"] = userId });
        }
        catch (CloudApiException e)
        {
            return Plan.Fail($"Failed to retrieve caller identity: {e.Describe()}");
        }
    }
}

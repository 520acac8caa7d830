using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.raw: sends the free-form text to the target's shell as it is
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/raw_module.html). The text is the plan's one
/// step. Output is not stripped; rc != 0 fails with "non-zero return code" (changed); check mode skips the task
/// with msg "check mode not supported for raw". `executable` runs the text with that shell's -c.
/// </summary>
public sealed class RawModule : PlanningModule
{
    public override string Name => "raw";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[] { new("_raw_params"), new("executable") }, FreeForm: true) { FreeFormCommand = true, Invocation = null, SupportsAsync = false };

    public override Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var text = ctx.Args.Str("_raw_params") ?? "";
        var script = ctx.Args.Str("executable") is { } exe ? ShellQuote.Join(new[] { exe, "-c", text }) : text;
        var plan = new Plan
        {
            SkipInCheckMode = true,
            CheckModeResult = new Dict { ["msg"] = "check mode not supported for raw" },
        }.Add(new RunStep(script) { AnyExitCode = true });
        plan.Then = (outcomes, _) =>
        {
            if (outcomes[0].Result is not { } res) return Task.FromResult(Plan.Ok());
            var r = new Dict { ["rc"] = (long)res.ExitCode, ["stdout"] = res.Stdout, ["stderr"] = res.Stderr };
            CommandResults.AddLines(r);
            return Task.FromResult(res.ExitCode != 0 ? Plan.Fail("non-zero return code", r) : Plan.Ok(r));
        };
        return Task.FromResult(plan);
    }
}

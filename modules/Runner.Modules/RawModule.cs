using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.raw: sends the free-form text to the target's shell as it is
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/raw_module.html).
/// Output is not stripped; rc != 0 fails with "non-zero return code"; check mode skips the task.
/// `executable` runs the text with that shell's -c.
/// </summary>
public sealed class RawModule : IModule
{
    public string Name => "raw";

    public ModuleSpec Spec { get; } = new(new OptionSpec[] { new("_raw_params"), new("executable") }, FreeForm: true);

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        if (ctx.CheckMode) return new Dict { ["changed"] = false, ["skipped"] = true, ["msg"] = "check mode not supported for raw" };
        var text = ctx.Args.Str("_raw_params") ?? "";
        var script = ctx.Args.Str("executable") is { } exe ? ShellQuote.Join(new[] { exe, "-c", text }) : text;
        var res = await ctx.ShAsync(script, ct);
        var r = new Dict { ["changed"] = true, ["rc"] = (long)res.ExitCode, ["stdout"] = res.Stdout, ["stderr"] = res.Stderr };
        CommandResults.AddLines(r);
        return res.ExitCode != 0 ? Results.Fail("non-zero return code", r, changed: true) : r;
    }
}

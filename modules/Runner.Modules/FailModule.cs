using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.fail (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/fail_module.html):
/// always fails with msg (default "Failed as requested from task").
/// </summary>
public sealed class FailModule : IModule
{
    public string Name => "fail";

    public ModuleSpec Spec { get; } = new(new OptionSpec[] { new("msg", OptionType.Raw, Default: "Failed as requested from task") },
        RunsOnController: true) { NeedsConnection = false, SupportsAsync = false };

    public Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var r = new Dict { ["failed"] = true, ["msg"] = ctx.Args.Get("msg") ?? "Failed as requested from task", ["changed"] = false };
        return Task.FromResult(r);
    }
}

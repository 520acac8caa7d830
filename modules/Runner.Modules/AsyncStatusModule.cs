using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.async_status (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/async_status_module.html,
/// playbook_guide/playbooks_async.html): the status of the job an <c>async:</c> task with <c>poll: 0</c> started, read
/// from the job file <c>~/.ansible_async/JID</c> of the remote (or become) user; mode=cleanup removes it. The reading
/// and the result's shape are the engine's (<see cref="AsyncJobs.StatusAsync"/>), shared with the polling of
/// <c>poll</c> &gt; 0. Like Ansible's it runs neither async nor in check mode (skipped, with the message of the
/// action's module; without the action's started/finished/results_file fields).
/// </summary>
public sealed class AsyncStatusModule : IModule
{
    public string Name => "async_status";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("jid", Required: true),
        new("mode", Default: "status", Choices: new[] { "cleanup", "status" }),
    }, SupportsCheckMode: false)
    {
        SupportsAsync = false,
        Invocation = null, // the engine's status read gives it
        CheckModeSkipMessage = "remote module (ansible.legacy.async_status) does not support check mode",
    };

    public Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct) =>
        ctx.Jobs.StatusAsync(ctx, ctx.Args.Str("jid")!, ctx.Args.Str("mode") ?? "status", ct);
}

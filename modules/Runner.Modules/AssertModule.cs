using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.assert (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/assert_module.html):
/// evaluates each condition of `that` (a string or a list) in order; the first false one fails with
/// fail_msg (alias msg, default "Assertion failed") and carries "assertion" and "evaluated_to": false.
/// Success: msg = success_msg (default "All assertions passed"); quiet hides the per-condition output.
/// </summary>
public sealed class AssertModule : IModule
{
    public string Name => "assert";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("that", OptionType.Raw, Required: true), new("fail_msg", OptionType.Raw, Aliases: new[] { "msg" }),
        new("success_msg", OptionType.Raw), new("quiet", OptionType.Bool, Default: false),
    }, RunsOnController: true) { NeedsConnection = false, SupportsAsync = false };

    public Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var thats = a.Get("that") switch { List<object?> l => l, var x => new List<object?> { x } };
        var failMsg = a.Get("fail_msg") ?? "Assertion failed";
        var successMsg = a.Get("success_msg") ?? "All assertions passed";
        var quiet = a.Bool("quiet");
        foreach (var that in thats)
        {
            bool ok;
            try { ok = ctx.Templar.EvaluateConditional(that, ctx.Variables); }
            catch (TemplateError e)
            {
                return Task.FromResult(Results.Fail($"The conditional check '{PyStr.Str(that)}' failed. The error was: {e.Message}"));
            }
            if (!ok)
            {
                var r = new Dict { ["failed"] = true, ["evaluated_to"] = false, ["assertion"] = that, ["msg"] = failMsg, ["changed"] = false };
                return Task.FromResult(Shown(r, quiet));
            }
        }
        return Task.FromResult(Shown(new Dict { ["changed"] = false, ["msg"] = successMsg }, quiet));
    }

    /// <summary>As assert.py: without quiet the result (ok or failed) carries _ansible_verbose_always, so the default
    /// callback prints it, indented, without -v.</summary>
    private static Dict Shown(Dict result, bool quiet)
    {
        if (!quiet) result["_ansible_verbose_always"] = true;
        return result;
    }
}

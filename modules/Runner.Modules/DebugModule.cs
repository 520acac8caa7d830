using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.debug (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/debug_module.html):
/// msg (default "Hello world!") gives {"msg": value, "changed": false}; var=NAME gives {NAME: value}, with
/// "VARIABLE IS NOT DEFINED!" for an undefined name. With verbosity above the run's verbosity (variable
/// "ansible_verbosity", default 0) the task is skipped: {"skipped_reason": "Verbosity threshold not met.", "skipped": true}.
/// msg and var together fail with "'msg' and 'var' are incompatible options".
/// </summary>
public sealed class DebugModule : IModule
{
    public string Name => "debug";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("msg", OptionType.Raw), new("var", OptionType.Raw), new("verbosity", OptionType.Int, Default: 0L),
    }, RunsOnController: true) { NeedsConnection = false, VerboseAlways = true, ShowsOnlyOutput = true, SupportsAsync = false };

    public Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        if (a.ContainsKey("msg") && a.ContainsKey("var"))
            return Task.FromResult(Results.Fail("'msg' and 'var' are incompatible options"));
        var level = ctx.Variables.TryGetRaw("ansible_verbosity", out var v) && v is long l ? l : 0;
        if (a.Long("verbosity") > level)
            return Task.FromResult(new Dict { ["skipped_reason"] = "Verbosity threshold not met.", ["skipped"] = true, ["changed"] = false });
        var r = new Dict();
        if (a.TryGetValue("var", out var name) && name is not null)
        {
            var expr = name as string ?? PyStr.Str(name);
            object? value;
            try
            {
                value = ctx.Templar.EvaluateExpression(expr, ctx.Variables);
            }
            catch (UndefinedVariableError)
            {
                value = "VARIABLE IS NOT DEFINED!";
            }
            r[expr] = value;
        }
        else r["msg"] = a.TryGetValue("msg", out var msg) ? msg : "Hello world!";
        r["changed"] = false;
        return Task.FromResult(r);
    }
}

using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.group (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/group_module.html)
/// on Linux: groupadd/groupmod/groupdel, state read with `getent group` (<see cref="GroupFact"/>). Result as
/// Ansible's: {"changed", "name", "state", "gid": long, "system": bool} (gid/system while the group exists); in check
/// mode a group that would be created or removed gives only {"changed": true}, as Ansible's early exit.
/// Failures: {"failed": true, "name", "msg": the command's stderr}.
/// </summary>
public sealed class GroupModule : PlanningModule
{
    public override string Name => "group";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("gid", OptionType.Int),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }),
        new OptionSpec("system", OptionType.Bool, Default: false),
        new OptionSpec("local", OptionType.Bool, Default: false),
        new OptionSpec("non_unique", OptionType.Bool, Default: false),
        new OptionSpec("force", OptionType.Bool, Default: false));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var name = a.Str("name")!;
        var state = a.Str("state")!;
        if (!AccountName.IsValid(name)) return Plan.Fail($"Invalid group name '{name}'", new Dict { ["name"] = name });
        var gid = await ctx.Facts.GetAsync(new GroupFact(name), ct);
        var plan = new Plan { Result = new Dict { ["name"] = name, ["state"] = state } };
        if (state == "absent")
        {
            if (gid is not null) plan.Add(Step(Argv.Of("groupdel").AddIf(a.Bool("force"), "-f").Add(name)));
        }
        else if (gid is null)
        {
            var add = Argv.Of("groupadd");
            if (a.Has("gid")) add = add.Add("-g", a.Long("gid").ToString()).AddIf(a.Bool("non_unique"), "-o");
            plan.Add(Step(add.AddIf(a.Bool("system"), "-r").Add(name)) with { Creates = new Planned.Group(name) });
        }
        else if (a.Has("gid") && a.Long("gid") != gid)
        {
            plan.Add(Step(Argv.Of("groupmod", "-g", a.Long("gid").ToString()).AddIf(a.Bool("non_unique"), "-o").Add(name)));
        }
        if (plan.Steps.Count > 0 && (state == "absent" || gid is null)) plan.CheckModeResult = new Dict();
        if (state == "absent") return plan;
        // the gid the host has after the change; a step not run (check mode) means the gid asked for
        plan.Then = async (outcomes, token) =>
        {
            var now = outcomes.Any(o => !o.Ran) ? (a.Has("gid") ? a.Long("gid") : gid) : await ctx.Facts.GetAsync(new GroupFact(name), token);
            return Plan.Ok(now is null ? new Dict() : new Dict { ["system"] = a.Bool("system"), ["gid"] = now });
        };
        return plan;
    }

    private static RunStep Step(Argv command) => new(command) { KeepOutput = true };
}

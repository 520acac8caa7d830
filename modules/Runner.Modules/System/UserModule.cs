using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.user (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/user_module.html)
/// on Linux with useradd/usermod/userdel. One probe reads the account (<see cref="UserFact"/>: passwd entry, shadow
/// hash, groups) and whether the wanted groups exist (<see cref="GroupFact"/>); only differing fields are changed.
/// Result as Ansible's: name, state, and while the user exists uid, group (gid), comment, home, shell, read back
/// after the change (+ groups as "a,b" when given, password "NOT_LOGGING_PASSWORD" when given); a new user adds
/// system and create_home, an existing one append and move_home; state=absent on an existing user adds force and
/// remove. A missing home folder is created (create_home), for existing users too. expires and the password ageing
/// bounds follow <see cref="UserExpiry"/> (useradd/usermod -e, then chage -m/-M when they differ).
/// Check mode on a user that would be created or removed gives only {"changed": true}, whether its groups exist or
/// not (Ansible's check mode exits before useradd looks at them); for an existing user, a group that an earlier task
/// of the run would have created (check mode) gives a change with a warning.
/// Errors: "Group X does not exist" for a missing group, otherwise the command's stderr (with rc).
/// </summary>
public sealed class UserModule : PlanningModule
{
    public override string Name => "user";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true, Aliases: new[] { "user" }),
        new OptionSpec("uid", OptionType.Int),
        new OptionSpec("group"),
        new OptionSpec("groups", OptionType.List, Elements: OptionType.Str),
        new OptionSpec("append", OptionType.Bool, Default: false),
        new OptionSpec("shell"),
        new OptionSpec("home", OptionType.Path),
        new OptionSpec("create_home", OptionType.Bool, Default: true, Aliases: new[] { "createhome" }),
        new OptionSpec("move_home", OptionType.Bool, Default: false),
        new OptionSpec("system", OptionType.Bool, Default: false),
        new OptionSpec("comment"),
        new OptionSpec("password", NoLog: true),
        new OptionSpec("update_password", Default: "always", Choices: new[] { "always", "on_create" }),
        new OptionSpec("password_lock", OptionType.Bool),
        new OptionSpec("expires", OptionType.Float),
        new OptionSpec("password_expire_max", OptionType.Int),
        new OptionSpec("password_expire_min", OptionType.Int),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }),
        new OptionSpec("remove", OptionType.Bool, Default: false),
        new OptionSpec("force", OptionType.Bool, Default: false),
        new OptionSpec("non_unique", OptionType.Bool, Default: false),
        new OptionSpec("local", OptionType.Bool, Default: false),
        new OptionSpec("skeleton"),
        new OptionSpec("umask"));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var name = a.Str("name")!;
        var state = a.Str("state")!;
        var groups = a.Has("groups") ? a.StrList("groups").SelectMany(g => g.Split(',')).Select(g => g.Trim()).Where(g => g.Length > 0).ToList() : null;
        var wantedGroups = new List<string>(groups ?? new List<string>());
        if (a.Has("group")) wantedGroups.Add(a.Str("group")!);
        if (a.Get("expires") is double exp && UserExpiry.Invalid(exp) is { } badExpiry) return Plan.Fail(badExpiry);
        if (!AccountName.IsValid(name)) return Plan.Fail($"Invalid user name '{name}'", new Dict { ["name"] = name });
        if (wantedGroups.FirstOrDefault(g => !AccountName.IsValid(g)) is { } badGroup)
            return Plan.Fail($"Group {badGroup} does not exist", new Dict { ["name"] = name });

        var userFact = new UserFact(name);
        if (state == "absent")
        {
            if (await ctx.Facts.GetAsync(userFact, ct) is null) return Plan.Ok(new Dict { ["name"] = name, ["state"] = state });
            var del = Argv.Of("userdel").AddIf(a.Bool("force"), "-f").AddIf(a.Bool("remove"), "-r").Add(name);
            return new Plan
            {
                Result = new Dict { ["name"] = name },
                CheckModeResult = new Dict(),
                Then = (outcomes, _) => Task.FromResult(Plan.Ok(Output(new Dict
                    { ["state"] = state, ["force"] = a.Bool("force"), ["remove"] = a.Bool("remove") }, outcomes[0].Result))),
            }.Add(UserStep(new RunStep(del)));
        }

        var ownGroup = new GroupFact(name);
        await ctx.Facts.GetAsync(ct, new Fact[] { userFact, ownGroup }.Concat(wantedGroups.Select(g => new GroupFact(g))).ToArray());
        var missing = new List<string>();
        foreach (var g in wantedGroups)
            if (await ctx.Facts.GetAsync(new GroupFact(g), ct) is null) missing.Add(g);
        var user = await ctx.Facts.GetAsync(userFact, ct);
        if (missing.Count > 0 && user is null)
        {
            // Ansible's check mode answers "changed" for a user to create before it looks at the groups
            var missingGroup = missing[0];
            return new Plan
            {
                Result = new Dict { ["name"] = name },
                CheckModeResult = new Dict(),
                Then = (outcomes, _) => Task.FromResult(outcomes[0].Ran
                    ? Plan.Fail($"Group {missingGroup} does not exist", new Dict { ["name"] = name }, false) : Plan.Ok()),
            }.Add(new RunStep(Argv.Of("true")));
        }
        if (missing.Count > 0)
        {
            // a group that an earlier task of the same run would have created (check mode)
            if (!missing.All(ctx.Planned.HasGroup)) return Plan.Fail($"Group {missing[0]} does not exist", new Dict { ["name"] = name });
            var assumed = new Plan { Result = new Dict { ["name"] = name }, Changed = true };
            assumed.Warnings.Add($"Group {missing[0]} does not exist yet: check mode assumes an earlier task creates it");
            return assumed;
        }

        var plan = new Plan { Result = new Dict { ["name"] = name } };
        if (user is null)
        {
            var add = Argv.Of("useradd");
            if (a.Has("uid")) add = add.Add("-u", a.Long("uid").ToString()).AddIf(a.Bool("non_unique"), "-o");
            if (a.Has("group")) add = add.Add("-g", a.Str("group")!);
            else if (await ctx.Facts.GetAsync(ownGroup, ct) is not null) add = add.Add("-g", name);
            if (groups is { Count: > 0 }) add = add.Add("-G", string.Join(",", groups));
            if (a.Has("comment")) add = add.Add("-c", a.Str("comment")!);
            if (a.Has("home")) add = add.Add("-d", a.Str("home")!);
            if (a.Has("shell")) add = add.Add("-s", a.Str("shell")!);
            if (a.Get("expires") is double expires && !a.Bool("local")) add = add.Add("-e", UserExpiry.ForCreate(expires));
            if (a.Has("password")) add = add.Add("-p", (a.Bool("password_lock") ? "!" : "") + a.Str("password")!);
            add = a.Bool("create_home") ? add.Add("-m").AddIf(a.Has("skeleton"), "-k", a.Str("skeleton") ?? "") : add.Add("-M");
            add = add.AddIf(a.Bool("system"), "-r").Add(name);
            // a home whose parent folder is missing: useradd -m needs the parents
            var pre = a.Has("home") && a.Bool("create_home") ? $"mkdir -p -- \"$(dirname -- {ShellQuote.Quote(a.Str("home")!)})\" && " : "";
            plan.Add(UserStep(new RunStep(pre + add)));
            plan.CheckModeResult = new Dict();
            plan.Then = async (outcomes, token) => outcomes[0].Ran
                ? await ReadBackAsync(ctx, new Dict { ["state"] = state, ["system"] = a.Bool("system"), ["create_home"] = a.Bool("create_home") }, outcomes[0].Result, groups, token)
                : Plan.Ok();
            return plan;
        }
        var mod = ModifyWords(a, user, groups);
        if (mod.Count > 0) plan.Add(UserStep(new RunStep(Argv.Of("usermod").Add(mod).Add(name))));
        plan.Then = (outcomes, token) => ReadBackAsync(ctx, new Dict { ["state"] = state, ["append"] = a.Bool("append"), ["move_home"] = a.Bool("move_home") },
            outcomes.FirstOrDefault()?.Result, groups, token);
        return plan;
    }

    /// <summary>
    /// The account as the host has it after the change (or before it, when the change did not run): uid, group, comment,
    /// home, shell; plus creating a missing home folder when create_home.
    /// </summary>
    private static async Task<Plan> ReadBackAsync(PlanContext ctx, Dict result, CommandResult? ran, List<string>? groups, CancellationToken ct)
    {
        var a = ctx.Args;
        if (a.Has("password")) result["password"] = "NOT_LOGGING_PASSWORD";
        Output(result, ran);
        var userFact = new UserFact(a.Str("name")!);
        if (a.Has("home")) await ctx.Facts.GetAsync(ct, userFact, new FileStatFact(a.Str("home")!));
        var now = await ctx.Facts.GetAsync(userFact, ct);
        var plan = new Plan { Result = result };
        if (now is null) return plan;
        result["uid"] = now.Uid;
        result["group"] = now.Gid;
        result["comment"] = now.Comment;
        result["home"] = now.Home;
        result["shell"] = now.Shell;
        if (groups is not null) result["groups"] = string.Join(",", groups);
        var home = a.Str("home") ?? now.Home;
        if (a.Bool("create_home") && !(await ctx.Facts.GetAsync(new FileStatFact(home), ct)).Exists)
        {
            var hq = ShellQuote.Quote(home);
            plan.Add(new RunStep($"mkdir -p -- {hq} && (cp -a /etc/skel/. {hq} 2>/dev/null || true) && chown -R {now.Uid}:{now.Gid} -- {hq} && chmod 0755 -- {hq}")
                { Creates = new Planned.File(home) });
        }
        var ageing = UserExpiry.ChageWords(a.Has("password_expire_min") ? a.Long("password_expire_min") : null,
            a.Has("password_expire_max") ? a.Long("password_expire_max") : null, now.PasswordMin, now.PasswordMax);
        if (ageing.Count > 0) plan.Add(UserStep(new RunStep(Argv.Of("chage").Add(ageing).Add(now.Name))));
        return plan;
    }

    /// <summary>The usermod options that make an existing user match the task (empty when it already does).</summary>
    internal static List<string> ModifyWords(Dict a, UserAccount pw, List<string>? groups)
    {
        var (hash, memberOf, primary) = (pw.Hash, pw.Groups, pw.PrimaryGroup);
        var w = new List<string>();
        if (a.Has("uid") && a.Long("uid") != pw.Uid)
        {
            w.Add("-u"); w.Add(a.Long("uid").ToString());
            if (a.Bool("non_unique")) w.Add("-o");
        }
        if (a.Has("group"))
        {
            var g = a.Str("group")!;
            if (g != primary && !(long.TryParse(g, out var gid) && gid == pw.Gid)) { w.Add("-g"); w.Add(g); }
        }
        if (groups is not null)
        {
            var current = memberOf.Where(g => g != primary).ToHashSet();
            var wanted = groups.Where(g => g != primary).ToHashSet();
            if (a.Bool("append"))
            {
                if (!wanted.IsSubsetOf(current)) { w.Add("-a"); w.Add("-G"); w.Add(string.Join(",", groups)); }
            }
            else if (!wanted.SetEquals(current)) { w.Add("-G"); w.Add(string.Join(",", groups)); }
        }
        if (a.Has("comment") && a.Str("comment") != pw.Comment) { w.Add("-c"); w.Add(a.Str("comment")!); }
        if (a.Has("home") && a.Str("home") != pw.Home)
        {
            w.Add("-d"); w.Add(a.Str("home")!);
            if (a.Bool("move_home")) w.Add("-m");
        }
        if (a.Has("shell") && a.Str("shell") != pw.Shell) { w.Add("-s"); w.Add(a.Str("shell")!); }
        if (a.Get("expires") is double expires && UserExpiry.ForModify(expires, pw.Expire) is { } e) { w.Add("-e"); w.Add(e); }
        if (a.Has("password") && a.Str("update_password") == "always")
        {
            var want = a.Str("password")!;
            var current = hash.TrimStart('!');
            if (want != current) { w.Add("-p"); w.Add((hash.StartsWith('!') || a.Bool("password_lock") ? "!" : "") + want); }
        }
        if (a.Get("password_lock") is bool lockWanted)
        {
            var locked = hash.StartsWith('!');
            if (lockWanted && !locked) w.Add("-L");
            else if (!lockWanted && locked) w.Add("-U");
        }
        return w;
    }

    /// <summary>A user command step: its failure fails the task with the stderr and rc, as Ansible's user module.</summary>
    private static RunStep UserStep(RunStep step) => step with { OnFailure = r => Plan.Fail(r.Stderr.Trim(), new Dict { ["rc"] = (long)r.ExitCode }) };

    private static Dict Output(Dict result, CommandResult? r)
    {
        if (r is null) return result;
        if (r.Stdout.Length > 0) result["stdout"] = r.Stdout;
        if (r.Stderr.Length > 0) result["stderr"] = r.Stderr;
        return result;
    }
}

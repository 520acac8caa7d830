using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.user (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/user_module.html)
/// on Linux with useradd/usermod/userdel. One probe reads the passwd entry, the shadow hash, the
/// supplementary groups and whether the wanted groups and home exist; only differing fields are changed.
/// Result as Ansible's: name, state, and while the user exists uid, group (gid), comment, home, shell
/// (+ groups as "a,b" when given, password "NOT_LOGGING_PASSWORD" when given); a new user adds system and
/// create_home, an existing one append and move_home; state=absent on an existing user adds force and remove.
/// Check mode on a user that would be created or removed gives only {"changed": true}.
/// Errors: "Group X does not exist" for a missing group, otherwise the command's stderr.
/// </summary>
public sealed class UserModule : IModule
{
    public string Name => "user";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
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
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }),
        new OptionSpec("remove", OptionType.Bool, Default: false),
        new OptionSpec("force", OptionType.Bool, Default: false),
        new OptionSpec("non_unique", OptionType.Bool, Default: false),
        new OptionSpec("local", OptionType.Bool, Default: false),
        new OptionSpec("skeleton"),
        new OptionSpec("umask"));

    /// <summary>A passwd entry: name, uid, gid, comment (GECOS), home, shell.</summary>
    internal sealed record Passwd(string Name, long Uid, long Gid, string Comment, string Home, string Shell)
    {
        /// <summary>Parses "name:x:uid:gid:gecos:home:shell", or null.</summary>
        public static Passwd? Parse(string line)
        {
            var f = line.Split(':');
            return f.Length >= 7 && long.TryParse(f[2], out var u) && long.TryParse(f[3], out var g)
                ? new Passwd(f[0], u, g, f[4], f[5], f[6]) : null;
        }
    }

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var name = a.Str("name")!;
        var state = a.Str("state")!;
        var groups = a.Has("groups") ? a.StrList("groups").SelectMany(g => g.Split(',')).Select(g => g.Trim()).Where(g => g.Length > 0).ToList() : null;
        var wantedGroups = new List<string>(groups ?? new List<string>());
        if (a.Has("group")) wantedGroups.Add(a.Str("group")!);
        if (!AccountName.IsValid(name)) return Results.Fail($"Invalid user name '{name}'", new Dict { ["name"] = name });
        if (wantedGroups.FirstOrDefault(g => !AccountName.IsValid(g)) is { } badGroup)
            return Results.Fail($"Group {badGroup} does not exist", new Dict { ["name"] = name });

        var q = ShellQuote.Quote(name);
        var probe = $"getent passwd {q}; {TargetScript.Sep}; getent shadow {q} | cut -d: -f2; {TargetScript.Sep}; " +
                    $"id -Gn {q} 2>/dev/null; {TargetScript.Sep}; id -gn {q} 2>/dev/null; {TargetScript.Sep}; " +
                    $"for g in {TargetScript.Words(wantedGroups)}; do getent group \"$g\" >/dev/null || echo \"$g\"; done; {TargetScript.Sep}; " +
                    $"getent group {q} >/dev/null && echo yes";
        var p = TargetScript.Sections((await ctx.ShAsync(probe, ct)).Stdout);
        var pw = Passwd.Parse(p[0]);
        var result = new Dict { ["name"] = name, ["state"] = state };

        if (state == "absent")
        {
            if (pw is null) return Results.Ok(false, result);
            if (ctx.CheckMode) return new Dict { ["changed"] = true };
            var w = new List<string> { "userdel" };
            if (a.Bool("force")) w.Add("-f");
            if (a.Bool("remove")) w.Add("-r");
            w.Add(name);
            var r = await ctx.ShAsync(TargetScript.Words(w), ct);
            if (r.ExitCode != 0) return Results.Fail(r.Stderr.Trim(), new Dict { ["name"] = name, ["rc"] = (long)r.ExitCode });
            result["force"] = a.Bool("force");
            result["remove"] = a.Bool("remove");
            return Results.Ok(true, Output(result, r));
        }

        var missing = p[4].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (missing.Length > 0)
        {
            // A group that an earlier task of the same run would have created.
            if (ctx.CheckMode && missing.All(ctx.Planned.HasGroup))
                return new Dict { ["changed"] = true, ["name"] = name, ["warnings"] = new List<object?> { $"Group {missing[0]} does not exist yet: check mode assumes an earlier task creates it" } };
            return Results.Fail($"Group {missing[0]} does not exist", new Dict { ["name"] = name });
        }

        var changed = false;
        CommandResult? ran = null;
        if (pw is null)
        {
            if (ctx.CheckMode) return new Dict { ["changed"] = true };
            var w = new List<string> { "useradd" };
            if (a.Has("uid")) { w.Add("-u"); w.Add(a.Long("uid").ToString()); if (a.Bool("non_unique")) w.Add("-o"); }
            if (a.Has("group")) { w.Add("-g"); w.Add(a.Str("group")!); }
            else if (p[5].Trim() == "yes") { w.Add("-g"); w.Add(name); }
            if (groups is { Count: > 0 }) { w.Add("-G"); w.Add(string.Join(",", groups)); }
            if (a.Has("comment")) { w.Add("-c"); w.Add(a.Str("comment")!); }
            if (a.Has("home")) { w.Add("-d"); w.Add(a.Str("home")!); }
            if (a.Has("shell")) { w.Add("-s"); w.Add(a.Str("shell")!); }
            if (a.Has("password")) { w.Add("-p"); w.Add((a.Bool("password_lock") ? "!" : "") + a.Str("password")!); }
            if (a.Bool("create_home")) { w.Add("-m"); if (a.Has("skeleton")) { w.Add("-k"); w.Add(a.Str("skeleton")!); } }
            else w.Add("-M");
            if (a.Bool("system")) w.Add("-r");
            w.Add(name);
            // a home whose parent folder is missing: useradd -m needs the parents
            var pre = a.Has("home") && a.Bool("create_home") ? $"mkdir -p -- \"$(dirname -- {ShellQuote.Quote(a.Str("home")!)})\" && " : "";
            ran = await ctx.ShAsync(pre + TargetScript.Words(w), ct);
            if (ran.ExitCode != 0) return Results.Fail(ran.Stderr.Trim(), new Dict { ["name"] = name, ["rc"] = (long)ran.ExitCode });
            changed = true;
            result["system"] = a.Bool("system");
            result["create_home"] = a.Bool("create_home");
        }
        else
        {
            var w = ModifyWords(a, pw, p[1].Trim(), Lines(p[2].Replace(' ', '\n')), p[3].Trim(), groups);
            if (w.Count > 0)
            {
                changed = true;
                if (!ctx.CheckMode)
                {
                    w.Insert(0, "usermod");
                    w.Add(name);
                    ran = await ctx.ShAsync(TargetScript.Words(w), ct);
                    if (ran.ExitCode != 0) return Results.Fail(ran.Stderr.Trim(), new Dict { ["name"] = name, ["rc"] = (long)ran.ExitCode });
                }
            }
            result["append"] = a.Bool("append");
            result["move_home"] = a.Bool("move_home");
        }
        if (a.Has("password")) result["password"] = "NOT_LOGGING_PASSWORD";
        if (ran is not null) Output(result, ran);

        var now = Passwd.Parse((await ctx.ShAsync("getent passwd " + q, ct)).Stdout.Split('\n')[0]);
        if (now is not null)
        {
            result["uid"] = now.Uid;
            result["group"] = now.Gid;
            result["comment"] = now.Comment;
            result["home"] = now.Home;
            result["shell"] = now.Shell;
            if (groups is not null) result["groups"] = string.Join(",", groups);
            // a missing home folder is created (as Ansible does for existing users too)
            var home = a.Str("home") ?? now.Home;
            if (a.Bool("create_home"))
            {
                var hq = ShellQuote.Quote(home);
                var exists = (await ctx.ShAsync($"test -e {hq}", ct)).ExitCode == 0;
                if (!exists && !ctx.CheckMode)
                {
                    await ctx.ShAsync($"mkdir -p -- {hq} && (cp -a /etc/skel/. {hq} 2>/dev/null || true) && chown -R {now.Uid}:{now.Gid} -- {hq} && chmod 0755 -- {hq}", ct);
                    changed = true;
                }
                else if (!exists && ctx.CheckMode) changed = true;
            }
        }
        return Results.Ok(changed, result);
    }

    /// <summary>The usermod options that make an existing user match the task (empty when it already does).</summary>
    internal static List<string> ModifyWords(Dict a, Passwd pw, string hash, List<string> memberOf, string primary, List<string>? groups)
    {
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

    private static List<string> Lines(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim()).ToList();

    private static Dict Output(Dict result, CommandResult r)
    {
        if (r.Stdout.Length > 0) result["stdout"] = r.Stdout;
        if (r.Stderr.Length > 0) result["stderr"] = r.Stderr;
        return result;
    }
}

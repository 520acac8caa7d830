using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.group (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/group_module.html)
/// on Linux: groupadd/groupmod/groupdel, state read with `getent group`. Result as Ansible's:
/// {"changed", "name", "state", "gid": long, "system": bool} (gid/system while the group exists);
/// in check mode a group that would be created or removed gives only {"changed": true}.
/// Failures: {"failed": true, "name", "msg": the command's stderr}.
/// </summary>
public sealed class GroupModule : IModule
{
    public string Name => "group";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("gid", OptionType.Int),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }),
        new OptionSpec("system", OptionType.Bool, Default: false),
        new OptionSpec("local", OptionType.Bool, Default: false),
        new OptionSpec("non_unique", OptionType.Bool, Default: false),
        new OptionSpec("force", OptionType.Bool, Default: false));

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var name = a.Str("name")!;
        var state = a.Str("state")!;
        var result = new Dict { ["name"] = name, ["state"] = state };
        if (!AccountName.IsValid(name)) return Results.Fail($"Invalid group name '{name}'", new Dict { ["name"] = name });
        var gid = await ReadGidAsync(ctx, name, ct);
        string? cmd = null;
        if (state == "absent")
        {
            if (gid is not null) cmd = "groupdel " + (a.Bool("force") ? "-f " : "") + ShellQuote.Quote(name);
        }
        else if (gid is null)
        {
            var w = new List<string> { "groupadd" };
            if (a.Has("gid")) { w.Add("-g"); w.Add(a.Long("gid").ToString()); if (a.Bool("non_unique")) w.Add("-o"); }
            if (a.Bool("system")) w.Add("-r");
            w.Add(name);
            cmd = TargetScript.Words(w);
        }
        else if (a.Has("gid") && a.Long("gid") != gid)
        {
            var w = new List<string> { "groupmod", "-g", a.Long("gid").ToString() };
            if (a.Bool("non_unique")) w.Add("-o");
            w.Add(name);
            cmd = TargetScript.Words(w);
        }
        if (cmd is not null)
        {
            // Ansible exits early in check mode when the group would be added or deleted.
            if (ctx.CheckMode && (state == "absent" || gid is null))
            {
                if (state != "absent") ctx.Planned.AddGroup(name);
                return new Dict { ["changed"] = true };
            }
            if (!ctx.CheckMode)
            {
                var r = await ctx.ShAsync(cmd, ct);
                if (r.ExitCode != 0) return Results.Fail(r.Stderr.Trim(), new Dict { ["name"] = name });
                if (r.Stdout.Length > 0) result["stdout"] = r.Stdout;
                if (r.Stderr.Length > 0) result["stderr"] = r.Stderr;
            }
        }
        result["changed"] = cmd is not null;
        if (state == "present")
        {
            var now = ctx.CheckMode ? (a.Has("gid") ? a.Long("gid") : gid) : await ReadGidAsync(ctx, name, ct);
            if (now is not null) { result["system"] = a.Bool("system"); result["gid"] = now; }
        }
        return result;
    }

    /// <summary>The group's gid from `getent group NAME`, or null when there is no such group.</summary>
    internal static async Task<long?> ReadGidAsync(ModuleContext ctx, string name, CancellationToken ct)
    {
        var r = await ctx.ShAsync("getent group " + ShellQuote.Quote(name), ct);
        var f = r.Stdout.Split('\n')[0].Split(':');
        return r.ExitCode == 0 && f.Length >= 3 && long.TryParse(f[2], out var g) ? g : null;
    }
}

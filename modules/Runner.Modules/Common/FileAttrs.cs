using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Facts;

namespace Runner.Modules.Common;

/// <summary>
/// The file attribute options every file-writing module shares (Ansible's add_file_common_args: mode, owner, group)
/// and the steps that make a probed path match them: chown, chgrp, chmod, one <see cref="RunStep"/> each (the engine
/// skips them in check mode). Follows module_utils/basic.py set_owner_if_different / set_group_if_different /
/// set_mode_if_different, in that order.
/// </summary>
internal static partial class FileAttrs
{
    /// <summary>The option specs: mode (raw, kept as given), owner, group.</summary>
    public static readonly OptionSpec[] Options =
    {
        new("mode", OptionType.Mode), new("owner"), new("group"),
        new("seuser"), new("serole"), new("setype"), new("selevel"), new("unsafe_writes", OptionType.Bool, Default: false),
        new("attributes", Aliases: new[] { "attr" }),
    };

    /// <summary>What must change: the steps, and an error (a name that is no account, "mode must be in octal or symbolic form") or null.</summary>
    /// <remarks>With an error, the steps before it still belong to the change (Ansible sets owner and group before it rejects a mode).</remarks>
    internal sealed record Changes(List<Step> Steps, string? Error);

    /// <summary>
    /// The steps that give <paramref name="st"/> the task's mode/owner/group. Adds "mode"/"owner"/"group" entries to
    /// the diff dicts <paramref name="before"/> and <paramref name="after"/> (when given) for what changes, as Ansible does.
    /// A bad owner or group is an error before any step; a bad mode comes after the owner and group steps.
    /// </summary>
    public static Changes Compare(Dict args, FileState st, Dict? before = null, Dict? after = null)
    {
        var steps = new List<Step>();
        var isLink = st.Type == "link";
        if (args.Has("owner") && AccountName.OwnerError(args.Str("owner")!) is { } badOwner) return new(steps, badOwner);
        if (args.Has("group") && AccountName.GroupError(args.Str("group")!) is { } badGroup) return new(steps, badGroup);
        if (args.Has("owner") && !Same(args.Str("owner")!, st.Owner, st.Uid))
        {
            steps.Add(new RunStep(Argv.Of("chown").AddIf(isLink, "-h").Add("--", args.Str("owner")!, st.Path)));
            if (before is not null) { before["owner"] = st.Uid; after!["owner"] = args.Str("owner"); }
        }
        if (args.Has("group") && !Same(args.Str("group")!, st.Group, st.Gid))
        {
            steps.Add(new RunStep(Argv.Of("chgrp").AddIf(isLink, "-h").Add("--", args.Str("group")!, st.Path)));
            if (before is not null) { before["group"] = st.Gid; after!["group"] = args.Str("group"); }
        }
        string? error = null;
        if (args.Has("mode") && !isLink)
        {
            var wanted = ModeParser.Resolve(args.Get("mode")!, st.Mode, st.Type == "directory", out error);
            if (wanted is { } m && m != st.Mode)
            {
                steps.Add(new RunStep(Argv.Of("chmod", Convert.ToString(m, 8), "--", st.Path)));
                if (before is not null) { before["mode"] = ModeParser.FileResultText(st.Mode); after!["mode"] = ModeParser.FileResultText(m); }
            }
        }
        return new(steps, error);
    }

    /// <summary>
    /// The plan that gives <paramref name="st"/> the task's attributes and reports the path's attributes afterwards
    /// (<see cref="Describe"/>, read again when a step ran) in <paramref name="result"/> under <paramref name="pathKey"/>;
    /// a bad name or mode fails the task with them, after the owner and group steps.
    /// </summary>
    public static Plan Finish(PlanContext ctx, FileState st, Dict result, Dict? before = null, Dict? after = null, string pathKey = "path")
    {
        var (steps, error) = Compare(ctx.Args, st, before, after);
        var plan = new Plan { Result = result };
        plan.Steps.AddRange(steps);
        plan.Then = async (_, ct) =>
        {
            var final = steps.Count > 0 ? await ctx.Facts.GetAsync(new FileStatFact(st.Path), ct) : st;
            var r = new Dict();
            Describe(r, final, pathKey);
            return error is null ? Engine.Modules.Plan.Ok(r) : Engine.Modules.Plan.Fail(error, r);
        };
        return plan;
    }

    private static bool Same(string wanted, string name, long id) =>
        wanted == name || (long.TryParse(wanted, out var n) && n == id);

    /// <summary>
    /// Ansible's path info in file results (basic.py add_path_info): path (or dest), state (link, directory,
    /// hard for a file with several names, else file), mode "0644", uid, gid, owner, group, size.
    /// </summary>
    public static void Describe(Dict r, FileState st, string pathKey = "path")
    {
        r[pathKey] = st.Path;
        if (!st.Exists) { r["state"] = "absent"; return; }
        r["uid"] = st.Uid;
        r["gid"] = st.Gid;
        r["owner"] = st.Owner;
        r["group"] = st.Group;
        r["mode"] = ModeParser.FileResultText(st.Mode);
        r["state"] = st.Type is "link" or "directory" ? st.Type : st.Nlink > 1 ? "hard" : "file";
        r["size"] = st.Size;
    }
}

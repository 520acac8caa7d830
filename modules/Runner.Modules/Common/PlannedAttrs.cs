using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Common;

/// <summary>
/// The mode/owner/group options (Ansible's add_file_common_args, module_utils/basic.py set_owner_if_different,
/// set_group_if_different, set_mode_if_different) as plan steps: chown, chgrp, chmod argv for what differs from the
/// probed <see cref="FileState"/>. A path not there yet (the plan creates it) is taken as a new 0644 file, so owner and
/// group are always set and a symbolic mode applies to 0644. For planning modules while <see cref="FileAttrs"/> is
/// being ported.
/// </summary>
internal static class PlannedAttrs
{
    /// <summary>
    /// The steps for <paramref name="args"/>' owner, group and mode on <paramref name="path"/> (state <paramref name="st"/>),
    /// and the attribute diff halves (before/after "owner", "group", "mode" as Ansible's file diff); or an error message
    /// (Ansible's: "chown failed: failed to look up user X", "mode must be in octal or symbolic form").
    /// </summary>
    public static (List<Step> Steps, Dict Before, Dict After, string? Error) For(Dict args, string path, FileState st)
    {
        var steps = new List<Step>();
        var before = new Dict();
        var after = new Dict();
        var exists = st.Exists;
        if (args.Str("owner") is { } owner)
        {
            if (AccountName.OwnerError(owner) is { } e) return (steps, before, after, e);
            if (!exists || !Same(owner, st.Owner, st.Uid))
            {
                steps.Add(new RunStep(Argv.Of("chown", "--", owner, path)));
                before["owner"] = st.Uid; after["owner"] = owner;
            }
        }
        if (args.Str("group") is { } group)
        {
            if (AccountName.GroupError(group) is { } e) return (steps, before, after, e);
            if (!exists || !Same(group, st.Group, st.Gid))
            {
                steps.Add(new RunStep(Argv.Of("chgrp", "--", group, path)));
                before["group"] = st.Gid; after["group"] = group;
            }
        }
        if (args.Get("mode") is { } mode)
        {
            var current = exists ? st.Mode : 0x1A4;
            var wanted = ModeParser.Resolve(mode, current, st.Type == "directory", out var error);
            if (wanted is null) return (steps, before, after, error);
            if (!exists || wanted != st.Mode)
            {
                steps.Add(new RunStep(Argv.Of("chmod", Convert.ToString(wanted.Value, 8), "--", path)));
                before["mode"] = ModeParser.FileResultText(current); after["mode"] = ModeParser.FileResultText(wanted.Value);
            }
        }
        return (steps, before, after, null);
    }

    private static bool Same(string wanted, string name, long id) =>
        wanted == name || (long.TryParse(wanted, out var n) && n == id);
}

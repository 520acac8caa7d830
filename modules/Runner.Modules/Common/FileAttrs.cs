using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Common;

/// <summary>
/// The file attribute options every file-writing module shares (Ansible's add_file_common_args: mode,
/// owner, group) and their application: compare with the probed state, then one chmod/chown script,
/// skipped in check mode. Follows module_utils/basic.py set_mode_if_different / set_owner_if_different.
/// </summary>
internal static class FileAttrs
{
    /// <summary>The option specs: mode (raw, kept as given), owner, group.</summary>
    public static readonly OptionSpec[] Options =
    {
        new("mode", OptionType.Mode), new("owner"), new("group"),
        new("seuser"), new("serole"), new("setype"), new("selevel"), new("unsafe_writes", OptionType.Bool, Default: false),
        new("attributes", Aliases: new[] { "attr" }),
    };

    /// <summary>
    /// Makes <paramref name="st"/>'s mode/owner/group match the task's args. Adds "mode"/"owner"/"group"
    /// entries to the diff dicts when they change (as Ansible does). Returns whether anything changed and
    /// an error message (e.g. "mode must be in octal or symbolic form") or null.
    /// </summary>
    public static async Task<(bool Changed, string? Error)> ApplyAsync(ModuleContext ctx, FileState st,
        Dict? before, Dict? after, CancellationToken ct, bool followLink = true)
    {
        var a = ctx.Args;
        var cmds = new List<string>();
        var q = ShellQuote.Quote(st.Path);
        var isLink = st.Type == "link";
        if (a.Has("owner") && AccountName.OwnerError(a.Str("owner")!) is { } badOwner) return (false, badOwner);
        if (a.Has("group") && AccountName.GroupError(a.Str("group")!) is { } badGroup) return (false, badGroup);
        if (a.Has("owner") && !Same(a.Str("owner")!, st.Owner, st.Uid))
        {
            cmds.Add($"chown {(isLink ? "-h " : "")}-- {ShellQuote.Quote(a.Str("owner")!)} {q}");
            if (before is not null) { before["owner"] = st.Uid; after!["owner"] = a.Str("owner"); }
        }
        if (a.Has("group") && !Same(a.Str("group")!, st.Group, st.Gid))
        {
            cmds.Add($"chgrp {(isLink ? "-h " : "")}-- {ShellQuote.Quote(a.Str("group")!)} {q}");
            if (before is not null) { before["group"] = st.Gid; after!["group"] = a.Str("group"); }
        }
        string? error = null;
        if (a.Has("mode") && !isLink)
        {
            var wanted = ModeParser.Resolve(a.Get("mode")!, st.Mode, st.Type == "directory", out error);
            if (wanted is { } m && m != st.Mode)
            {
                cmds.Add($"chmod {Convert.ToString(m, 8)} -- {q}");
                if (before is not null) { before["mode"] = ModeParser.FileResultText(st.Mode); after!["mode"] = ModeParser.FileResultText(m); }
            }
        }
        if (cmds.Count > 0 && !ctx.CheckMode)
        {
            var r = await ctx.ShAsync(string.Join(" && ", cmds), ct);
            if (r.ExitCode != 0) return (false, r.Stderr.Trim());
        }
        return (cmds.Count > 0, error);
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

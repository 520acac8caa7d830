using Runner.Engine.Modules;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// file recurse=yes: mode/owner/group for everything under a folder (Ansible's recursive_set_attributes): found
/// with <see cref="TreeAttributesFact"/>, changed with chown -R, chgrp -R and chmod through find (links left alone).
/// </summary>
internal static class FileRecurse
{
    /// <summary>The steps when anything under <paramref name="path"/> differs (none otherwise), or the error for a bad name or mode.</summary>
    public static async Task<(List<Step> Steps, string? Error)> PlanAsync(PlanContext ctx, string path, CancellationToken ct)
    {
        var a = ctx.Args;
        var steps = new List<Step>();
        var owner = a.Str("owner");
        var group = a.Str("group");
        if (owner is not null && AccountName.OwnerError(owner) is { } badOwner) return (steps, badOwner);
        if (group is not null && AccountName.GroupError(group) is { } badGroup) return (steps, badGroup);
        string? octal = null;
        string? symbolic = null;
        if (a.Get("mode") is { } m)
        {
            var n = ModeParser.Resolve(m, 0, false, out var err);
            if (err is not null) return (steps, err);
            if (m is string s && !char.IsAsciiDigit(s.Trim().FirstOrDefault())) symbolic = s;
            else octal = Convert.ToString(n!.Value, 8).PadLeft(4, '0');
        }
        if (owner is null && group is null && octal is null && symbolic is null) return (steps, null);
        if (!await ctx.Facts.GetAsync(new TreeAttributesFact(path, owner, group, octal, symbolic is not null), ct)) return (steps, null);
        if (owner is not null) steps.Add(new RunStep(Argv.Of("chown", "-R", "--", owner, path)));
        if (group is not null) steps.Add(new RunStep(Argv.Of("chgrp", "-R", "--", group, path)));
        if ((symbolic ?? octal) is { } mode)
            steps.Add(new RunStep(Argv.Of("find", path, "-mindepth", "1", "!", "-type", "l", "-exec", "chmod", mode, "{}", "+")));
        return (steps, null);
    }
}

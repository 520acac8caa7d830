using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// community.general.pam_limits (https://docs.ansible.com/ansible/latest/collections/community/general/pam_limits_module.html):
/// sets one "DOMAIN TYPE ITEM VALUE" limit in /etc/security/limits.conf (dest), rewriting the file line by line as
/// Ansible's module does: a matching line gets the new value (use_max/use_min keep the larger/smaller, unlimited
/// counted as the largest), a missing one is appended as "DOMAIN\tTYPE\tITEM\tVALUE[\t#COMMENT]\n" (a comment of an
/// earlier line is carried over when none is given, as Ansible's does). Result: changed, msg (the limit's line),
/// diff {before, after} (always in the result), backup_file. Failures with Ansible's messages (bad values, also
/// in the file; use_min with use_max; a missing folder). Ansible creates a missing dest even in check mode; Runner
/// writes it only when it applies the change.
/// </summary>
public sealed class PamLimitsModule : PlanningModule
{
    public override string Name => "pam_limits";

    private static readonly string[] Items =
    {
        "core", "data", "fsize", "memlock", "nofile", "rss", "stack", "cpu", "nproc", "as", "maxlogins", "maxsyslogins",
        "priority", "locks", "sigpending", "msgqueue", "nice", "rtprio", "chroot",
    };

    private static readonly string[] Unlimited = { "unlimited", "infinity", "-1" };

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("domain", Required: true),
        new OptionSpec("limit_type", Required: true, Choices: new[] { "soft", "hard", "-" }),
        new OptionSpec("limit_item", Required: true, Choices: Items),
        new OptionSpec("value", Required: true),
        new OptionSpec("use_max", OptionType.Bool, Default: false),
        new OptionSpec("use_min", OptionType.Bool, Default: false),
        new OptionSpec("backup", OptionType.Bool, Default: false),
        new OptionSpec("dest", Default: "/etc/security/limits.conf"),
        new OptionSpec("comment", Default: ""));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var (domain, type, item, value, dest) = (a.Str("domain")!, a.Str("limit_type")!, a.Str("limit_item")!, a.Str("value")!, a.Str("dest")!);
        var (useMax, useMin) = (a.Bool("use_max"), a.Bool("use_min"));
        var dir = dest.LastIndexOf('/') is var i and > 0 ? dest[..i] : dest.StartsWith('/') ? "/" : ".";
        FileStatFact destStat = new(dest, follow: true), dirStat = new(dir, follow: true);
        var content = new FileContentFact(dest);
        await ctx.Facts.GetAsync(ct, destStat, dirStat, content);
        var exists = (await ctx.Facts.GetAsync(destStat, ct)).Type == "file";
        if (!exists && (await ctx.Facts.GetAsync(dirStat, ct)).Type != "directory")
            return Plan.Fail($"directory {dir} is not writable (check presence, access rights, use sudo)");
        if (useMax && useMin) return Plan.Fail("Cannot use use_min and use_max at the same time.");
        if (Invalid(item, value, "") is { } bad) return Plan.Fail(bad);

        var before = exists && await ctx.Facts.GetAsync(content, ct) is { } b ? Encoding.UTF8.GetString(b) : "";
        var changed = !exists;
        var comment = a.Str("comment")!;
        var (message, found, newValue) = ("", false, value);
        var output = new StringBuilder();
        foreach (var line in Lines(before))
        {
            var squeezed = Regex.Replace(line, @"\s+", " ").Trim();
            if (line.StartsWith('#') || squeezed.Length == 0) { output.Append(line); continue; }
            var hash = line.IndexOf('#');
            var oldComment = hash >= 0 ? line[(hash + 1)..] : "";
            if (comment.Length == 0) comment = oldComment;
            var fields = squeezed.Split('#', 2)[0].TrimEnd().Split(' ');
            if (fields.Length != 4) { output.Append(line); continue; }
            if (Invalid(fields[2], fields[3], $"Invalid configuration found in '{dest}'.") is { } wrong) return Plan.Fail(wrong);
            if (fields[0] != domain || fields[1] != type || fields[2] != item) { output.Append(line); continue; }
            found = true;
            var actual = fields[3];
            if (value == actual) { message = line; output.Append(line); continue; }
            // Ansible tests the limit type here, not the item: for nice/priority "unlimited" still counts (its bug, kept)
            var (actualUnlimited, valueUnlimited) = type is "nice" or "priority" ? (false, false) : (Unlimited.Contains(actual), Unlimited.Contains(value));
            if (useMax) newValue = actualUnlimited ? actual : valueUnlimited ? value : Math.Max(long.Parse(value), long.Parse(actual)).ToString();
            if (useMin)
                newValue = actualUnlimited && valueUnlimited ? actual : actualUnlimited ? value : valueUnlimited ? actual
                    : Math.Min(long.Parse(value), long.Parse(actual)).ToString();
            if (newValue != actual)
            {
                changed = true;
                if (comment.Length > 0) comment = "\t#" + comment;
                message = $"{domain}\t{type}\t{item}\t{newValue}{comment}\n";
                output.Append(message);
            }
            else { message = line; output.Append(line); }
        }
        if (!found)
        {
            changed = true;
            if (comment.Length > 0) comment = "\t#" + comment;
            message = $"{domain}\t{type}\t{item}\t{newValue}{comment}\n";
            output.Append(message);
        }
        var after = output.ToString();
        var diff = new Dict { ["before"] = before, ["after"] = after };
        var plan = new Plan { Result = new Dict { ["msg"] = message, ["diff"] = diff }, Diff = diff, Changed = changed };
        if (after == before && exists) return plan;
        if (a.Bool("backup") && exists)
        {
            var (step, name) = Backup.Of(dest);
            plan.Result["backup_file"] = name;
            plan.Add(step);
        }
        return plan.Add(new PutFileStep(dest, Encoding.UTF8.GetBytes(after)) { Creates = new Planned.File(dest) });
    }

    /// <summary>Ansible's check of a limit's value, or null when valid; <paramref name="prefix"/> leads the message (empty: a space).</summary>
    private static string? Invalid(string item, string value, string prefix)
    {
        if (item is "nice" or "priority")
            return int.TryParse(value.Trim(), out var n) && n >= -20 && n <= 19 ? null
                : $"{prefix} Value of {PyStr.ReprString(value)} for item {PyStr.ReprString(item)} is invalid. Value must be a number in the range -20 to 19 inclusive. " +
                  "Refer to the limits.conf(5) manual pages for more details.";
        return Unlimited.Contains(value) || (value.Length > 0 && value.All(char.IsAsciiDigit)) ? null
            : $"{prefix} Value of {PyStr.ReprString(value)} for item {PyStr.ReprString(item)} is invalid. Value must either be 'unlimited', 'infinity' or -1, all of " +
              "which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.";
    }

    /// <summary>The file's lines with their "\n" (as iterating a Python file).</summary>
    private static IEnumerable<string> Lines(string s) => PyLines.ReadLines(s);
}

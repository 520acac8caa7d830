using System.Text.RegularExpressions;
using Runner.Engine.Values;
using Runner.Engine.Results;

namespace Runner.Modules.Sys;

/// <summary>
/// What the timezone module reads on a Linux target, and the pure rules community.general.timezone
/// (https://docs.ansible.com/ansible/latest/collections/community/general/timezone_module.html, plugins/modules/timezone.py:
/// SystemdTimezone and NosystemdTimezone) applies to it: `timedatectl status` parsing, the /etc/timezone and
/// /etc/default/rcS line edits, and the name/hwclock values read from /etc/timezone, /etc/localtime, rcS and /etc/adjtime.
/// Values are the module's: a zone name or "n/a"; hwclock "UTC", "local" or "n/a".
/// </summary>
internal static partial class TimezoneState
{
    [GeneratedRegex(@"^\s*Time ?zone\s*:\s*([^\s]+)", RegexOptions.Multiline)]
    private static partial Regex StatusZone();

    [GeneratedRegex(@"^\s*RTC in local TZ\s*:\s*([^\s]+)", RegexOptions.Multiline)]
    private static partial Regex StatusRtc();

    [GeneratedRegex(@"^([^\s]+)", RegexOptions.Multiline)]
    private static partial Regex TimezoneLine();

    [GeneratedRegex(@"^UTC\s*=\s*([^\s]+)", RegexOptions.Multiline)]
    private static partial Regex RcsUtc();

    [GeneratedRegex(@"^(UTC|LOCAL)$", RegexOptions.Multiline)]
    private static partial Regex AdjtimeLine();

    [GeneratedRegex(@"(?:/(?:usr/share|etc)/zoneinfo/)(.*)")]
    private static partial Regex ZoneLink();

    /// <summary>The value of <paramref name="key"/> ("name" or "hwclock") in `timedatectl status` output, or null when absent.</summary>
    public static string? FromStatus(string status, string key)
    {
        var m = (key == "name" ? StatusZone() : StatusRtc()).Match(status);
        if (!m.Success) return null;
        var v = m.Groups[1].Value;
        if (key == "name") return v;
        return Boolean(v) is true ? "local" : "UTC";
    }

    /// <summary>Ansible's boolean() of a config word ("yes", "on", "1", "true", ...); null when it is not one.</summary>
    public static bool? Boolean(string v) => v.ToLowerInvariant() switch
    {
        "y" or "yes" or "on" or "1" or "true" or "t" => true,
        "n" or "no" or "off" or "0" or "false" or "f" => false,
        _ => null,
    };

    /// <summary>
    /// The zone /etc/timezone names (its first line starting with a non-space), "n/a" when the file is absent
    /// (<paramref name="text"/> null) or, before a change, names none; null when it names none after a change (an error).
    /// </summary>
    public static string? FromTimezoneFile(string? text, bool before)
    {
        if (text is null) return "n/a";
        var m = TimezoneLine().Match(text);
        return m.Success ? m.Groups[1].Value : before ? "n/a" : null;
    }

    /// <summary>The zone an /etc/localtime symlink target names (…/usr/share/zoneinfo/ZONE), or "n/a" when it names none.</summary>
    public static string FromLocaltimeLink(string target)
    {
        var m = ZoneLink().Match(target);
        return m.Success ? m.Groups[1].Value : "n/a";
    }

    /// <summary>hwclock from /etc/default/rcS text (null when absent): UTC=yes gives "UTC", UTC=no "local", else "n/a".</summary>
    public static string FromRcs(string? text)
    {
        if (text is null) return "n/a";
        var m = RcsUtc().Match(text);
        if (!m.Success) return "n/a";
        return Boolean(m.Groups[1].Value) is true ? "UTC" : "local";
    }

    /// <summary>hwclock from /etc/adjtime text (null when absent): its UTC/LOCAL line, "UTC" when none.</summary>
    public static string FromAdjtime(string? text)
    {
        if (text is null) return "UTC";
        var m = AdjtimeLine().Match(text);
        return !m.Success || m.Groups[1].Value == "UTC" ? "UTC" : "local";
    }

    /// <summary>
    /// The line edit of NosystemdTimezone._edit_file: every line <paramref name="key"/>'s pattern matches is removed and
    /// <paramref name="line"/> goes where the first of them was (or first). Returns the new text and how many lines went.
    /// </summary>
    public static (string Text, int Deleted) EditLines(string? text, string key, string line)
    {
        var regex = key == "name" ? TimezoneLine() : RcsUtc();
        var lines = PyLines.ReadLines(text); // readlines()
        var matched = Enumerable.Range(0, lines.Count).Where(i => regex.IsMatch(lines[i])).ToList();
        var at = matched.Count > 0 ? matched[0] : 0;
        for (var i = matched.Count - 1; i >= 0; i--) lines.RemoveAt(matched[i]);
        lines.Insert(at, line);
        return (string.Concat(lines), matched.Count);
    }
}

using System.Globalization;
using Runner.Engine.Values;

namespace Runner.Modules.Common;

/// <summary>
/// Command result fields as Ansible's command module (and the result post-processing) produce them:
/// start/end "2024-01-01 12:00:00.000000" (Python str(datetime)), delta "0:00:00.001234"
/// (str(timedelta)), stdout/stderr with trailing "\r"/"\n" stripped, *_lines from str.splitlines().
/// </summary>
internal static class CommandResults
{
    /// <summary>Python str(datetime) of a local time, microseconds always shown.</summary>
    public static string Timestamp(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>Python str(timedelta) for a non-negative duration: "0:00:00.001234" (days as "N day(s), ").</summary>
    public static string Delta(TimeSpan d)
    {
        var days = d.Days;
        var micro = (d.Ticks % TimeSpan.TicksPerSecond) / 10;
        var core = $"{d.Hours}:{d.Minutes:00}:{d.Seconds:00}" + (micro > 0 ? $".{micro:000000}" : "");
        return days > 0 ? $"{days} day{(days == 1 ? "" : "s")}, {core}" : core;
    }

    /// <summary>Python str.splitlines(): splits on \n, \r\n, \r (and the other Unicode line breaks), no trailing empty item.</summary>
    public static List<object?> SplitLines(string s) => PyLines.Values(s);

    /// <summary>Python s.rstrip("\r\n").</summary>
    public static string StripEnds(string s) => s.TrimEnd('\r', '\n');

    /// <summary>Adds stdout_lines/stderr_lines for the stdout/stderr already in <paramref name="r"/>.</summary>
    public static void AddLines(Dict r)
    {
        r["stdout_lines"] = SplitLines(r.Get("stdout") as string ?? "");
        r["stderr_lines"] = SplitLines(r.Get("stderr") as string ?? "");
    }
}

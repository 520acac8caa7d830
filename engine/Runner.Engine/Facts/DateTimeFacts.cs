using System.Globalization;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// The date_time fact as ansible-core 2.14's date_time collector reports it (all values strings):
/// date, day, epoch, epoch_int, hour, iso8601 (UTC, Z), iso8601_basic, iso8601_basic_short, iso8601_micro (UTC),
/// minute, month, second, time, tz, tz_dst, tz_offset, weekday, weekday_number (%w), weeknumber (%W), year.
/// Local fields come from the target's `date`, so its time zone applies.
/// </summary>
internal static class DateTimeFacts
{
    /// <param name="epoch">`date +%s`.</param>
    /// <param name="nanos">`date +%N` (GNU), or "" / "N" when unsupported.</param>
    /// <param name="local">`date '+%Y %m %d %H %M %S %z %Z %A %w %W'` at that epoch.</param>
    /// <param name="tzJan">`+%z %Z` on 1 January of that year, for tz_dst.</param>
    /// <param name="tzJul">`+%z %Z` on 1 July of that year.</param>
    public static Dict From(string epoch, string nanos, string local, string tzJan, string tzJul)
    {
        var d = new Dict();
        var w = local.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!long.TryParse(epoch.Trim(), out var e) || w.Length < 11) return d;
        var micro = nanos.Length >= 6 && nanos.All(char.IsAsciiDigit) ? nanos[..6] : "000000";
        var utc = DateTimeOffset.FromUnixTimeSeconds(e).UtcDateTime;
        var (year, month, day, hour, minute, second) = (w[0], w[1], w[2], w[3], w[4], w[5]);
        d["date"] = $"{year}-{month}-{day}";
        d["day"] = day;
        d["epoch"] = e.ToString(CultureInfo.InvariantCulture);
        d["epoch_int"] = e.ToString(CultureInfo.InvariantCulture);
        d["hour"] = hour;
        d["iso8601"] = utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        d["iso8601_basic"] = $"{year}{month}{day}T{hour}{minute}{second}{micro}";
        d["iso8601_basic_short"] = $"{year}{month}{day}T{hour}{minute}{second}";
        d["iso8601_micro"] = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + $".{micro}Z";
        d["minute"] = minute;
        d["month"] = month;
        d["second"] = second;
        d["time"] = $"{hour}:{minute}:{second}";
        d["tz"] = w[7];
        d["tz_dst"] = DstName(tzJan, tzJul, w[7]);
        d["tz_offset"] = w[6];
        d["weekday"] = w[8];
        d["weekday_number"] = w[9];
        d["weeknumber"] = w[10];
        d["year"] = year;
        return d;
    }

    /// <summary>Python's time.tzname[1]: the zone's daylight-saving name, or its only name when it has none.</summary>
    private static string DstName(string jan, string jul, string fallback)
    {
        var a = jan.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var b = jul.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (a.Length < 2 || b.Length < 2) return fallback;
        if (a[0] == b[0]) return a[1];
        return Minutes(a[0]) > Minutes(b[0]) ? a[1] : b[1];
    }

    private static int Minutes(string offset) =>
        offset.Length == 5 && int.TryParse(offset.AsSpan(1, 2), out var h) && int.TryParse(offset.AsSpan(3, 2), out var m)
            ? (offset[0] == '-' ? -1 : 1) * (h * 60 + m) : 0;
}

using System.Globalization;

namespace Runner.Engine.Templating;

/// <summary>
/// Python's time.strftime / datetime.strftime for the C locale (https://docs.python.org/3/library/time.html#time.strftime):
/// %a %A %b %B %c %d %e %f %H %I %j %m %M %p %S %U %w %W %x %X %y %Y %z %Z %%; an unknown directive is kept as
/// written, as glibc does.
/// </summary>
public static class PyStrftime
{
    /// <summary>Formats <paramref name="t"/> (local or UTC; %z/%Z follow its offset) with <paramref name="format"/>.</summary>
    public static string Format(string format, DateTimeOffset t)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length) { sb.Append(format[i]); continue; }
            var d = format[++i];
            sb.Append(d switch
            {
                'a' => t.ToString("ddd", c), 'A' => t.ToString("dddd", c),
                'b' or 'h' => t.ToString("MMM", c), 'B' => t.ToString("MMMM", c),
                'c' => t.ToString("ddd MMM ", c) + t.Day.ToString(c).PadLeft(2) + t.ToString(" HH:mm:ss yyyy", c),
                'd' => t.ToString("dd", c), 'e' => t.Day.ToString(c).PadLeft(2), 'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", c),
                'H' => t.ToString("HH", c), 'I' => t.ToString("hh", c), 'j' => t.DayOfYear.ToString("D3", c),
                'm' => t.ToString("MM", c), 'M' => t.ToString("mm", c), 'p' => t.Hour < 12 ? "AM" : "PM",
                'S' => t.ToString("ss", c), 'w' => ((int)t.DayOfWeek).ToString(c),
                'U' => ((t.DayOfYear + 6 - (int)t.DayOfWeek) / 7).ToString("D2", c),
                'W' => ((t.DayOfYear + 6 - ((int)t.DayOfWeek + 6) % 7) / 7).ToString("D2", c),
                'x' => t.ToString("MM/dd/yy", c), 'X' => t.ToString("HH:mm:ss", c),
                'y' => t.ToString("yy", c), 'Y' => t.Year.ToString(c),
                'z' => (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.Duration().ToString("hhmm", c),
                'Z' => t.Offset == TimeSpan.Zero ? "UTC" : TimeZoneInfo.Local.StandardName,
                '%' => "%",
                _ => "%" + d,
            });
        }
        return sb.ToString();
    }

    /// <summary>Python's str(datetime): "YYYY-MM-DD HH:MM:SS" plus ".ffffff" when the microseconds are not zero.</summary>
    public static string DateTimeStr(DateTime t)
    {
        var s = t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var us = t.Ticks % TimeSpan.TicksPerSecond / 10;
        return us == 0 ? s : s + "." + us.ToString("D6", CultureInfo.InvariantCulture);
    }
}

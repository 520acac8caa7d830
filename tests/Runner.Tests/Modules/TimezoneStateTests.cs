using Runner.Modules.Sys;

namespace Runner.Tests.Modules;

/// <summary>The timezone module's reading of `timedatectl status` and the Debian files, and its /etc/timezone line edit.</summary>
public class TimezoneStateTests
{
    private const string Status = """
                       Local time: Wed 2026-12-02 00:20:00 UTC
                   Universal time: Wed 2026-12-02 00:20:00 UTC
                         RTC time: n/a
                        Time zone: Etc/UTC (UTC, +0000)
        System clock synchronized: no
                      NTP service: n/a
                  RTC in local TZ: no
        """;

    [Fact]
    public void Timedatectl_status_gives_zone_and_rtc_mode()
    {
        Assert.Equal("Etc/UTC", TimezoneState.FromStatus(Status, "name"));
        Assert.Equal("UTC", TimezoneState.FromStatus(Status, "hwclock"));
        Assert.Equal("local", TimezoneState.FromStatus(Status.Replace("local TZ: no", "local TZ: yes"), "hwclock"));
        Assert.Equal("Asia/Tokyo", TimezoneState.FromStatus("Timezone: Asia/Tokyo (JST, +0900)\n", "name")); // older systemd spelling
        Assert.Null(TimezoneState.FromStatus("nothing here", "name"));
    }

    [Fact]
    public void Debian_files_give_zone_and_hwclock()
    {
        Assert.Equal("Europe/Paris", TimezoneState.FromTimezoneFile("\n  # comment\nEurope/Paris\nother\n", before: true));
        Assert.Equal("n/a", TimezoneState.FromTimezoneFile(null, before: false));
        Assert.Equal("n/a", TimezoneState.FromTimezoneFile("   \n", before: true));
        Assert.Null(TimezoneState.FromTimezoneFile("   \n", before: false));
        Assert.Equal("Etc/UTC", TimezoneState.FromLocaltimeLink("../usr/share/zoneinfo/Etc/UTC"));
        Assert.Equal("Asia/Tokyo", TimezoneState.FromLocaltimeLink("/etc/zoneinfo/Asia/Tokyo"));
        Assert.Equal("n/a", TimezoneState.FromLocaltimeLink("/tmp/zone"));
        Assert.Equal("UTC", TimezoneState.FromRcs("# x\nUTC=yes\n"));
        Assert.Equal("local", TimezoneState.FromRcs("UTC = no\n"));
        Assert.Equal("n/a", TimezoneState.FromRcs(null));
        Assert.Equal("local", TimezoneState.FromAdjtime("0.0 0 0.0\n0\nLOCAL\n"));
        Assert.Equal("UTC", TimezoneState.FromAdjtime(null));
    }

    [Fact]
    public void Edit_replaces_every_matching_line_where_the_first_was()
    {
        Assert.Equal(("Asia/Tokyo\n", 0), TimezoneState.EditLines(null, "name", "Asia/Tokyo\n"));
        Assert.Equal(("  \nAsia/Tokyo\n", 2), TimezoneState.EditLines("  \nEtc/UTC\nmore", "name", "Asia/Tokyo\n"));
        Assert.Equal(("# rcS\nUTC=no\nX=1\n", 2), TimezoneState.EditLines("# rcS\nUTC=yes\nX=1\nUTC=yes\n", "hwclock", "UTC=no\n"));
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Values;
using Runner.Modules.Sys;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// timezone and service_facts over SSH against the booted Debian host: the zone is set once (timedatectl, and the
/// /etc/timezone + /etc/localtime way with timedatectl hidden), the second run is ok, check mode touches nothing
/// (asserted with readlink, /etc/timezone and `timedatectl show`); the host's zone files are put back afterwards.
/// service_facts reports ssh.service as systemctl does.
/// </summary>
[Collection("nspawn")]
public class TimezoneAndServiceFactsLabTests
{
    private const string Hidden = "/usr/bin/timedatectl.runner-hidden";

    private static Task<string> State(IConnection c) =>
        Sh(c, "readlink /etc/localtime; cat /etc/timezone; if command -v timedatectl >/dev/null; then timedatectl show -p Timezone --value; fi");

    /// <summary>Runs <paramref name="test"/> and puts /etc/localtime, /etc/timezone and timedatectl back as they were.</summary>
    private static async Task Restoring(IConnection c, Func<Task> test)
    {
        var link = await Sh(c, "readlink /etc/localtime");
        var tz = await Sh(c, "base64 -w0 /etc/timezone");
        var zone = await Sh(c, "timedatectl show -p Timezone --value");
        var before = await State(c);
        try { await test(); }
        finally
        {
            // timedated keeps the zone it last set while it runs: set it back through timedatectl, then the exact link
            await c.ExecAsync($"[ -e {Hidden} ] && mv {Hidden} /usr/bin/timedatectl; timedatectl set-timezone {ShellQuote.Quote(zone)}; " +
                              $"ln -sfn -- {ShellQuote.Quote(link)} /etc/localtime; " +
                              $"printf '%s' {ShellQuote.Quote(tz)} | base64 -d > /etc/timezone");
            Assert.Equal(before, await State(c));
        }
    }

    private static async Task<string> OtherZone(IConnection c) =>
        (await Sh(c, "cat /etc/timezone")) == "Asia/Tokyo" ? "Europe/Paris" : "Asia/Tokyo";

    private static Dict Diff(string before, string after) =>
        new() { ["before"] = new Dict { ["name"] = before }, ["after"] = new Dict { ["name"] = after } };

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Timezone_with_timedatectl_changes_once_and_check_mode_touches_nothing(string kind)
    {
        await using var c = Connect(kind);
        Assert.NotEqual("", await Sh(c, "command -v timedatectl"));
        await Restoring(c, async () =>
        {
            var zone = await OtherZone(c);
            var was = await Sh(c, "timedatectl show -p Timezone --value");
            var state = await State(c);
            var args = D.Of("name", zone);

            var check = await Run(c, new TimezoneModule(), args, check: true);
            Assert.Equal(true, check["changed"]);
            Assert.Equal(PyStr.JsonDumps(Diff(was, zone)), PyStr.JsonDumps(check["diff"]));
            Assert.False(check.ContainsKey("msg"));
            Assert.Equal(state, await State(c));

            var first = await Run(c, new TimezoneModule(), args);
            Assert.Equal(true, first["changed"]);
            Assert.Equal($"executed `/usr/bin/timedatectl set-timezone {zone}`", first["msg"]);
            Assert.Equal(zone, await Sh(c, "timedatectl show -p Timezone --value"));
            Assert.EndsWith("/usr/share/zoneinfo/" + zone, await Sh(c, "readlink /etc/localtime"));

            var second = await Run(c, new TimezoneModule(), args);
            Assert.Equal(false, second["changed"]);
            Assert.Equal(PyStr.JsonDumps(Diff(zone, zone)), PyStr.JsonDumps(second["diff"]));
            Assert.Equal(false, (await Run(c, new TimezoneModule(), D.Of("name", zone, "hwclock", "UTC"), check: true))["changed"]);
        });
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Timezone_without_timedatectl_writes_etc_timezone_and_the_localtime_link(string kind)
    {
        await using var c = Connect(kind);
        await Restoring(c, async () =>
        {
            await c.ExecAsync($"mv /usr/bin/timedatectl {Hidden}");
            var zone = await OtherZone(c);
            var was = await Sh(c, "cat /etc/timezone");
            var state = await State(c);
            var args = D.Of("name", zone);

            var check = await Run(c, new TimezoneModule(), args, check: true);
            Assert.Equal(true, check["changed"]);
            Assert.Equal(PyStr.JsonDumps(Diff(was, zone)), PyStr.JsonDumps(check["diff"]));
            Assert.Equal(state, await State(c));

            var first = await Run(c, new TimezoneModule(), args);
            Assert.True(first.Get("changed") is true, PyStr.Repr(first));
            Assert.Equal("Added 1 line and deleted 1 line(s) on /etc/timezone", first["msg"]);
            Assert.Equal(zone, await Sh(c, "cat /etc/timezone"));
            Assert.Equal("/usr/share/zoneinfo/" + zone, await Sh(c, "readlink /etc/localtime"));

            Assert.Equal(false, (await Run(c, new TimezoneModule(), args))["changed"]);
            // /etc/timezone alone does not make the zone: a link elsewhere is a change again
            await c.ExecAsync("ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime");
            var relinked = await Run(c, new TimezoneModule(), args);
            Assert.Equal(PyStr.JsonDumps(Diff("Etc/UTC", zone)), PyStr.JsonDumps(relinked["diff"]));
            Assert.Equal("/usr/share/zoneinfo/" + zone, await Sh(c, "readlink /etc/localtime"));
        });
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Timezone_fails_for_a_zone_without_a_zoneinfo_file(string kind)
    {
        await using var c = Connect(kind);
        var state = await State(c);
        var r = await Run(c, new TimezoneModule(), D.Of("name", "No/Where"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Error message:\ngiven timezone \"No/Where\" is not available", r["msg"]);
        Assert.Equal("one of the following is required: hwclock, name", (await Run(c, new TimezoneModule(), new Dict()))["msg"]);
        Assert.Equal(state, await State(c));
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Service_facts_reports_ssh_as_systemctl_does(string kind)
    {
        await using var c = Connect(kind);
        foreach (var check in new[] { false, true })
        {
            var r = await Run(c, new ServiceFactsModule(), new Dict(), check);
            Assert.Equal(false, r["changed"]);
            var services = (Dict)((Dict)r["ansible_facts"]!)["services"]!;
            var ssh = (Dict)services["ssh.service"]!;
            var active = await Sh(c, "systemctl is-active ssh.service");
            Assert.Equal(active == "active" ? "running" : "stopped", ssh["state"]);
            Assert.Equal(await Sh(c, "systemctl is-enabled ssh.service"), ssh["status"]);
            Assert.Equal("systemd", ssh["source"]);
            Assert.Equal("running", ((Dict)services["ssh"]!)["state"]); // /etc/init.d/ssh, from `service --status-all`
            Assert.Equal("sysv", ((Dict)services["ssh"]!)["source"]);
            var units = (await Sh(c, "systemctl list-unit-files --no-legend --no-pager --type service | cut -d' ' -f1")).Split('\n');
            Assert.All(units, u => Assert.True(services.ContainsKey(u), u));
        }
    }
}

using Runner.Modules.Sys;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The system modules over SSH against a booted Debian host (systemd as PID 1), with python3 and curl and without (the
/// lab's bare host): first run changes, second is ok,
/// check mode reports the change and leaves the host untouched (asserted with getent, dpkg-query, systemctl, files).
/// </summary>
[Collection("nspawn")]
public class BootedHostTests
{
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Group_and_user_are_created_once_and_check_mode_touches_nothing(string kind)
    {
        await using var c = Connect(kind);
        var g = "rg" + Unique(); var u = "ru" + Unique();
        try
        {
            var gArgs = D.Of("name", g, "gid", 2345L);
            Assert.Equal(new Runner.Engine.Values.Dict { ["changed"] = true }, await Run(c, new GroupModule(), gArgs, check: true));
            Assert.Equal("", await Sh(c, $"getent group {g}"));
            var g1 = await Run(c, new GroupModule(), gArgs);
            Assert.Equal(true, g1["changed"]); Assert.Equal(2345L, g1["gid"]); Assert.Equal(false, g1["system"]);
            Assert.Equal($"{g}:x:2345:", await Sh(c, $"getent group {g}"));
            Assert.Equal(false, (await Run(c, new GroupModule(), gArgs))["changed"]);

            var uArgs = D.Of("name", u, "uid", 2346L, "group", g, "groups", new List<object?> { "users" }, "shell", "/bin/bash", "comment", "Runner test");
            Assert.Equal(true, (await Run(c, new UserModule(), uArgs, check: true))["changed"]);
            Assert.Equal("", await Sh(c, $"getent passwd {u}"));
            var u1 = await Run(c, new UserModule(), uArgs);
            Assert.Equal(true, u1["changed"]); Assert.Equal(2346L, u1["uid"]); Assert.Equal(2345L, u1["group"]);
            Assert.Equal("users", u1["groups"]); Assert.Equal($"/home/{u}", u1["home"]); Assert.Equal(true, u1["create_home"]);
            Assert.Equal($"{u}:x:2346:2345:Runner test:/home/{u}:/bin/bash", await Sh(c, $"getent passwd {u}"));
            Assert.Equal($"{g} users", await Sh(c, $"id -Gn {u}"));
            Assert.Equal("yes", await Sh(c, $"test -d /home/{u} && echo yes"));
            var u2 = await Run(c, new UserModule(), uArgs);
            Assert.Equal(false, u2["changed"]); Assert.Equal(false, u2["append"]);

            var shell = D.Of("name", u, "shell", "/bin/sh");
            Assert.Equal(true, (await Run(c, new UserModule(), shell, check: true))["changed"]);
            Assert.EndsWith(":/bin/bash", await Sh(c, $"getent passwd {u}"));
            Assert.Equal(true, (await Run(c, new UserModule(), shell))["changed"]);
            Assert.EndsWith(":/bin/sh", await Sh(c, $"getent passwd {u}"));

            var gone = await Run(c, new UserModule(), D.Of("name", u, "state", "absent", "remove", true));
            Assert.Equal(true, gone["changed"]); Assert.Equal(true, gone["remove"]);
            Assert.Equal("", await Sh(c, $"getent passwd {u}"));
            Assert.Equal(false, (await Run(c, new UserModule(), D.Of("name", u, "state", "absent")))["changed"]);
        }
        finally { await c.ExecAsync($"userdel -r {u} 2>/dev/null; groupdel {g} 2>/dev/null; true"); }
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task User_with_a_missing_group_fails_clearly(string kind)
    {
        await using var c = Connect(kind);
        var r = await Run(c, new UserModule(), D.Of("name", "rx" + Unique(), "groups", new List<object?> { "no-such-group" }));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Group no-such-group does not exist", r["msg"]);
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Apt_installs_from_the_lab_repository_once_and_removes(string kind)
    {
        await using var c = Connect(kind);
        // a fresh host has no package lists yet; tests may run in any order
        await c.ExecAsync("apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get -y -q purge hello >/dev/null 2>&1; true");
        var args = D.Of("name", "hello", "update_cache", true);
        var check = await Run(c, new AptModule(), args, check: true, diff: true);
        Assert.Equal(true, check["changed"]);
        // Ansible's apt simulates the install in check mode and shows apt-get's plan as the "prepared" diff: from after
        // "Reading state information..." (from the start when apt prints no such line, as on a fresh host) to the
        // "N upgraded" line (apt.py parse_diff)
        var prepared = (string)((Runner.Engine.Values.Dict)check["diff"]!)["prepared"]!;
        // "N not upgraded" counts what the lab repository holds newer than the host (perl-base, for the git lab tests)
        Assert.Matches(@"The following NEW packages will be installed:\n  hello\n0 upgraded, 1 newly installed, 0 to remove and \d+ not upgraded\.$", prepared);
        Assert.DoesNotContain("Reading state information", prepared);
        Assert.DoesNotContain("Inst hello", prepared);
        Assert.Equal("", await Sh(c, "dpkg-query -W -f '${Status}' hello 2>/dev/null | grep 'ok installed' || true"));
        var first = await Run(c, new AptModule(), args);
        Assert.True(first.Get("changed") is true, Runner.Engine.Values.PyStr.Repr(first));
        Assert.Equal("install ok installed", await Sh(c, "dpkg-query -W -f '${Status}' hello"));
        Assert.Equal(false, (await Run(c, new AptModule(), D.Of("name", "hello", "cache_valid_time", 3600L)))["changed"]);
        Assert.Equal(false, (await Run(c, new PackageModule(), D.Of("name", "hello", "state", "present")))["changed"]);
        Assert.Equal(false, (await Run(c, new AptModule(), D.Of("name", "hello=2.10*")))["changed"]);
        var removed = await Run(c, new AptModule(), D.Of("name", "hello", "state", "absent", "purge", true));
        Assert.Equal(true, removed["changed"]);
        Assert.Equal("", await Sh(c, "dpkg-query -W -f '${Status}' hello 2>/dev/null | grep 'ok installed' || true"));
        Assert.Equal(false, (await Run(c, new AptModule(), D.Of("name", "hello", "state", "absent")))["changed"]);
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Apt_fails_clearly_for_a_package_that_does_not_exist(string kind)
    {
        await using var c = Connect(kind);
        await c.ExecAsync("apt-get update -qq >/dev/null 2>&1; true");
        var r = await Run(c, new AptModule(), D.Of("name", new List<object?> { "hello", "no-such-package-runner" }));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("No package matching 'no-such-package-runner' is available", r["msg"]);
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Systemd_starts_and_enables_a_unit_once_and_check_mode_leaves_it_alone(string kind)
    {
        await using var c = Connect(kind);
        var unit = "rtest" + Unique() + ".service";
        try
        {
            await c.PutFileAsync("[Unit]\nDescription=runner test\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n"u8.ToArray(),
                "/etc/systemd/system/" + unit);
            var args = D.Of("name", unit, "state", "started", "enabled", true, "daemon_reload", true);
            var check = await Run(c, new SystemdModule(), args, check: true);
            Assert.Equal(true, check["changed"]);
            await c.ExecAsync("systemctl daemon-reload");
            Assert.Equal("inactive", await Sh(c, $"systemctl is-active {unit}"));
            Assert.Equal("disabled", await Sh(c, $"systemctl is-enabled {unit}"));
            var first = await Run(c, new SystemdModule(), args);
            Assert.Equal(true, first["changed"]); Assert.Equal(true, first["enabled"]); Assert.Equal("started", first["state"]);
            Assert.Equal("active", await Sh(c, $"systemctl is-active {unit}"));
            Assert.Equal("enabled", await Sh(c, $"systemctl is-enabled {unit}"));
            var second = await Run(c, new SystemdModule(), args);
            Assert.Equal(false, second["changed"]);
            Assert.Equal("active", ((Runner.Engine.Values.Dict)second["status"]!)["ActiveState"]);
            Assert.Equal(false, (await Run(c, new ServiceModule(), D.Of("name", unit, "state", "started")))["changed"]);
            Assert.Equal(true, (await Run(c, new SystemdModule(), D.Of("name", unit, "state", "restarted")))["changed"]);
            var stop = D.Of("name", unit, "state", "stopped", "enabled", false);
            Assert.Equal(true, (await Run(c, new SystemdModule(), stop, check: true))["changed"]);
            Assert.Equal("active", await Sh(c, $"systemctl is-active {unit}"));
            Assert.Equal(true, (await Run(c, new SystemdModule(), stop))["changed"]);
            Assert.Equal("inactive", await Sh(c, $"systemctl is-active {unit}"));
            Assert.Equal(false, (await Run(c, new SystemdModule(), stop))["changed"]);
        }
        finally { await c.ExecAsync($"systemctl disable --now {unit} 2>/dev/null; rm -f /etc/systemd/system/{unit}; systemctl daemon-reload"); }
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Systemd_masks_once_daemon_reload_is_no_change_and_service_enables_once(string kind)
    {
        await using var c = Connect(kind);
        var unit = "port-systemd-" + Unique() + ".service";
        try
        {
            await c.PutFileAsync("[Unit]\nDescription=runner mask test\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n"u8.ToArray(),
                "/usr/lib/systemd/system/" + unit); // systemctl cannot mask a unit whose file is in /etc
            Assert.Equal(false, (await Run(c, new SystemdModule(), D.Of("daemon_reload", true)))["changed"]);
            var enable = D.Of("name", unit, "enabled", true);
            Assert.Equal(true, (await Run(c, new ServiceModule(), enable, check: true))["changed"]);
            Assert.Equal("disabled", await Sh(c, $"systemctl is-enabled {unit}"));
            Assert.Equal(true, (await Run(c, new ServiceModule(), enable))["changed"]);
            Assert.Equal("enabled", await Sh(c, $"systemctl is-enabled {unit}"));
            Assert.Equal(false, (await Run(c, new ServiceModule(), enable))["changed"]);
            Assert.Equal(true, (await Run(c, new SystemdModule(), D.Of("name", unit, "enabled", false)))["changed"]);

            var mask = D.Of("name", unit, "masked", true);
            Assert.Equal(true, (await Run(c, new SystemdModule(), mask, check: true))["changed"]);
            Assert.Equal("disabled", await Sh(c, $"systemctl is-enabled {unit}"));
            Assert.Equal(true, (await Run(c, new SystemdModule(), mask))["changed"]);
            Assert.Equal("masked", await Sh(c, $"systemctl is-enabled {unit}; true"));
            Assert.Equal(false, (await Run(c, new SystemdModule(), mask))["changed"]);
            Assert.Equal(true, (await Run(c, new SystemdModule(), D.Of("name", unit, "masked", false)))["changed"]);
            Assert.Equal("disabled", await Sh(c, $"systemctl is-enabled {unit}; true"));
        }
        finally { await c.ExecAsync($"systemctl unmask {unit} 2>/dev/null; systemctl disable {unit} 2>/dev/null; rm -f /usr/lib/systemd/system/{unit}; systemctl daemon-reload"); }
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task A_unit_with_a_broken_ExecStart_fails_with_its_journal_lines(string kind)
    {
        await using var c = Connect(kind);
        var unit = "rbroken" + Unique() + ".service";
        try
        {
            await c.PutFileAsync("[Service]\nExecStart=/bin/sh -c 'echo runner-broken-unit-says-bye; exit 3'\n"u8.ToArray(), "/etc/systemd/system/" + unit);
            var r = await Run(c, new SystemdModule(), D.Of("name", unit, "state", "started", "daemon_reload", true));
            Assert.Equal(true, r["failed"]);
            var msg = (string)r["msg"]!;
            Assert.StartsWith($"Unable to start service {unit}", msg);
            Assert.Contains("runner-broken-unit-says-bye", msg);
            var missing = await Run(c, new SystemdModule(), D.Of("name", "no-such-unit-runner.service", "state", "started"));
            Assert.Equal("Could not find the requested service no-such-unit-runner.service: host", missing["msg"]);
        }
        finally { await c.ExecAsync($"systemctl reset-failed {unit} 2>/dev/null; rm -f /etc/systemd/system/{unit}; systemctl daemon-reload"); }
    }
}

using Runner.Engine.Modules;
using Runner.Modules;
using Runner.Modules.Sys;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// Check mode on a booted host: a unit or group that an earlier task of the run would have created is reported as a
/// change with a warning; one that nothing planned fails as under ansible-playbook --check (for a user to create,
/// Ansible answers changed before it looks at the group, so the group case uses an existing user); on the
/// booted host and on the bare one (no python3, curl, wget).
/// </summary>
[Collection("nspawn")]
public class CheckModePlanLabTests
{
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task A_unit_is_assumed_only_when_an_earlier_task_would_write_its_file(string kind)
    {
        await using var c = Connect(kind);
        var unit = "runner-planned-" + Unique();
        var alone = await Run(c, new SystemdModule(), D.Of("name", unit, "state", "started"), check: true);
        Assert.Equal(true, alone["failed"]);
        Assert.Equal($"Could not find the requested service {unit}: host", alone["msg"]);

        var planned = new PlannedState();
        var write = await Run(c, new CopyModule(), D.Of("dest", $"/etc/systemd/system/{unit}.service", "content", "[Service]\nExecStart=/bin/true\n"),
            check: true, planned: planned);
        Assert.Equal(true, write["changed"]);
        var after = await Run(c, new SystemdModule(), D.Of("name", unit, "state", "started", "enabled", true), check: true, planned: planned);
        Assert.Equal(true, after["changed"]);
        Assert.NotNull(after.Get("warnings"));
        Assert.Equal("no", await Sh(c, $"test -e /etc/systemd/system/{unit}.service && echo yes || echo no"));
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task A_users_group_is_assumed_only_when_an_earlier_task_would_add_it(string kind)
    {
        await using var c = Connect(kind);
        var g = "rpg" + Unique();
        var u = "rpu" + Unique();
        // a user to create: Ansible's check mode answers changed before useradd would look at the group (user.py main)
        var created = await Run(c, new UserModule(), D.Of("name", u, "group", g), check: true);
        Assert.Equal(true, created["changed"]);
        Assert.Null(created.Get("failed"));

        // an existing user: usermod's group check runs in check mode too, unless an earlier task would add the group
        await Sh(c, $"useradd {u}");
        try
        {
            var alone = await Run(c, new UserModule(), D.Of("name", u, "group", g), check: true);
            Assert.Equal(true, alone["failed"]);
            Assert.Equal($"Group {g} does not exist", alone["msg"]);

            var planned = new PlannedState();
            Assert.Equal(true, (await Run(c, new GroupModule(), D.Of("name", g), check: true, planned: planned))["changed"]);
            var after = await Run(c, new UserModule(), D.Of("name", u, "group", g), check: true, planned: planned);
            Assert.Equal(true, after["changed"]);
            Assert.NotNull(after.Get("warnings"));
            Assert.Equal("", await Sh(c, $"getent group {g}"));
            Assert.Equal(u, (await Sh(c, $"id -gn {u}")));
        }
        finally { await Sh(c, $"userdel -r {u} 2>/dev/null; :"); }
    }
}

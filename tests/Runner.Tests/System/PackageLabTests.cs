using Runner.Engine.Values;
using Runner.Modules.Sys;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// package, apt's update_cache and pip on the booted Debian host (rdeb1): changed on the first run, ok on the second,
/// the host's state read back with dpkg-query/stat, and check mode changing nothing. The package is `tree` from the lab's
/// apt repository (the user and apt basics are in <see cref="BootedHostTests"/>); pip runs a stub pip (rdeb1 has
/// none) that keeps its installed list in a file, so the module's probe, commands and results are real.
/// </summary>
[Collection("nspawn")]
public class PackageLabTests
{
    private const string Installed = "dpkg-query -W -f '${Status}' tree 2>/dev/null | grep -c 'ok installed' || true";

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Package_installs_and_removes_once_and_check_mode_touches_nothing(string kind)
    {
        await using var c = Connect(kind);
        try
        {
            await c.ExecAsync("apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get -y -q purge tree >/dev/null 2>&1; true");
            var present = D.Of("name", "tree", "state", "present");
            var check = await Run(c, new PackageModule(), present, check: true, diff: true);
            Assert.Equal(true, check["changed"]);
            Assert.Contains("tree", (string)((Dict)check["diff"]!)["prepared"]!);
            Assert.Contains("Inst tree", (string)check["stdout"]!);
            Assert.Equal("0", await Sh(c, Installed));

            var first = await Run(c, new PackageModule(), present);
            Assert.True(first.Get("changed") is true, PyStr.Repr(first));
            Assert.Equal("1", await Sh(c, Installed));
            Assert.Equal(false, (await Run(c, new PackageModule(), present))["changed"]);

            var absent = D.Of("name", "tree", "state", "absent");
            Assert.Equal(true, (await Run(c, new PackageModule(), absent, check: true))["changed"]);
            Assert.Equal("1", await Sh(c, Installed));
            Assert.Equal(true, (await Run(c, new PackageModule(), absent))["changed"]);
            Assert.Equal("0", await Sh(c, Installed));
            Assert.Equal(false, (await Run(c, new PackageModule(), absent))["changed"]);
        }
        finally { await c.ExecAsync("DEBIAN_FRONTEND=noninteractive apt-get -y -q purge tree >/dev/null 2>&1; true"); }
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Update_cache_in_check_mode_leaves_the_lists_and_a_real_update_reports_their_time(string kind)
    {
        await using var c = Connect(kind);
        const string stamp = "stat -c %Y /var/lib/apt/lists";
        var before = long.Parse(await Sh(c, stamp));
        var check = await Run(c, new AptModule(), D.Of("update_cache", true), check: true);
        Assert.Equal(true, check["changed"]);
        Assert.Equal(true, check["cache_updated"]);
        Assert.Equal(before, check["cache_update_time"]);
        Assert.Equal(before, long.Parse(await Sh(c, stamp)));

        var real = await Run(c, new AptModule(), D.Of("update_cache", true));
        var after = long.Parse(await Sh(c, stamp));
        Assert.Equal(after, real["cache_update_time"]);
        Assert.Equal(after != before, real["changed"]);
        Assert.Equal(after != before, real["cache_updated"]);
        // a cache younger than cache_valid_time is not updated again
        var valid = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - after + 3600;
        var fresh = await Run(c, new AptModule(), D.Of("name", "tree", "state", "absent", "cache_valid_time", valid));
        Assert.Equal(false, fresh["cache_updated"]);
        Assert.Equal(after, fresh["cache_update_time"]);
    }

    [NspawnFact]
    public async Task Pip_installs_and_uninstalls_once_and_check_mode_touches_nothing()
    {
        await using var c = Connect();
        var dir = "/tmp/port-pkg-pip-" + Unique();
        var pip = dir + "/pip";
        const string stub = """
            #!/bin/sh
            db="$(dirname "$0")/installed"; touch "$db"
            cmd=$1; shift
            case $cmd in
              list) cat "$db" ;;
              install) for p in "$@"; do case $p in -*) ;; *) echo "$p==1.0" >> "$db"; echo "Successfully installed $p-1.0" ;; esac; done ;;
              uninstall) for p in "$@"; do case $p in -*) ;; *) grep -v "^$p==" "$db" > "$db.n"; mv "$db.n" "$db"; echo "Successfully uninstalled $p" ;; esac; done ;;
            esac
            """;
        try
        {
            await c.ExecAsync($"mkdir -p {dir}");
            await c.PutFileAsync(System.Text.Encoding.UTF8.GetBytes(stub + "\n"), pip);
            await c.ExecAsync($"chmod 755 {pip}");
            var args = D.Of("name", new List<object?> { "port_pkg_demo" }, "executable", pip);
            var check = await Run(c, new PipModule(), args, check: true);
            Assert.Equal(true, check["changed"]);
            Assert.Equal("", await Sh(c, $"cat {dir}/installed"));

            var first = await Run(c, new PipModule(), args);
            Assert.Equal(true, first["changed"]);
            Assert.Equal($"{pip} install port_pkg_demo", first["cmd"]);
            Assert.Equal("port_pkg_demo==1.0", await Sh(c, $"cat {dir}/installed"));
            Assert.Equal(false, (await Run(c, new PipModule(), D.Of("name", new List<object?> { "Port-Pkg-Demo" }, "executable", pip)))["changed"]);

            var absent = D.Of("name", new List<object?> { "port_pkg_demo" }, "executable", pip, "state", "absent");
            Assert.Equal(true, (await Run(c, new PipModule(), absent, check: true))["changed"]);
            Assert.Equal("port_pkg_demo==1.0", await Sh(c, $"cat {dir}/installed"));
            Assert.Equal(true, (await Run(c, new PipModule(), absent))["changed"]);
            Assert.Equal("", await Sh(c, $"cat {dir}/installed"));
            Assert.Equal(false, (await Run(c, new PipModule(), absent))["changed"]);

            var missing = await Run(c, new PipModule(), D.Of("name", new List<object?> { "x" }, "executable", dir + "/nope"));
            Assert.Equal($"Unable to find any of {dir}/nope to use.  pip needs to be installed.", missing["msg"]);
        }
        finally { await c.ExecAsync($"rm -rf {dir}"); }
    }
}

using Runner.Engine.Values;
using Runner.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Tests.Modules;

/// <summary>
/// ansible.posix.mount on the local machine with an fstab file in a temp folder (the fstab-only states need no root):
/// what spec cases cannot pin down (a backup's timestamped name), the probes' scripts run for real, and the parsers.
/// </summary>
public class MountModuleTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();
    private readonly MountModule _m = new();

    [Fact]
    public async Task Present_with_backup_keeps_the_old_fstab_and_returns_its_name()
    {
        var fstab = _h.P("fstab");
        File.WriteAllText(fstab, "# kept\nproc /proc proc defaults 0 0\n");
        var args = D.Of("path", _h.P("mount-x"), "src", "tmpfs", "fstype", "tmpfs", "opts", "size=1m", "state", "present", "fstab", fstab, "backup", true);
        var r = await _h.Run(_m, args);
        Assert.Equal(true, r["changed"]);
        var bak = (string)r["backup_file"]!;
        Assert.Matches(@"fstab\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$", bak);
        Assert.Equal("# kept\nproc /proc proc defaults 0 0\n", File.ReadAllText(bak));
        Assert.Equal($"# kept\nproc /proc proc defaults 0 0\ntmpfs {_h.P("mount-x")} tmpfs size=1m 0 0\n", File.ReadAllText(fstab));
        var again = await _h.Run(_m, args);
        Assert.Equal(false, again["changed"]);
        Assert.Equal("", again["backup_file"]);
    }

    [Fact]
    public async Task Absent_from_fstab_backs_up_but_returns_no_backup_file_as_ansible()
    {
        var fstab = _h.P("fstab");
        File.WriteAllText(fstab, "tmpfs /mnt/mount-y tmpfs defaults 0 0\n");
        var r = await _h.Run(_m, D.Of("path", "/mnt/mount-y", "state", "absent_from_fstab", "fstab", fstab, "backup", true));
        Assert.Equal(true, r["changed"]);
        Assert.Equal("", r["backup_file"]);
        Assert.Equal("", File.ReadAllText(fstab));
        Assert.Single(Directory.GetFiles(_h.Dir, "fstab.*~"));
    }

    [Fact]
    public async Task A_missing_fstab_is_created_and_a_folder_that_is_not_a_mount_point_is_not_unmounted()
    {
        var fstab = _h.P("etc/fstab");
        Directory.CreateDirectory(_h.P("mount-z"));
        var r = await _h.Run(_m, D.Of("path", _h.P("mount-z"), "state", "unmounted", "fstab", fstab));
        Assert.Equal(false, r["changed"]);
        Assert.True(File.Exists(fstab));
    }

    [Fact]
    public void The_mount_point_probe_follows_ansibles_ismount()
    {
        Assert.True(new MountPointFact("/").Parse(new(0, "S 2049 2\nP 2049 2\nE\n", "")).IsMount);
        Assert.False(new MountPointFact("/a").Parse(new(0, "E\n", "")).IsMount); // a symlink: no stat lines
        Assert.Equal(new MountPointFact.State(false, false, 1), new MountPointFact("/mnt/x").Parse(new(0, "M 1\n", "")));
        Assert.Equal(new[] { "/mnt", "/mnt/x" }, MountPointFact.Prefixes("/mnt/x/"));
        Assert.Equal(new[] { "a", "a/b" }, MountPointFact.Prefixes("a/b"));
    }

    [Fact]
    public void Mountinfo_sources_are_ansibles_bind_sources()
    {
        var m = MountInfoFact.From(
            "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n" +          // parent 0 not listed: its own source
            "42 60 0:35 / /tmp rw - tmpfs tmpfs rw\n" +       // parent 60 not listed
            "78 42 0:35 /aaa /tmp/bbb rw - tmpfs tmpfs rw\n" + // a bind inside /tmp: /tmp/aaa
            "140 1 8:2 /rootfs / rw - ext4 /dev/sdb2 rw\n" +
            "141 140 8:2 /rootfs/tmp/aaa /srv/bbb rw shared:1 - ext4 /dev/sdb2 rw\n" +
            "150 1 0:50 / /mnt/data rw - tmpfs tmpfs rw\n");
        Assert.Equal("tmpfs", m["/tmp"].Src);
        Assert.Equal("/tmp/aaa", m["/tmp/bbb"].Src);
        Assert.Equal("/tmp/aaa", m["/srv/bbb"].Src);
        Assert.Equal("tmpfs", m["/mnt/data"].Src);
        Assert.Equal("/dev/sdb2", m["/"].Src);
    }

    [Fact]
    public void Fstab_lines_with_tabs_and_comments_stay_as_they_are()
    {
        var text = "# c\n\n  # indented comment\nweird line\nUUID=1\t/\text4\tdefaults\t0\t1\r\n";
        var (set, old, changed) = Fstab.Set(text, new FstabEntry("tmpfs", "/mnt/a b", "tmpfs", "defaults", "0", "0"));
        Assert.True(changed);
        Assert.Equal("# c\n\n  # indented comment\nweird line\nUUID=1\t/\text4\tdefaults\t0\t1\ntmpfs /mnt/a\\040b tmpfs defaults 0 0\n", set);
        Assert.Equal("# c\n\n  # indented comment\nweird line\nUUID=1\t/\text4\tdefaults\t0\t1\n", old);
        Assert.Equal((text.Replace("\r", ""), false), Fstab.Unset(text, "/mnt/a b", null));
        Assert.Equal(("# c\n\n  # indented comment\nweird line\n", true), Fstab.Unset(text, "/", null));
    }
}

using Runner.Engine.Values;
using Runner.Modules;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The file family under the plan contract over SSH against the booted Debian host: each change is changed on the
/// first run and ok on the second, check mode leaves the host untouched, and the host's real state is read back with
/// ssh (stat, cat, readlink); on the first host and on the bare one (no python3, curl, wget) when the lab has it.
/// Everything lives under /tmp/port-files-UNIQUE, removed afterwards.
/// </summary>
[Collection("nspawn")]
public class FileModulesLabTests
{
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task File_copy_template_and_stat_change_once_and_check_mode_touches_nothing(string host)
    {
        await using var c = Connect(host);
        var root = "/tmp/port-files-" + Unique();
        var local = Path.Combine(Path.GetTempPath(), "port-files-" + Unique() + ".j2");
        await File.WriteAllTextAsync(local, "sum={{ 1 + 2 }}\n");
        try
        {
            var dir = D.Of("path", root + "/a/b", "state", "directory", "mode", "0750");
            Assert.Equal(true, (await Run(c, new FileModule(), dir, check: true))["changed"]);
            Assert.False(await Exists(c, $"{root}"));
            var made = await Run(c, new FileModule(), dir);
            Assert.Equal(true, made["changed"]);
            Assert.Equal("0750", made["mode"]);
            // as Ansible, every folder created gets the mode
            Assert.Equal("750 750", await Sh(c, $"stat -c %a {root}/a {root}/a/b | tr '\\n' ' ' | sed 's/ $//'"));
            Assert.Equal(false, (await Run(c, new FileModule(), dir))["changed"]);

            var dest = root + "/a/b/app.conf";
            var copy = D.Of("dest", dest, "content", "v=1\n", "mode", "0640", "group", "daemon");
            var planned = await Run(c, new CopyModule(), copy, check: true, diff: true);
            Assert.Equal(true, planned["changed"]);
            Assert.Equal("v=1\n", ((Dict)((List<object?>)planned["diff"]!)[0]!)["after"]);
            Assert.False(await Exists(c, $"{dest}"));
            var wrote = await Run(c, new CopyModule(), copy);
            Assert.Equal(true, wrote["changed"]);
            Assert.Equal("0640", wrote["mode"]);
            Assert.Equal("daemon", wrote["group"]);
            Assert.Equal("v=1|640|daemon", await Sh(c, $"printf '%s|%s' \"$(cat {dest})\" \"$(stat -c '%a|%G' {dest})\""));
            Assert.Equal(false, (await Run(c, new CopyModule(), copy))["changed"]);

            var rejected = await Run(c, new CopyModule(), D.Of("dest", dest, "content", "v=2\n", "validate", "grep -q v=1 %s"));
            Assert.Equal("failed to validate", rejected["msg"]);
            Assert.Equal(1L, rejected["exit_status"]);
            Assert.Equal("v=1", await Sh(c, $"cat {dest}"));
            Assert.Equal("", await Sh(c, $"ls -A {root}/a/b | grep runner-validate || true"));
            var backedUp = await Run(c, new CopyModule(), D.Of("dest", dest, "content", "v=2\n", "backup", true, "validate", "grep -q v=2 %s"));
            Assert.Equal(true, backedUp["changed"]);
            Assert.Equal("v=1", await Sh(c, $"cat {backedUp["backup_file"]}"));
            Assert.Equal("v=2|640", await Sh(c, $"printf '%s|%s' \"$(cat {dest})\" \"$(stat -c %a {dest})\""));

            var tpl = D.Of("src", local, "dest", root + "/sum.txt");
            Assert.Equal(true, (await Run(c, new TemplateModule(), tpl, check: true))["changed"]);
            Assert.False(await Exists(c, $"{root}/sum.txt"));
            Assert.Equal(true, (await Run(c, new TemplateModule(), tpl))["changed"]);
            Assert.Equal("sum=3", await Sh(c, $"cat {root}/sum.txt"));
            Assert.Equal(false, (await Run(c, new TemplateModule(), tpl))["changed"]);

            var st = (Dict)(await Run(c, new StatModule(), D.Of("path", dest)))["stat"]!;
            Assert.Equal(await Sh(c, $"sha1sum < {dest} | cut -d' ' -f1"), st["checksum"]);
            Assert.Equal("0640", st["mode"]);

            var link = D.Of("path", root + "/current", "src", dest, "state", "link");
            Assert.Equal(true, (await Run(c, new FileModule(), link, check: true))["changed"]);
            Assert.Equal("", await Sh(c, $"readlink {root}/current || true"));
            Assert.Equal(true, (await Run(c, new FileModule(), link))["changed"]);
            Assert.Equal(dest, await Sh(c, $"readlink {root}/current"));
            Assert.Equal(false, (await Run(c, new FileModule(), link))["changed"]);

            var gone = D.Of("path", root + "/a", "state", "absent");
            var removing = await Run(c, new FileModule(), gone, check: true, diff: true);
            Assert.Equal(true, removing["changed"]);
            Assert.Contains(dest, (List<object?>)((Dict)((Dict)((Dict)removing["diff"]!)["before"]!)["path_content"]!)["files"]!);
            Assert.True(await Exists(c, $"{dest}"));
            Assert.Equal(true, (await Run(c, new FileModule(), gone))["changed"]);
            Assert.False(await Exists(c, $"{root}/a"));
            Assert.Equal(false, (await Run(c, new FileModule(), gone))["changed"]);
        }
        finally
        {
            File.Delete(local);
            await c.ExecAsync($"rm -rf -- {root}");
        }
    }

    private static async Task<bool> Exists(Runner.Engine.Connections.IConnection c, string path) =>
        await Sh(c, $"test -e {path} && echo yes || echo no") == "yes";

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Lineinfile_and_blockinfile_edit_once_and_check_mode_touches_nothing(string host)
    {
        await using var c = Connect(host);
        var root = "/tmp/port-files-" + Unique();
        var path = root + "/etc/app.cfg";
        try
        {
            var line = D.Of("path", path, "line", "port=80", "create", true, "mode", "0600");
            Assert.Equal(true, (await Run(c, new LineInFileModule(), line, check: true))["changed"]);
            Assert.False(await Exists(c, $"{root}"));
            var added = await Run(c, new LineInFileModule(), line);
            Assert.Equal(true, added["changed"]);
            Assert.Equal("line added and ownership, perms or SE linux context changed", added["msg"]);
            Assert.Equal("port=80|600", await Sh(c, $"printf '%s|%s' \"$(cat {path})\" \"$(stat -c %a {path})\""));
            Assert.Equal(false, (await Run(c, new LineInFileModule(), line))["changed"]);

            var replace = D.Of("path", path, "regexp", "^port=", "line", "port=8080", "backup", true);
            Assert.Equal(true, (await Run(c, new LineInFileModule(), replace, check: true))["changed"]);
            Assert.Equal("port=80", await Sh(c, $"cat {path}"));
            var replaced = await Run(c, new LineInFileModule(), replace);
            Assert.Equal("line replaced", replaced["msg"]);
            Assert.Equal("port=80", await Sh(c, $"cat {replaced["backup"]}"));
            Assert.Equal("port=8080|600", await Sh(c, $"printf '%s|%s' \"$(cat {path})\" \"$(stat -c %a {path})\""));

            var block = D.Of("path", path, "block", "a=1\nb=2", "insertbefore", "BOF");
            Assert.Equal(true, (await Run(c, new BlockInFileModule(), block, check: true))["changed"]);
            Assert.Equal("port=8080", await Sh(c, $"cat {path}"));
            Assert.Equal("Block inserted", (await Run(c, new BlockInFileModule(), block))["msg"]);
            Assert.Equal("# BEGIN ANSIBLE MANAGED BLOCK\na=1\nb=2\n# END ANSIBLE MANAGED BLOCK\nport=8080", await Sh(c, $"cat {path}"));
            Assert.Equal(false, (await Run(c, new BlockInFileModule(), block))["changed"]);
            Assert.Equal("Block removed", (await Run(c, new BlockInFileModule(), D.Of("path", path, "state", "absent")))["msg"]);
            Assert.Equal("port=8080", await Sh(c, $"cat {path}"));
        }
        finally { await c.ExecAsync($"rm -rf -- {root}"); }
    }
}

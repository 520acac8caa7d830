using Runner.Engine.Values;
using Runner.Modules;
using Runner.Modules.Sys;

namespace Runner.Tests.Modules;

/// <summary>
/// Values that look like options never reach a program as options: an owner or group such as
/// "--reference=/some/file" is refused with Ansible's look-up message and the file keeps its owner.
/// </summary>
public class OptionInjectionTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("owner", "--reference=/etc/passwd", "chown failed: failed to look up user --reference=/etc/passwd")]
    [InlineData("group", "--reference=/etc/passwd", "chgrp failed: failed to look up group --reference=/etc/passwd")]
    [InlineData("owner", "root:root", "chown failed: failed to look up user root:root")]
    public async Task File_and_copy_refuse_an_owner_or_group_that_is_not_a_name(string key, string value, string message)
    {
        var p = _h.P("f");
        await File.WriteAllTextAsync(p, "x");
        var before = (await new Runner.Engine.Connections.LocalConnection("l").ExecAsync($"stat -c %u:%g {p}")).Stdout;
        var file = await _h.Run(new FileModule(), D.Of("path", p, key, value));
        Assert.Equal(true, file["failed"]);
        Assert.Equal(message, file["msg"]);
        var copy = await _h.Run(new CopyModule(), D.Of("dest", p, "content", "y", key, value));
        Assert.Equal(true, copy["failed"]);
        Assert.Equal(message, copy["msg"]);
        var dir = await _h.Run(new FileModule(), D.Of("path", _h.Dir, "state", "directory", "recurse", true, key, value));
        Assert.Equal(true, dir["failed"]);
        Assert.Equal(before, (await new Runner.Engine.Connections.LocalConnection("l").ExecAsync($"stat -c %u:%g {p}")).Stdout);
    }

    [Fact]
    public async Task User_and_group_refuse_a_name_starting_with_a_dash()
    {
        var u = await _h.Run(new UserModule(), D.Of("name", "--help", "state", "present"), check: true);
        Assert.Equal(true, u["failed"]);
        Assert.Equal("Invalid user name '--help'", u["msg"]);
        var g = await _h.Run(new GroupModule(), D.Of("name", "-o", "state", "present"), check: true);
        Assert.Equal(true, g["failed"]);
        Assert.Equal("Invalid group name '-o'", g["msg"]);
    }
}

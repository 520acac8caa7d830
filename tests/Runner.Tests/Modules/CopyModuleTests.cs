using System.Text;
using Runner.Engine.Values;
using Runner.Modules;

namespace Runner.Tests.Modules;

public class CopyModuleTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();
    private readonly CopyModule _m = new();

    [Fact]
    public async Task ContentWrittenThenOk()
    {
        var p = _h.P("plain.txt");
        var r = await _h.Run(_m, D.Of("dest", p, "content", "hello"));
        Assert.Equal(true, r["changed"]);
        Assert.Equal("hello", File.ReadAllText(p));
        Assert.Equal("644", ModuleHarness.Mode(p));
        Assert.Equal("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", r["checksum"]);
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", r["md5sum"]);
        Assert.Equal(5L, r["size"]);
        Assert.Equal("0644", r["mode"]);
        Assert.Equal("file", r["state"]);
        Assert.Equal(p, r["dest"]);
        var again = await _h.Run(_m, D.Of("dest", p, "content", "hello"));
        Assert.Equal(false, again["changed"]);
        Assert.Equal(p, again["dest"]);
        Assert.Equal(5L, again["size"]);
        Assert.Equal("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", again["checksum"]);
    }

    [Fact]
    public async Task DictContentIsJsonInInsertionOrderAndNumberIsStr()
    {
        await _h.Run(_m, D.Of("dest", _h.P("dict.json"), "content", D.Of("b", 2L, "a", 1L)));
        Assert.Equal("{\"b\": 2, \"a\": 1}", File.ReadAllText(_h.P("dict.json")));
        await _h.Run(_m, D.Of("dest", _h.P("n.txt"), "content", 42L));
        Assert.Equal("42", File.ReadAllText(_h.P("n.txt")));
    }

    [Fact]
    public async Task ForceFalseNeverOverwrites()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "old");
        var r = await _h.Run(_m, D.Of("dest", p, "content", "different", "force", false));
        Assert.Equal(false, r["changed"]);
        Assert.Equal("old", File.ReadAllText(p));
    }

    [Theory]
    [InlineData(420L, "644")]
    [InlineData("0644", "644")]
    [InlineData(644L, "1204")]
    [InlineData("644", "644")]
    [InlineData("u=rw,g=r,o=", "640")]
    [InlineData("420", "420")]
    public async Task ModesAsCase019(object mode, string expected)
    {
        var p = _h.P("m");
        var r = await _h.Run(_m, D.Of("dest", p, "content", "x\n", "mode", mode));
        Assert.Equal(true, r["changed"]);
        Assert.Equal(expected, ModuleHarness.Mode(p));
        Assert.Equal(false, (await _h.Run(_m, D.Of("dest", p, "content", "x\n", "mode", mode)))["changed"]);
    }

    [Fact]
    public async Task BadModeFailsAfterTheContentIsWritten()
    {
        var p = _h.P("via-template-0600");
        var r = await _h.Run(_m, D.Of("dest", p, "content", "x\n", "mode", "384"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("mode must be in octal or symbolic form", r["msg"]);
        Assert.Equal(false, r["changed"]);
        Assert.Equal("bad symbolic permission for mode: 384", r["details"]);
        Assert.Equal("0644", r["mode"]);
        Assert.Equal("x\n", File.ReadAllText(p));
        Assert.Equal("644", ModuleHarness.Mode(p));
        var again = await _h.Run(_m, D.Of("dest", p, "content", "x\n", "mode", "384"));
        Assert.Equal(true, again["failed"]);
    }

    [Fact]
    public async Task CheckModeWritesNothingAndDiffHasStagedHeader()
    {
        var p = _h.P("copied.txt");
        var r = await _h.Run(_m, D.Of("dest", p, "content", "hello\n"), check: true, diff: true);
        Assert.Equal(true, r["changed"]);
        Assert.False(File.Exists(p));
        var diff = (Dict)Assert.Single((List<object?>)r["diff"]!)!;
        Assert.Equal("", diff["before"]);
        Assert.Equal("hello\n", diff["after"]);
        Assert.False(diff.ContainsKey("before_header"));
        Assert.Contains("/.ansible/tmp/runner-", (string)diff["after_header"]!);
        Assert.EndsWith("/source", (string)diff["after_header"]!);
    }

    [Fact]
    public async Task DiffOfExistingFileHasBeforeHeader()
    {
        var p = _h.P("e.txt");
        File.WriteAllText(p, "old\n");
        var r = await _h.Run(_m, D.Of("dest", p, "content", "new\n"), diff: true);
        var diff = (Dict)Assert.Single((List<object?>)r["diff"]!)!;
        Assert.Equal("old\n", diff["before"]);
        Assert.Equal(p, diff["before_header"]);
        Assert.Equal("new\n", File.ReadAllText(p));
    }

    [Fact]
    public async Task BackupKeepsTheOldContent()
    {
        var p = _h.P("b.txt");
        File.WriteAllText(p, "v1");
        var r = await _h.Run(_m, D.Of("dest", p, "content", "v2", "backup", true));
        var bak = (string)r["backup_file"]!;
        Assert.Matches(@"b\.txt\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$", bak);
        Assert.Equal("v1", File.ReadAllText(bak));
        Assert.Equal("v2", File.ReadAllText(p));
    }

    [Fact]
    public async Task SrcFromFilesFolderAndFolderContents()
    {
        Directory.CreateDirectory(_h.P("files/tree/sub"));
        File.WriteAllText(_h.P("files/one.txt"), "1\n");
        File.WriteAllText(_h.P("files/tree/sub/two.txt"), "2\n");
        var r = await _h.Run(_m, D.Of("src", "one.txt", "dest", _h.P("out.txt")), diff: true);
        Assert.Equal(_h.P("files/one.txt"), ((Dict)((List<object?>)r["diff"]!)[0]!)["after_header"]);
        Assert.Equal(true, r["changed"]);
        Assert.Equal("1\n", File.ReadAllText(_h.P("out.txt")));
        var t = await _h.Run(_m, D.Of("src", "tree/", "dest", _h.P("copy")));
        Assert.Equal(true, t["changed"]);
        Assert.Equal("2\n", File.ReadAllText(_h.P("copy/sub/two.txt")));
        Assert.Equal(false, (await _h.Run(_m, D.Of("src", "tree/", "dest", _h.P("copy"))))["changed"]);
        var missing = await _h.Run(_m, D.Of("src", "nope.txt", "dest", _h.P("x")));
        Assert.Equal(true, missing["failed"]);
    }

    [Fact]
    public async Task ModePreserveAndRemoteSrc()
    {
        var src = _h.P("script.sh");
        File.WriteAllText(src, "#!/bin/sh\n");
        File.SetUnixFileMode(src, (UnixFileMode)0x1E8); // 0750
        await _h.Run(_m, D.Of("src", src, "dest", _h.P("local-copy"), "mode", "preserve"));
        Assert.Equal("750", ModuleHarness.Mode(_h.P("local-copy")));
        var r = await _h.Run(_m, D.Of("src", src, "dest", _h.P("remote-copy"), "remote_src", true, "mode", "preserve"));
        Assert.Equal(true, r["changed"]);
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(_h.P("remote-copy")));
        Assert.Equal("750", ModuleHarness.Mode(_h.P("remote-copy")));
    }

    [Fact]
    public async Task ValidateRejectsBadContent()
    {
        var p = _h.P("v.conf");
        File.WriteAllText(p, "good\n");
        var r = await _h.Run(_m, D.Of("dest", p, "content", "bad\n", "validate", "grep -q good %s"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("failed to validate", r["msg"]);
        Assert.Equal("good\n", File.ReadAllText(p));
        Assert.Single(Directory.GetFiles(_h.Dir));
    }

    [Fact]
    public async Task ContentBytesUseAsciiJson() =>
        Assert.Equal("[\"\\u00e9\"]", Encoding.UTF8.GetString(CopyModule.ContentBytes(new List<object?> { "é" })));
}

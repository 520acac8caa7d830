using Runner.Engine.Values;
using Runner.Modules;

namespace Runner.Tests.Modules;

public class FileModuleTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();
    private readonly FileModule _m = new();

    [Fact]
    public async Task DirectoryWithModeIsIdempotent()
    {
        var p = _h.P("dir");
        var first = await _h.Run(_m, D.Of("path", p, "state", "directory", "mode", "0750"));
        Assert.Equal(true, first["changed"]);
        Assert.True(Directory.Exists(p));
        Assert.Equal("750", ModuleHarness.Mode(p));
        Assert.Equal("0750", first["mode"]);
        Assert.Equal("directory", first["state"]);
        var second = await _h.Run(_m, D.Of("path", p, "state", "directory", "mode", "0750"));
        Assert.Equal(false, second["changed"]);
    }

    [Fact]
    public async Task NestedDirectoriesLikeMkdirP()
    {
        var p = _h.P("a/b/c");
        var r = await _h.Run(_m, D.Of("path", p, "state", "directory"));
        Assert.Equal(true, r["changed"]);
        Assert.True(Directory.Exists(p));
        Assert.Equal("755", ModuleHarness.Mode(_h.P("a/b")));
    }

    [Fact]
    public async Task SetgidModeFromDecimalInt()
    {
        var p = _h.P("dir-2750");
        await _h.Run(_m, D.Of("path", p, "state", "directory", "mode", 2750L));
        Assert.Equal("5276", ModuleHarness.Mode(p));
        var q = _h.P("dir-quoted");
        await _h.Run(_m, D.Of("path", q, "state", "directory", "mode", "2750"));
        Assert.Equal("2750", ModuleHarness.Mode(q));
    }

    [Fact]
    public async Task DirectoryDiffAndCheckMode()
    {
        var p = _h.P("newdir");
        var r = await _h.Run(_m, D.Of("path", p, "state", "directory"), check: true, diff: true);
        Assert.Equal(true, r["changed"]);
        Assert.False(Directory.Exists(p));
        var diff = (Dict)r["diff"]!;
        Assert.Equal("{\"after\": {\"path\": \"" + p + "\", \"state\": \"directory\"}, \"before\": {\"path\": \"" + p + "\", \"state\": \"absent\"}}",
            PyStr.JsonDumps(diff, sortKeys: true));
    }

    [Fact]
    public async Task ModeChangeAppearsInDiff()
    {
        var p = _h.P("d");
        Directory.CreateDirectory(p);
        File.SetUnixFileMode(p, (UnixFileMode)0x1ED);
        var r = await _h.Run(_m, D.Of("path", p, "state", "directory", "mode", "0700"), diff: true);
        var diff = (Dict)r["diff"]!;
        Assert.Equal("0755", ((Dict)diff["before"]!)["mode"]);
        Assert.Equal("0700", ((Dict)diff["after"]!)["mode"]);
        Assert.Equal("700", ModuleHarness.Mode(p));
    }

    [Fact]
    public async Task TouchAlwaysChangesUnlessPreserved()
    {
        var p = _h.P("touched");
        Assert.Equal(true, (await _h.Run(_m, D.Of("path", p, "state", "touch", "mode", "0600")))["changed"]);
        Assert.Equal("600", ModuleHarness.Mode(p));
        Assert.Equal(0, new FileInfo(p).Length);
        Assert.Equal(true, (await _h.Run(_m, D.Of("path", p, "state", "touch", "mode", "0600")))["changed"]);
        var keep = D.Of("path", p, "state", "touch", "mode", "0600", "modification_time", "preserve", "access_time", "preserve");
        Assert.Equal(false, (await _h.Run(_m, keep))["changed"]);
    }

    [Fact]
    public async Task StateFileOnMissingPathFails()
    {
        var p = _h.P("missing");
        var r = await _h.Run(_m, D.Of("path", p, "state", "file"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal($"file ({p}) is absent, cannot continue", r["msg"]);
        Assert.False(File.Exists(p));
    }

    [Fact]
    public async Task StateFileChangesOnlyAttributes()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "x");
        var r = await _h.Run(_m, D.Of("path", p, "state", "file", "mode", "0640"));
        Assert.Equal(true, r["changed"]);
        Assert.Equal("640", ModuleHarness.Mode(p));
        Assert.Equal(1L, r["size"]);
        Assert.Equal(false, (await _h.Run(_m, D.Of("path", p, "mode", "0640")))["changed"]);
    }

    [Fact]
    public async Task AbsentRemovesTreesAndIsOkWhenMissing()
    {
        var p = _h.P("tree");
        Directory.CreateDirectory(Path.Combine(p, "sub"));
        File.WriteAllText(Path.Combine(p, "sub", "f"), "x");
        var check = await _h.Run(_m, D.Of("path", p, "state", "absent"), check: true, diff: true);
        Assert.Equal(true, check["changed"]);
        var before = (Dict)((Dict)check["diff"]!)["before"]!;
        Assert.Equal("{\"directories\": [\"" + p + "/sub\"], \"files\": [\"" + p + "/sub/f\"]}", PyStr.JsonDumps(before["path_content"]));
        Assert.Equal("directory", before["state"]);
        Assert.True(Directory.Exists(p));
        Assert.Equal(true, (await _h.Run(_m, D.Of("path", p, "state", "absent")))["changed"]);
        Assert.False(Directory.Exists(p));
        var again = await _h.Run(_m, D.Of("path", p, "state", "absent"));
        Assert.Equal(false, again["changed"]);
        Assert.Equal("absent", again["state"]);
    }

    [Fact]
    public async Task SymlinkKeepsRelativeSrc()
    {
        File.WriteAllText(_h.P("touched"), "");
        var link = _h.P("link-to-touched");
        var r = await _h.Run(_m, D.Of("src", "touched", "dest", link, "state", "link"));
        Assert.Equal(true, r["changed"]);
        Assert.Equal("touched", new FileInfo(link).LinkTarget);
        Assert.Equal("link", r["state"]);
        Assert.Equal(false, (await _h.Run(_m, D.Of("src", "touched", "dest", link, "state", "link")))["changed"]);
        var missing = await _h.Run(_m, D.Of("src", "nope", "dest", _h.P("l2"), "state", "link"));
        Assert.Equal(true, missing["failed"]);
        Assert.StartsWith("src file does not exist, use \"force=yes\"", (string)missing["msg"]!);
    }

    [Fact]
    public async Task HardLinkSharesInode()
    {
        var src = _h.P("orig");
        File.WriteAllText(src, "data");
        var dst = _h.P("hard");
        Assert.Equal(true, (await _h.Run(_m, D.Of("src", src, "dest", dst, "state", "hard")))["changed"]);
        File.AppendAllText(src, "+");
        Assert.Equal("data+", File.ReadAllText(dst));
        Assert.Equal(false, (await _h.Run(_m, D.Of("src", src, "dest", dst, "state", "hard")))["changed"]);
        // Without state, a file with two names is "hard": only its attributes change (2.14: src null, state hard).
        var m = await _h.Run(_m, D.Of("path", src, "mode", "u+x"));
        Assert.Equal(true, m["changed"]);
        Assert.Null(m["src"]);
        Assert.Equal("hard", m["state"]);
        Assert.Equal("0744", m["mode"]);
        Assert.Equal("744", ModuleHarness.Mode(dst));
    }

    [Fact]
    public async Task OwnerAndGroupByName()
    {
        if (Environment.UserName != "root") return; // chown to another user needs root
        var p = _h.P("owned");
        File.WriteAllText(p, "");
        var r = await _h.Run(_m, D.Of("path", p, "owner", "nobody", "group", "0"), diff: true);
        Assert.Equal(true, r["changed"]);
        Assert.Equal("nobody", r["owner"]);
        var diff = (Dict)r["diff"]!;
        Assert.Equal("nobody", ((Dict)diff["after"]!)["owner"]);
        Assert.Equal(0L, ((Dict)diff["before"]!)["owner"]);
        Assert.Equal(false, (await _h.Run(_m, D.Of("path", p, "owner", "nobody", "group", "0")))["changed"]);
    }

    [Fact]
    public async Task BadModeStringFails()
    {
        var p = _h.P("d");
        var r = await _h.Run(_m, D.Of("path", p, "state", "directory", "mode", "384"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("mode must be in octal or symbolic form", r["msg"]);
    }
}

using Runner.Engine.Values;
using Runner.Modules;

namespace Runner.Tests.Modules;

public class LineInFileTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();
    private readonly LineInFileModule _m = new();

    [Fact]
    public async Task AddsAtEofThenOk()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "a\nb");
        var r = await _h.Run(_m, D.Of("path", p, "line", "c"));
        Assert.Equal("line added", r["msg"]);
        Assert.Equal(true, r["changed"]);
        Assert.Equal("a\nb\nc\n", File.ReadAllText(p));
        var again = await _h.Run(_m, D.Of("path", p, "line", "c"));
        Assert.Equal(false, again["changed"]);
        Assert.Equal("", again["msg"]);
    }

    [Fact]
    public async Task RegexpReplacesLastMatchOrFirstWithFirstmatch()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "port=1\nx\nport=2\n");
        var r = await _h.Run(_m, D.Of("path", p, "regexp", "^port=", "line", "port=9"));
        Assert.Equal("line replaced", r["msg"]);
        Assert.Equal("port=1\nx\nport=9\n", File.ReadAllText(p));
        await _h.Run(_m, D.Of("path", p, "regexp", "^port=", "line", "port=7", "firstmatch", true));
        Assert.Equal("port=7\nx\nport=9\n", File.ReadAllText(p));
    }

    [Fact]
    public async Task BackrefsAndInsertPositions()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "name=joe\n[s]\nend\n");
        await _h.Run(_m, D.Of("path", p, "regexp", "^name=(\\w+)$", "line", "user=\\1", "backrefs", true));
        Assert.Equal("user=joe\n[s]\nend\n", File.ReadAllText(p));
        await _h.Run(_m, D.Of("path", p, "line", "k=v", "insertafter", "^\\[s\\]"));
        Assert.Equal("user=joe\n[s]\nk=v\nend\n", File.ReadAllText(p));
        await _h.Run(_m, D.Of("path", p, "line", "# top", "insertbefore", "BOF"));
        Assert.Equal("# top\nuser=joe\n[s]\nk=v\nend\n", File.ReadAllText(p));
        var nomatch = await _h.Run(_m, D.Of("path", p, "regexp", "^zzz(.*)", "line", "\\1", "backrefs", true));
        Assert.Equal(false, nomatch["changed"]);
    }

    [Fact]
    public async Task AbsentRemovesAllMatches()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "a\nx1\nb\nx2\n");
        var r = await _h.Run(_m, D.Of("path", p, "regexp", "^x", "state", "absent"));
        Assert.Equal("2 line(s) removed", r["msg"]);
        Assert.Equal(2L, r["found"]);
        Assert.Equal("a\nb\n", File.ReadAllText(p));
    }

    [Fact]
    public async Task MissingFileCreateAndCheckMode()
    {
        var p = _h.P("sub/new");
        var r = await _h.Run(_m, D.Of("path", p, "line", "x"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal($"Destination {p} does not exist !", r["msg"]);
        var chk = await _h.Run(_m, D.Of("path", p, "line", "x", "create", true), check: true, diff: true);
        Assert.Equal(true, chk["changed"]);
        Assert.False(File.Exists(p));
        var made = await _h.Run(_m, D.Of("path", p, "line", "x", "create", true, "mode", "0600"));
        Assert.Equal(true, made["changed"]);
        Assert.Equal("x\n", File.ReadAllText(p));
        Assert.Equal("600", ModuleHarness.Mode(p));
    }

    [Fact]
    public async Task ValidateBlocksABadEdit()
    {
        var p = _h.P("sudoers");
        File.WriteAllText(p, "ok\n");
        var r = await _h.Run(_m, D.Of("path", p, "line", "broken", "validate", "! grep -q broken %s"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("failed to validate", r["msg"]);
        Assert.Equal("ok\n", File.ReadAllText(p));
        var good = await _h.Run(_m, D.Of("path", p, "line", "fine", "validate", "grep -q fine %s"));
        Assert.Equal(true, good["changed"]);
        Assert.Equal("ok\nfine\n", File.ReadAllText(p));
    }

    [Fact]
    public async Task DiffIsContentThenAttributes()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "a\n");
        var r = await _h.Run(_m, D.Of("path", p, "line", "b"), diff: true);
        var list = (List<object?>)r["diff"]!;
        var content = (Dict)list[0]!;
        Assert.Equal("a\n", content["before"]);
        Assert.Equal("a\nb\n", content["after"]);
        Assert.Equal($"{p} (content)", content["before_header"]);
        Assert.Equal($"{p} (file attributes)", ((Dict)list[1]!)["before_header"]);
    }
}

public class BlockInFileTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();
    private readonly BlockInFileModule _m = new();

    [Fact]
    public async Task InsertsReplacesAndRemovesBlock()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "top\n");
        var r = await _h.Run(_m, D.Of("path", p, "block", "a=1\nb=2"));
        Assert.Equal("Block inserted", r["msg"]);
        Assert.Equal("top\n# BEGIN ANSIBLE MANAGED BLOCK\na=1\nb=2\n# END ANSIBLE MANAGED BLOCK\n", File.ReadAllText(p));
        Assert.Equal(false, (await _h.Run(_m, D.Of("path", p, "block", "a=1\nb=2")))["changed"]);
        await _h.Run(_m, D.Of("path", p, "block", "c=3"));
        Assert.Equal("top\n# BEGIN ANSIBLE MANAGED BLOCK\nc=3\n# END ANSIBLE MANAGED BLOCK\n", File.ReadAllText(p));
        var rm = await _h.Run(_m, D.Of("path", p, "state", "absent"));
        Assert.Equal("Block removed", rm["msg"]);
        Assert.Equal("top\n", File.ReadAllText(p));
    }

    [Fact]
    public async Task CustomMarkerInsertBeforeBofAndCreate()
    {
        var p = _h.P("g");
        var r = await _h.Run(_m, D.Of("path", p, "block", "x", "create", true, "marker", "// {mark} managed", "marker_begin", "start", "marker_end", "stop"));
        Assert.Equal("File created", r["msg"]);
        Assert.Equal("// start managed\nx\n// stop managed\n", File.ReadAllText(p));
        File.WriteAllText(_h.P("h"), "one\n");
        await _h.Run(_m, D.Of("path", _h.P("h"), "block", "zero", "insertbefore", "BOF"));
        Assert.Equal("# BEGIN ANSIBLE MANAGED BLOCK\nzero\n# END ANSIBLE MANAGED BLOCK\none\n", File.ReadAllText(_h.P("h")));
    }

    [Fact]
    public async Task CheckModeChangesNothing()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "x\n");
        var r = await _h.Run(_m, D.Of("path", p, "block", "y"), check: true);
        Assert.Equal(true, r["changed"]);
        Assert.Equal("x\n", File.ReadAllText(p));
    }
}

using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules;

namespace Runner.Tests.Modules;

public class StatModuleTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task RegularFile()
    {
        var p = _h.P("f");
        File.WriteAllText(p, "hello");
        File.SetUnixFileMode(p, (UnixFileMode)0x1A0);
        var r = await _h.Run(new StatModule(), D.Of("path", p));
        Assert.Equal(false, r["changed"]);
        var s = (Dict)r["stat"]!;
        Assert.Equal(true, s["exists"]);
        Assert.Equal("0640", s["mode"]);
        Assert.Equal(true, s["isreg"]);
        Assert.Equal(false, s["isdir"]);
        Assert.Equal(false, s["islnk"]);
        Assert.Equal(5L, s["size"]);
        Assert.Equal("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", s["checksum"]);
        Assert.Equal(true, s["rusr"]);
        Assert.Equal(false, s["roth"]);
        Assert.Equal(Environment.UserName, s["pw_name"]);
        Assert.Equal("text/plain", s["mimetype"]);
        Assert.Equal("us-ascii", s["charset"]);
        Assert.Equal(0L, s["device_type"]);
    }

    [Fact]
    public async Task MissingLinkAndSha256()
    {
        var missing = await _h.Run(new StatModule(), D.Of("path", _h.P("nope")));
        Assert.Equal(D.Of("exists", false), missing["stat"], new DictJsonComparer());
        File.WriteAllText(_h.P("t"), "hello");
        File.CreateSymbolicLink(_h.P("l"), "t");
        var link = (Dict)(await _h.Run(new StatModule(), D.Of("path", _h.P("l"))))["stat"]!;
        Assert.Equal(true, link["islnk"]);
        Assert.Equal("t", link["lnk_target"]);
        Assert.Equal(_h.P("t"), link["lnk_source"]);
        Assert.False(link.ContainsKey("checksum"));
        var followed = (Dict)(await _h.Run(new StatModule(), D.Of("path", _h.P("l"), "follow", true, "checksum_algorithm", "sha256")))["stat"]!;
        Assert.Equal(false, followed["islnk"]);
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", followed["checksum"]);
    }

    private sealed class DictJsonComparer : IEqualityComparer<object?>
    {
        public new bool Equals(object? x, object? y) => PyStr.JsonDumps(x) == PyStr.JsonDumps(y);
        public int GetHashCode(object? o) => 0;
    }
}

public class ControllerModuleTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task DebugMsgDefaultAndGiven()
    {
        var r = await _h.Run(new DebugModule(), new Dict());
        Assert.Equal("Hello world!", r["msg"]);
        Assert.Equal(false, r["changed"]);
        var l = await _h.Run(new DebugModule(), D.Of("msg", new List<object?> { 1L, "a" }));
        Assert.Equal(new List<object?> { 1L, "a" }, l["msg"]);
        var v = await _h.Run(new DebugModule(), D.Of("msg", "x", "verbosity", 2L));
        Assert.Equal(true, v["skipped"]);
        Assert.True(new DebugModule().Spec.RunsOnController);
    }

    [Fact]
    public async Task SetFactTurnsYesNoStringsIntoBools()
    {
        var r = await _h.Run(new SetFactModule(), D.Of("a", "Yes", "b", "false", "c", "yess", "d", 3L, "cacheable", true));
        var facts = (Dict)r["ansible_facts"]!;
        Assert.Equal(true, facts["a"]);
        Assert.Equal(false, facts["b"]);
        Assert.Equal("yess", facts["c"]);
        Assert.Equal(3L, facts["d"]);
        Assert.False(facts.ContainsKey("cacheable"));
        Assert.Equal(true, r["_ansible_facts_cacheable"]);
        Assert.Equal(false, r["changed"]);
        var bad = await _h.Run(new SetFactModule(), D.Of("1x", 1L));
        Assert.Equal(true, bad["failed"]);
        Assert.StartsWith("The variable name '1x' is not valid.", (string)bad["msg"]!);
    }

    [Fact]
    public async Task FailDefaultMessage()
    {
        var r = await _h.Run(new FailModule(), new Dict());
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Failed as requested from task", r["msg"]);
        Assert.Equal("boom", (await _h.Run(new FailModule(), D.Of("msg", "boom")))["msg"]);
    }

    [Fact]
    public async Task IncludeVarsFileNameAndDir()
    {
        Directory.CreateDirectory(_h.P("vars/more"));
        File.WriteAllText(_h.P("vars/main.yml"), "a: 1\nflag: yes\n");
        File.WriteAllText(_h.P("vars/more/b.yml"), "b: two\na: 3\n");
        File.WriteAllText(_h.P("vars/more/c.txt"), "nope");
        var r = await _h.Run(new IncludeVarsModule(), D.Of("_raw_params", "main.yml"));
        var facts = (Dict)r["ansible_facts"]!;
        Assert.Equal(1L, facts["a"]);
        Assert.Equal(true, facts["flag"]);
        Assert.Equal(new List<object?> { _h.P("vars/main.yml") }, r["ansible_included_var_files"]);
        var named = await _h.Run(new IncludeVarsModule(), D.Of("file", "main.yml", "name", "cfg"));
        Assert.Equal(1L, ((Dict)((Dict)named["ansible_facts"]!)["cfg"]!)["a"]);
        var dir = await _h.Run(new IncludeVarsModule(), D.Of("dir", "vars", "ignore_unknown_extensions", true));
        var df = (Dict)dir["ansible_facts"]!;
        Assert.Equal(3L, df["a"]);
        Assert.Equal("two", df["b"]);
        var missing = await _h.Run(new IncludeVarsModule(), D.Of("file", "nope.yml"));
        Assert.Equal(true, missing["failed"]);
        // the action's own failure key is "message"; the candidates are named as path_dwim_relative_stack tries them
        Assert.StartsWith("Could not find or access 'nope.yml'\nSearched in:\n\t", (string)missing["message"]!);
        Assert.EndsWith(" on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", (string)missing["message"]!);
        // depth counts the folders visited in sorted path order; ignore_files are regular expressions anchored at the end
        var shallow = await _h.Run(new IncludeVarsModule(), D.Of("dir", "vars", "depth", 1L, "ignore_files", new List<object?> { "t?xt" }));
        Assert.Equal(new List<object?> { _h.P("vars/main.yml") }, shallow["ansible_included_var_files"]);
        // an unknown option is the action's error: only a msg
        await Assert.ThrowsAsync<Runner.Engine.Modules.ActionError>(() => _h.Run(new IncludeVarsModule(), D.Of("file", "main.yml", "depth", 1L)));
    }

    [Fact]
    public async Task WaitForPathAndTimeout()
    {
        var p = _h.P("ready");
        File.WriteAllText(p, "state: up\n");
        var ok = await _h.Run(new WaitForModule(), D.Of("path", p, "search_regex", "up$", "timeout", 2L));
        Assert.False(ok.ContainsKey("failed"));
        Assert.Equal(p, ok["path"]);
        var gone = await _h.Run(new WaitForModule(), D.Of("path", _h.P("never"), "timeout", 1L, "sleep", 1L));
        Assert.Equal(true, gone["failed"]);
        Assert.Equal($"Timeout when waiting for file {_h.P("never")}", gone["msg"]);
        var absent = await _h.Run(new WaitForModule(), D.Of("path", _h.P("never"), "state", "absent", "timeout", 1L));
        Assert.False(absent.ContainsKey("failed"));
    }

    [Fact]
    public async Task WaitForClosedPortTimesOut()
    {
        var r = await _h.Run(new WaitForModule(), D.Of("port", 1L, "timeout", 1L, "connect_timeout", 1L));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Timeout when waiting for 127.0.0.1:1", r["msg"]);
        var stopped = await _h.Run(new WaitForModule(), D.Of("port", 1L, "state", "stopped", "timeout", 1L));
        Assert.False(stopped.ContainsKey("failed"));
    }

    [Fact]
    public async Task PingAndRegistry()
    {
        Assert.Equal("pong", (await _h.Run(new PingModule(), new Dict()))["ping"]);
        var reg = BuiltinModules.CreateRegistry();
        foreach (var n in new[] { "command", "shell", "raw", "file", "copy", "template", "lineinfile", "blockinfile", "stat", "debug",
                     "set_fact", "assert", "fail", "include_vars", "wait_for", "ping" })
            Assert.Equal(n, reg.Find("ansible.builtin." + n)?.Name);
    }
}

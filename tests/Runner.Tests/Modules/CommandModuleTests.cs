using System.Text.RegularExpressions;
using Runner.Modules;

namespace Runner.Tests.Modules;

public class CommandModuleTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task PrintfOutputIsStrippedAndSplit()
    {
        var r = await _h.Run(new CommandModule(), D.Of("_raw_params", "printf 'alpha\\nbeta\\n\\n'"));
        Assert.Equal("alpha\nbeta", r["stdout"]);
        Assert.Equal(new List<object?> { "alpha", "beta" }, r["stdout_lines"]);
        Assert.Equal(true, r["changed"]);
        Assert.Equal(false, r["failed"]);
        Assert.Equal(0L, r["rc"]);
        Assert.Equal("", r["msg"]);
        Assert.Equal(new List<object?> { "printf", "alpha\\nbeta\\n\\n" }, r["cmd"]);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$"), (string)r["start"]!);
        Assert.Matches(new Regex(@"^0:00:\d\d(\.\d{6})?$"), (string)r["delta"]!);
        var keys = r.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "changed", "cmd", "delta", "end", "failed", "msg", "rc", "start", "stderr", "stderr_lines", "stdout", "stdout_lines" }, keys);
    }

    [Fact]
    public async Task CommandDoesNotUseAShell()
    {
        var r = await _h.Run(new CommandModule(), D.Of("_raw_params", "echo $HOME > x"));
        Assert.Equal("$HOME > x", r["stdout"]);
    }

    [Fact]
    public async Task ShellRunsPipesAndKeepsCmdString()
    {
        var r = await _h.Run(new CommandModule(useShell: true), D.Of("_raw_params", "echo one two | wc -w", "chdir", _h.Dir));
        Assert.Equal("2", ((string)r["stdout"]!).Trim());
        Assert.Equal("echo one two | wc -w", r["cmd"]);
    }

    [Fact]
    public async Task NonZeroRcFails()
    {
        var r = await _h.Run(new CommandModule(), D.Of("_raw_params", "false"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal(1L, r["rc"]);
        Assert.Equal("non-zero return code", r["msg"]);
        Assert.Equal(true, r["changed"]);
    }

    [Fact]
    public async Task MissingProgramIsErrno2()
    {
        var r = await _h.Run(new CommandModule(), D.Of("_raw_params", "no-such-program-xyz arg"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal(2L, r["rc"]);
        Assert.Equal("[Errno 2] No such file or directory: b'no-such-program-xyz'", r["msg"]);
    }

    [Fact]
    public async Task CheckModeSkipsWithoutCreates()
    {
        var r = await _h.Run(new CommandModule(), D.Of("_raw_params", $"touch {_h.P("ran")}"), check: true);
        Assert.False(File.Exists(_h.P("ran")));
        Assert.Equal(false, r["changed"]);
        Assert.Equal(true, r["skipped"]);
        Assert.Equal(0L, r["rc"]);
        Assert.Equal("Command would have run if not in check mode", r["msg"]);
        Assert.Equal("", r["stdout"]);
        Assert.Equal(new List<object?>(), r["stdout_lines"]);
    }

    [Fact]
    public async Task CreatesExistingSkipsTheRun()
    {
        File.WriteAllText(_h.P("marker"), "m\n");
        var r = await _h.Run(new CommandModule(), D.Of("_raw_params", $"touch {_h.P("ran")}", "creates", _h.P("mark*")));
        Assert.False(File.Exists(_h.P("ran")));
        Assert.Equal(false, r["changed"]);
        Assert.Equal(0L, r["rc"]);
        Assert.Equal($"skipped, since {_h.P("mark*")} exists", r["stdout"]);
        Assert.Equal($"Did not run command since '{_h.P("mark*")}' exists", r["msg"]);
        Assert.False(r.ContainsKey("skipped"));
    }

    [Fact]
    public async Task CreatesMissingInCheckModeReportsChanged()
    {
        var r = await _h.Run(new CommandModule(), D.Of("_raw_params", $"touch {_h.P("ran")}", "creates", _h.P("nope")), check: true);
        Assert.False(File.Exists(_h.P("ran")));
        Assert.Equal(true, r["changed"]);
        Assert.False(r.ContainsKey("skipped"));
        Assert.Equal(0L, r["rc"]);
    }

    [Fact]
    public async Task RemovesMissingSkipsAndRemovesPresentRuns()
    {
        var skip = await _h.Run(new CommandModule(), D.Of("_raw_params", "echo ran", "removes", _h.P("nope")));
        Assert.Equal(false, skip["changed"]);
        Assert.Equal($"Did not run command since '{_h.P("nope")}' does not exist", skip["msg"]);
        File.WriteAllText(_h.P("there"), "");
        var run = await _h.Run(new CommandModule(), D.Of("_raw_params", "echo ran", "removes", _h.P("there")));
        Assert.Equal("ran", run["stdout"]);
        Assert.Equal(true, run["changed"]);
    }

    [Fact]
    public async Task ChdirArgvAndStdin()
    {
        var r = await _h.Run(new CommandModule(), D.Of("argv", new List<object?> { "cat" }, "stdin", "hello world", "chdir", _h.Dir));
        Assert.Equal("hello world", r["stdout"]);
        var pwd = await _h.Run(new CommandModule(), D.Of("_raw_params", "pwd", "chdir", _h.Dir));
        Assert.Equal(_h.Dir, pwd["stdout"]);
        var bad = await _h.Run(new CommandModule(), D.Of("_raw_params", "pwd", "chdir", _h.P("missing")));
        Assert.Equal(true, bad["failed"]);
        Assert.StartsWith("Unable to change directory before execution", (string)bad["msg"]!);
    }

    [Fact]
    public async Task RawKeepsOutputAsIs()
    {
        var r = await _h.Run(new RawModule(), D.Of("_raw_params", "printf 'a\\n'; exit 3"));
        Assert.Equal("a\n", r["stdout"]);
        Assert.Equal(3L, r["rc"]);
        Assert.Equal(true, r["failed"]);
    }
}

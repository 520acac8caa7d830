using Runner.Modules;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// command, shell and raw over SSH on the booted host: with creates the first run changes and the second is ok;
/// check mode runs nothing (command skipped, or changed when creates decides; raw skipped); the host's files are read back.
/// </summary>
[Collection("nspawn")]
public class CommandLabTests
{
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Command_with_creates_runs_once_and_check_mode_runs_nothing(string kind)
    {
        await using var c = Connect(kind);
        var dir = "/tmp/port-rest-cmd-" + Unique();
        try
        {
            await c.ExecAsync($"mkdir -p {dir}");
            var args = D.Of("_raw_params", "touch made", "chdir", dir, "creates", "made");
            var check = await Run(c, new CommandModule(), args, check: true);
            Assert.Equal(true, check["changed"]);
            Assert.Equal("Command would have run if not in check mode", check["msg"]);
            Assert.Equal("no", await Sh(c, $"test -e {dir}/made && echo yes || echo no"));

            var plain = await Run(c, new CommandModule(), D.Of("_raw_params", $"touch {dir}/plain"), check: true);
            Assert.Equal(true, plain["skipped"]); Assert.Equal(false, plain["changed"]);
            Assert.Equal("no", await Sh(c, $"test -e {dir}/plain && echo yes || echo no"));

            var first = await Run(c, new CommandModule(), args);
            Assert.Equal(true, first["changed"]); Assert.Equal(0L, first["rc"]);
            Assert.Equal("yes", await Sh(c, $"test -e {dir}/made && echo yes || echo no"));
            var second = await Run(c, new CommandModule(), args);
            Assert.Equal(false, second["changed"]);
            Assert.Equal($"Did not run command since 'made' exists", second["msg"]);

            var sh = await Run(c, new CommandModule(useShell: true), D.Of("_raw_params", "echo $((6*7)) > out; cat out", "chdir", dir, "removes", "made"));
            Assert.Equal(true, sh["changed"]); Assert.Equal("42", sh["stdout"]);
            Assert.Equal("42", await Sh(c, $"cat {dir}/out"));

            var failed = await Run(c, new CommandModule(), D.Of("argv", new List<object?> { "ls", dir + "/missing" }));
            Assert.Equal(true, failed["failed"]); Assert.Equal(true, failed["changed"]); Assert.Equal(2L, failed["rc"]);
            Assert.Equal("non-zero return code", failed["msg"]);
        }
        finally { await c.ExecAsync($"rm -rf {dir}"); }
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Raw_runs_its_text_and_is_skipped_in_check_mode(string kind)
    {
        await using var c = Connect(kind);
        var path = "/tmp/port-rest-raw-" + Unique();
        try
        {
            var args = D.Of("_raw_params", $"echo raw > {path}; cat {path}");
            var check = await Run(c, new RawModule(), args, check: true);
            Assert.Equal(true, check["skipped"]); Assert.Equal("check mode not supported for raw", check["msg"]);
            Assert.Equal("no", await Sh(c, $"test -e {path} && echo yes || echo no"));
            var r = await Run(c, new RawModule(), args);
            Assert.Equal(true, r["changed"]); Assert.Equal("raw\n", r["stdout"]);
            Assert.Equal("raw", await Sh(c, $"cat {path}"));
        }
        finally { await c.ExecAsync($"rm -f {path}"); }
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Execution;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Tests.Engine;

/// <summary>
/// A module run as an unprivileged become user (ansible-core 2.14's _is_become_unprivileged, AnsibleModule's tmpdir):
/// when it applies, and what the probe's output means (the remote_tmp warning, Ansible's MODULE FAILURE when the
/// become cannot start the module).
/// </summary>
public class BecomeModuleTmpTests
{
    private static readonly ModuleSpec Module = ModuleSpec.Of(new OptionSpec("path"));
    private static readonly IConnection Local = new LocalConnection("localhost");

    [Fact]
    public void It_applies_to_target_modules_become_to_a_user_neither_root_nor_the_login_user()
    {
        Assert.True(BecomeModuleTmp.Applies(Module, new ExecOptions(BecomeUser: "alice"), Local));
        Assert.False(BecomeModuleTmp.Applies(Module, new ExecOptions(BecomeUser: "root"), Local));
        Assert.False(BecomeModuleTmp.Applies(Module, new ExecOptions(BecomeUser: Environment.UserName), Local));
        Assert.False(BecomeModuleTmp.Applies(Module, new ExecOptions(), Local));
        // no Python module on the target: raw-like actions and controller modules
        Assert.False(BecomeModuleTmp.Applies(Module with { Invocation = null }, new ExecOptions(BecomeUser: "alice"), Local));
        Assert.False(BecomeModuleTmp.Applies(Module with { RunsOnController = true }, new ExecOptions(BecomeUser: "alice"), Local));
    }

    [Fact]
    public void A_made_remote_tmp_is_ansibles_warning_and_an_existing_one_none()
    {
        var (warning, failure) = BecomeModuleTmp.Interpret(new CommandResult(0, "__RUNNER_BECAME__\ncreated /home/alice/.ansible/tmp\n", ""));
        Assert.Null(failure);
        Assert.Equal("Module remote_tmp /home/alice/.ansible/tmp did not exist and was created with a mode of 0700, this may cause " +
            "issues when running as another user. To avoid this, create the remote_tmp dir with the correct permissions manually", warning);
        Assert.Equal((null, null), BecomeModuleTmp.Interpret(new CommandResult(0, "__RUNNER_BECAME__\n", "")));
    }

    [Fact]
    public void A_become_that_cannot_start_is_module_failure_with_the_become_tools_stderr()
    {
        var (warning, failure) = BecomeModuleTmp.Interpret(new CommandResult(1, "", "sudo: unknown user alice\n"));
        Assert.Null(warning);
        Assert.Equal("MODULE FAILURE\nSee stdout/stderr for the exact error", failure!["msg"]);
        Assert.Equal("sudo: unknown user alice\n", failure["module_stderr"]);
        Assert.Equal("", failure["module_stdout"]);
        Assert.Equal(1L, failure["rc"]);
        Assert.Equal(true, failure["failed"]);
    }

    [Fact]
    public void The_warning_comes_before_the_modules_own()
    {
        var r = new Dict { ["warnings"] = new List<object?> { "own" } };
        BecomeModuleTmp.AddWarning(r, "tmp");
        Assert.Equal(new List<object?> { "tmp", "own" }, r["warnings"]);
        var bare = new Dict();
        BecomeModuleTmp.AddWarning(bare, "tmp");
        Assert.Equal(new List<object?> { "tmp" }, bare["warnings"]);
    }

    [Fact]
    public async Task The_probe_makes_the_remote_tmp_only_when_the_working_folder_is_unreadable()
    {
        // run for real as this user: a readable working folder (always, for root) makes nothing
        var home = Directory.CreateTempSubdirectory("runner-btmp-").FullName;
        try
        {
            var r = await Local.ExecAsync($"HOME={ShellQuote.Quote(home)}; cd {ShellQuote.Quote(home)}; {BecomeModuleTmp.Script}");
            Assert.Equal((null, null), BecomeModuleTmp.Interpret(r));
            Assert.False(Directory.Exists(Path.Combine(home, ".ansible")));
        }
        finally { Directory.Delete(home, true); }
    }
}

using Runner.Cli;

namespace Runner.Tests.Engine;

/// <summary>
/// The task keywords async/poll and async_status end to end over the local connection (the job's sh runs on this
/// machine, its files in a temp ansible_async_dir): the default callback's ASYNC POLL/OK/FAILED lines, a fire-and-forget
/// job read with async_status until finished and removed with mode=cleanup, the timeout message, a module whose plan
/// has more than commands (Runner's refusal), Ansible's refusals (script; async with check mode).
/// </summary>
public sealed class AsyncTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-async-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Jobs => Path.Combine(_dir, "jobs");

    private async Task<(int Rc, string Out)> Play(string tasks)
    {
        File.WriteAllText(Path.Combine(_dir, "inventory.yml"), "all:\n  hosts:\n    box:\n      ansible_connection: local\n");
        File.WriteAllText(Path.Combine(_dir, "site.yml"), $"- hosts: all\n  gather_facts: false\n  vars:\n    ansible_async_dir: {Jobs}\n    d: {_dir}\n  tasks:\n{tasks}");
        var output = new StringWriter();
        var rc = await PlayCommand.RunAsync(new[] { "-i", Path.Combine(_dir, "inventory.yml"), Path.Combine(_dir, "site.yml"), "--stdout-callback", "default" }, output);
        return (rc, output.ToString());
    }

    [Fact]
    public async Task A_polled_job_prints_its_polls_then_gives_the_commands_result_and_removes_its_file()
    {
        var (rc, output) = await Play("""
                - shell: sleep 2; echo done; echo err >&2
                  async: 10
                  poll: 1
                  register: r
                - debug: msg="R {{ r.rc }}|{{ r.stdout }}|{{ r.stderr_lines }}|{{ r.started }}|{{ r.finished }}|{{ r.changed }}|{{ r.results_file|dirname }}|{{ r.cmd }}"
            """);
        Assert.Equal(0, rc);
        Assert.Matches(@"ASYNC POLL on box: jid=j\d+\.\d+ started=1 finished=0\nASYNC OK on box: jid=j\d+\.\d+\nchanged: \[box\]", output);
        Assert.Contains($"R 0|done|['err']|1|1|True|{Jobs}|sleep 2; echo done; echo err >&2", output);
        Assert.Empty(Directory.GetFileSystemEntries(Jobs));
    }

    [Fact]
    public async Task A_fire_and_forget_job_is_read_with_async_status_until_finished_then_cleaned_up()
    {
        var (rc, output) = await Play("""
                - command: sh -c 'sleep 1; echo bg; exit 4'
                  async: 10
                  poll: 0
                  register: j
                - async_status: jid={{ j.ansible_job_id }}
                  register: s
                  until: s.finished
                  retries: 10
                  delay: 1
                  ignore_errors: true
                - async_status: jid={{ j.ansible_job_id }} mode=cleanup
                  register: c
                - async_status: jid={{ j.ansible_job_id }}
                  register: g
                  ignore_errors: true
                - debug: msg="J {{ j.keys()|sort|join(',') }}|{{ j.failed }}|{{ j.started }}|{{ j.finished }}|{{ s.rc }}|{{ s.stdout }}|{{ s.msg }}|{{ s.failed }}|{{ s.finished }}|{{ c.erased == j.results_file }}|{{ c.started }}|{{ g.msg }}|{{ g.finished }}"
            """);
        Assert.Equal(0, rc);
        Assert.Contains("J ansible_job_id,changed,failed,finished,results_file,started|0|1|0|4|bg|non-zero return code|True|1|True|0|could not find job|1", output);
        Assert.Contains("FAILED - RETRYING: [box]: async_status (10 retries left).", output);
        Assert.Empty(Directory.GetFiles(Jobs));
    }

    [Fact]
    public async Task A_job_that_outlives_async_fails_the_task_with_the_status_under_async_result()
    {
        var (rc, output) = await Play("""
                - command: sleep 3
                  async: 1
                  poll: 1
                  register: t
                  ignore_errors: true
                - debug: msg="T {{ t.msg }}|{{ t.async_result.finished }}|{{ t.async_result.started }}|{{ t.async_result.invocation.module_args.mode }}|{{ t.changed }}"
            """);
        Assert.Equal(0, rc);
        Assert.Matches(@"ASYNC POLL on box: jid=j\d+\.\d+ started=1 finished=0\nASYNC FAILED on box: jid=j\d+\.\d+\nfatal: \[box\]: FAILED! => \{""async_result""", output);
        Assert.Contains("T async task did not complete within the requested time - 1s|0|1|status|False", output);
    }

    [Fact]
    public async Task A_module_planning_only_commands_runs_async()
    {
        var (rc, output) = await Play("""
                - file: path={{ d }}/made state=directory
                  async: 10
                  poll: 1
                  register: f
                - debug: msg="F {{ f.changed }}|{{ f.state }}|{{ f.finished }}"
            """);
        Assert.Equal(0, rc);
        Assert.Contains("F True|directory|1", output);
        Assert.True(Directory.Exists(Path.Combine(_dir, "made")));
    }

    [Fact]
    public async Task Refusals_say_why_as_ansible_does_or_as_runner_must()
    {
        File.WriteAllText(Path.Combine(_dir, "s.sh"), "echo hi\n");
        var (rc, output) = await Play("""
                - script: s.sh
                  async: 10
                  register: a
                  ignore_errors: true
                - shell: echo hi
                  async: 10
                  check_mode: true
                  register: b
                  ignore_errors: true
                - lineinfile: path={{ d }}/f line=x create=true
                  async: 10
                  register: c
                  ignore_errors: true
                - async_status: jid=j1.2
                  check_mode: true
                  register: e
                - debug: msg="X {{ a.msg }}|{{ a.exception }}|{{ b.msg }}|{{ c.msg }}|{{ e.skipped }} {{ e.msg }}"
            """);
        Assert.Equal(0, rc);
        Assert.Contains("X async is not supported for this task.|NoneType: None\n|check mode and async cannot be used on same task.|" +
            "async is not supported by Runner for this module: only a module whose plan is commands on the target (command, shell, ...) runs detached|" +
            "True remote module (ansible.legacy.async_status) does not support check mode", output.Replace("\\n", "\n"));
        Assert.False(File.Exists(Path.Combine(_dir, "f")));
    }

    [Fact]
    public async Task Each_loop_item_is_its_own_job_and_a_bad_async_value_ends_the_task_as_ansible_says()
    {
        var (rc, output) = await Play("""
                - command: echo {{ item }}
                  async: 5
                  poll: 1
                  loop: [a, b]
                  register: l
                - debug: msg="L {{ l.results|map(attribute='stdout')|list }} {{ l.results|map(attribute='finished')|list }}"
                - command: echo hi
                  async: abc
                  ignore_errors: true
            """);
        Assert.Equal(0, rc);
        Assert.Matches(@"ASYNC OK on box: jid=j\d+\.\d+\nchanged: \[box\] => \(item=a\)\nASYNC OK on box: jid=j\d+\.\d+\nchanged: \[box\] => \(item=b\)", output);
        Assert.Contains("L ['a', 'b'] [1, 1]", output);
        Assert.Contains("the field 'async_val' has an invalid value (abc), and could not be converted to an int.The error was: invalid literal for int() with base 10: 'abc'", output);
    }

    /// <summary>The modules whose Ansible action plugin does not set _supports_async (ansible-core 2.14 plugins/action/).</summary>
    [Fact]
    public void Exactly_the_actions_ansible_refuses_async_for_say_so_in_their_spec()
    {
        var registry = Runner.Modules.BuiltinModules.CreateRegistry();
        var refusing = new[] { "assemble", "assert", "async_status", "copy", "debug", "fail", "fetch", "include_vars", "pause", "raw", "script", "set_fact", "template", "unarchive" };
        foreach (var name in refusing) Assert.False(registry.Find(name)!.Spec.SupportsAsync, name);
        foreach (var name in new[] { "command", "shell", "file", "apt", "service", "systemd", "user", "get_url", "uri", "lineinfile", "stat" })
            Assert.True(registry.Find(name)!.Spec.SupportsAsync, name);
    }
}

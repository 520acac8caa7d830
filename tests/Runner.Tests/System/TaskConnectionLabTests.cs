using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The `connection` keyword on a task and on a block: those tasks run on the controller while the play's other tasks
/// run on the booted host over SSH, each side with its own file state, as ansible-playbook does it (a host's
/// ansible_connection would beat the keyword; the lab inventory sets none). ansible-playbook runs on rdeb1, Runner there
/// and on the bare host (no python3, curl, wget).
/// </summary>
[Collection("nspawn")]
public sealed class TaskConnectionLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-taskconn-").FullName;
    private readonly string _id = Unique();
    private (string Name, Runner.Engine.Values.Dict Vars) _runnerHost = Host;

    private string File(string tool) => $"/tmp/taskconn-{_id}-{tool}";

    public void Dispose()
    {
        foreach (var tool in new[] { "ansible", "runner" }) System.IO.File.Delete(File(tool));
        foreach (var host in new[] { Host, _runnerHost }.DistinctBy(h => h.Name))
            SeedLab.Ssh(host, $"rm -f {File("ansible")} {File("runner")}");
        Directory.Delete(_dir, true);
    }

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          tasks:
            - copy: {content: "on the host\n", dest: "{{ path }}"}
            - copy: {content: "on the controller\n", dest: "{{ path }}"}
              connection: local
            - slurp: {src: "{{ path }}"}
              register: remote
            - slurp: {src: "{{ path }}"}
              connection: local
              register: local
            - block:
                - command: "cat {{ path }}"
                  register: in_block
                  changed_when: false
              connection: local
            - copy: {content: "on the host\n", dest: "{{ path }}"}
            - debug: {msg: "REPORT {{ remote.content | b64decode | trim }} / {{ local.content | b64decode | trim }} / {{ in_block.stdout }}"}
        """;

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void A_task_or_block_with_connection_local_runs_on_the_controller(string kind)
    {
        _runnerHost = Target(kind);
        var pb = Path.Combine(_dir, "p.yml");
        System.IO.File.WriteAllText(pb, Playbook.Replace("HOST", "all"));
        var ansible = SeedLab.Ansible(_dir, Args(Host.Name, pb, "-e", "path=" + File("ansible")));
        var runner = As(SeedLab.Runner(_dir, Args(_runnerHost.Name, pb, "-e", "path=" + File("runner"))), _runnerHost.Name, Host.Name);
        AssertSame(ansible, runner);
        Assert.Contains("REPORT on the host / on the controller / on the controller", runner.Out);
        Assert.Equal("on the controller\n", System.IO.File.ReadAllText(File("runner")));
    }
}

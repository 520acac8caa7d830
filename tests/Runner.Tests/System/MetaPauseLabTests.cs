using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// meta and pause, Runner on the booted host rdeb1 and on the bare host (no python3, curl, wget) versus
/// ansible-playbook on rdeb1: one playbook (a change that notifies a handler,
/// meta flush_handlers running it before the next task, reset_connection, clear_facts after a fact gathering, noop,
/// clear_host_errors, end_host under a false and then a true condition with a task after it; pause for a second, with
/// and without a prompt, not on a terminal) run twice by each tool from the same clean state gives the same
/// ok/changed/skipped sequence, the same reported values and the same files on the host (the handler's mark made once
/// on the first run, nothing after end_host); --check reports the same with both tools and changes nothing.
/// </summary>
[Collection("nspawn")]
public sealed class MetaPauseLabTests : IDisposable
{
    private const string Dir = "/tmp/meta-pause";

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          vars:
            d: /tmp/meta-pause
          handlers:
            - name: meta-pause mark
              ansible.builtin.shell: echo handled >> {{ d }}/marks
          tasks:
            - name: meta-pause folder
              ansible.builtin.file: {path: "{{ d }}", state: directory}
            - name: meta-pause content
              ansible.builtin.copy: {dest: "{{ d }}/f", content: "one\n"}
              notify: meta-pause mark
            - name: meta-pause flush
              ansible.builtin.meta: flush_handlers
            - name: meta-pause marks after the flush
              ansible.builtin.command: cat {{ d }}/marks
              register: marks
              changed_when: false
              failed_when: false
              check_mode: false
            - name: meta-pause reset connection
              ansible.builtin.meta: reset_connection
            - name: meta-pause after the reset
              ansible.builtin.command: echo after
              register: after
              changed_when: false
              check_mode: false
            - name: meta-pause gather
              ansible.builtin.setup: {gather_subset: ["!all", "!min", "date_time"]}
            - name: meta-pause facts gathered
              ansible.builtin.set_fact: {had_facts: "{{ ansible_facts.date_time is defined }}"}
            - name: meta-pause clear facts
              ansible.builtin.meta: clear_facts
            - name: meta-pause noop
              ansible.builtin.meta: noop
            - name: meta-pause clear host errors
              ansible.builtin.meta: clear_host_errors
            - name: meta-pause pause
              ansible.builtin.pause: {seconds: 1}
              register: p1
            - name: meta-pause pause with a prompt
              ansible.builtin.pause: {seconds: 1, prompt: meta-pause waiting}
              register: p2
            - name: meta-pause report
              ansible.builtin.debug:
                msg: "REPORT {{ marks.stdout_lines }}|{{ after.stdout }}|{{ had_facts }}|{{ ansible_facts.date_time is defined }}|{{ p1.user_input }}|{{ p1.echo }}|{{ p1.delta >= 1 }}|{{ p1.stop is string }}|{{ p2.user_input }}|{{ p2.changed }}"
            - name: meta-pause end host not yet
              ansible.builtin.meta: end_host
              when: false
            - name: meta-pause end host
              ansible.builtin.meta: end_host
              when: true
            - name: meta-pause never runs
              ansible.builtin.copy: {dest: "{{ d }}/never", content: "x\n"}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("meta-pause-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string State((string Name, Runner.Engine.Values.Dict Vars) host) =>
        SeedLab.Ssh(host, $"cd {Dir} && for f in *; do printf '%s: ' \"$f\"; cat \"$f\"; done");

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Same_sequence_values_and_files_as_ansible_playbook_then_check_mode_changes_nothing(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var target = Target(kind);
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", "all"));
        (int Rc, string Out) Ansible(params string[] extra) => SeedLab.Ansible(_dir, PlaybookParity.Args(Host.Name, pb, extra));
        (int Rc, string Out) Runner(params string[] extra) =>
            As(SeedLab.Runner(_dir, PlaybookParity.Args(target.Name, pb, extra)), target.Name, Host.Name);
        void Reset() { foreach (var h in new[] { Host, target }.DistinctBy(h => h.Name)) SeedLab.Ssh(h, $"rm -rf {Dir}"); }
        try
        {
            Reset();
            var ansible = new[] { Ansible(), Ansible() };
            var ansibleState = State(Host);
            var ansibleCheck = Ansible("--check");
            Assert.Equal(ansibleState, State(Host));
            Assert.Equal("f: one\nmarks: handled", ansibleState); // the output is trimmed

            Reset();
            var runner = new[] { Runner(), Runner() };
            for (var i = 0; i < 2; i++) AssertSame(ansible[i], runner[i]);
            Assert.Equal(ansibleState, State(target));
            Assert.Equal("REPORT ['handled']|after|True|False||True|True|True||False", Reports(runner[0].Out)[0]);
            var runnerCheck = Runner("--check");
            AssertSame(ansibleCheck, runnerCheck);
            Assert.Equal(ansibleState, State(target));
        }
        finally
        {
            Reset();
        }
    }
}

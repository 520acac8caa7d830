using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The task keywords async/poll and async_status, Runner on the booted host rdeb1 and on the bare host (no python3, curl,
/// wget) versus ansible-playbook on rdeb1 (which runs Python's
/// async_wrapper there; Runner runs sh): a polled job (shell sleep 3, async 10, poll 1), a fire-and-forget job then
/// async_status until finished and mode=cleanup (then "could not find job"), a polled job that fails, an async timeout
/// (async 1, poll 1 on sleep 5), and the refusals (script: "async is not supported for this task.", async with check
/// mode) give the same ok/changed/failed sequence and the same registered keys and values (REPORT), and leave the same
/// job files in the job folder (ansible_async_dir): only the timed-out job's, which both watchers end with async_wrapper's
/// "Timeout exceeded" record.
/// </summary>
[Collection("nspawn")]
public sealed class AsyncLabTests : IDisposable
{
    private const string Jobs = "/tmp/async-lab-jobs";

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          vars:
            ansible_async_dir: /tmp/async-lab-jobs
          tasks:
            - name: async polled
              ansible.builtin.shell: sleep 3; echo done; echo err >&2
              async: 10
              poll: 1
              register: a1
            - name: async fire and forget
              ansible.builtin.shell: sleep 2; echo bg
              async: 30
              poll: 0
              register: a2
            - name: async wait for the job
              ansible.builtin.async_status:
                jid: "{{ a2.ansible_job_id }}"
              register: a3
              until: a3.finished
              retries: 10
              delay: 1
            - name: async cleanup
              ansible.builtin.async_status:
                jid: "{{ a2.ansible_job_id }}"
                mode: cleanup
              register: a5
            - name: async status after cleanup
              ansible.builtin.async_status:
                jid: "{{ a2.ansible_job_id }}"
              register: a6
              ignore_errors: true
            - name: async timeout
              ansible.builtin.command: sleep 5
              async: 1
              poll: 1
              register: a4
              ignore_errors: true
            - name: async failing job
              ansible.builtin.shell: echo out; exit 3
              async: 10
              poll: 1
              register: a9
              ignore_errors: true
            - name: async script refused
              ansible.builtin.script: s.sh
              async: 10
              register: a7
              ignore_errors: true
            - name: async with check mode
              ansible.builtin.shell: echo hi
              async: 10
              check_mode: true
              register: a8
              ignore_errors: true
            - name: async report
              vars:
                k1: "{{ a1.keys()|reject('eq', 'ansible_facts')|sort|join(',') }}"
                k2: "{{ a2.keys()|reject('eq', 'ansible_facts')|sort|join(',') }}"
                k3: "{{ a3.keys()|sort|join(',') }}"
                k4: "{{ a4.keys()|sort|join(',') }}/{{ a4.async_result.keys()|sort|join(',') }}"
                k5: "{{ a5.keys()|sort|join(',') }}"
                k6: "{{ a6.keys()|sort|join(',') }}"
                k7: "{{ a7.keys()|sort|join(',') }}"
                k9: "{{ a9.keys()|sort|join(',') }}"
              ansible.builtin.debug:
                msg: "REPORT {{ k1 }}|{{ a1.rc }}|{{ a1.stdout }}|{{ a1.stderr_lines }}|{{ a1.started }}|{{ a1.finished }}|{{ a1.changed }}|{{ a1.results_file|dirname }}|{{ k2 }}|{{ a2.started }}|{{ a2.finished }}|{{ a2.failed }}|{{ a2.ansible_job_id is match('^j[0-9]+[.][0-9]+$') }}|{{ k3 }}|{{ a3.attempts > 1 }}|{{ a3.stdout_lines }}|{{ a3.changed }}|{{ k4 }}|{{ a4.msg }}|{{ a4.async_result.finished }}|{{ a4.async_result.invocation.module_args.mode }}|{{ a4.async_result.invocation.module_args._async_dir }}|{{ k5 }}|{{ a5.erased == a2.results_file }}|{{ a5.started }}|{{ a5.finished }}|{{ k6 }}|{{ a6.msg }}|{{ a6.finished }}|{{ k7 }}|{{ a7.msg }}|{{ a8.msg }}|{{ k9 }}|{{ a9.rc }}|{{ a9.msg }}|{{ a9.changed }}|{{ a9.stdout_lines }}"
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("async-lab-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The job files on <paramref name="host"/> once every watcher has ended (async_wrapper's or Runner's), the child's pid left out.</summary>
    private static string Left((string Name, Runner.Engine.Values.Dict Vars) host) =>
        SeedLab.Ssh(host, "for i in $(seq 40); do pgrep -f '[a]sync-lab-jobs|[a]sync_wrapper' >/dev/null || break; sleep 1; done; " +
            $"cd {Jobs} && ls -A | wc -l && cat * | sed 's/\"child_pid\": [0-9]*/\"child_pid\": PID/'");

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Same_sequence_keys_and_job_files_as_ansible_playbook(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var target = Target(kind);
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", "all"));
        File.WriteAllText(Path.Combine(_dir, "s.sh"), "#!/bin/sh\necho hi\n");
        void Reset() { foreach (var h in new[] { Host, target }.DistinctBy(h => h.Name)) SeedLab.Ssh(h, $"rm -rf {Jobs}"); }
        try
        {
            Reset();
            var ansible = SeedLab.Ansible(_dir, Args(Host.Name, pb));
            var ansibleLeft = Left(Host);
            Reset();
            var runner = As(SeedLab.Runner(_dir, Args(target.Name, pb)), target.Name, Host.Name);
            AssertSame(ansible, runner);
            Assert.Contains("ignored=5", runner.Out);
            var report = Assert.Single(Reports(runner.Out));
            Assert.Contains("async task did not complete within the requested time - 1s", report);
            Assert.Contains("async is not supported for this task.", report);
            Assert.Contains("check mode and async cannot be used on same task.", report);
            var left = Left(target);
            Assert.Equal(ansibleLeft, left);
            Assert.Equal("1\n{\"msg\": \"Timeout exceeded\", \"failed\": true, \"child_pid\": PID}", left);
        }
        finally
        {
            Reset();
            Assert.Equal("gone", SeedLab.Ssh(target, $"[ -e {Jobs} ] || echo gone"));
        }
    }
}

using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// reboot and wait_for_connection, Runner on the booted host rdeb1 and on the bare host (no python3, curl, wget) versus
/// ansible-playbook on rdeb1, without rebooting anything: the
/// boot time is a file of this test (/tmp/reboot-bootid) and the "reboot" rewrites it two seconds later from a
/// transient systemd timer (owned by PID 1, so no end of an SSH session can kill it; the first boot time checks see the
/// old value and retry, the host's sshd is never touched). One
/// playbook (the simulated reboot with connect_timeout and test_command, a failing reboot command, a failing boot time
/// command, a reboot command not in search_paths, the two timeouts, a local connection, wait_for_connection on rdeb1 and
/// on a host nothing listens for) run by each tool from the same state gives the same ok/changed/failed sequence and
/// the same values; the boot id file changed. --check reports the same with both and leaves the file as it was.
/// </summary>
[Collection("nspawn")]
public sealed class RebootLabTests : IDisposable
{
    private const string BootId = "/tmp/reboot-bootid";

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          tasks:
            - name: reboot boot id before
              ansible.builtin.command: cat /tmp/reboot-bootid
              register: before
              changed_when: false
              check_mode: false
            - name: reboot simulated
              ansible.builtin.reboot:
                boot_time_command: cat /tmp/reboot-bootid
                reboot_command: "systemd-run --quiet --on-active=2 --timer-property=AccuracySec=10ms /bin/sh -c 'date +%s%N > /tmp/reboot-bootid'"
                test_command: test -s /tmp/reboot-bootid
                connect_timeout: 5
                reboot_timeout: 30
              register: r1
            - name: reboot boot id after
              ansible.builtin.command: cat /tmp/reboot-bootid
              register: after
              changed_when: false
              check_mode: false
            - name: reboot command fails
              ansible.builtin.reboot: {boot_time_command: cat /tmp/reboot-bootid, reboot_command: /bin/false now, test_command: "true"}
              register: r2
              ignore_errors: true
            - name: reboot boot time fails
              reboot: {boot_time_command: cat /tmp/reboot-missing, reboot_command: /bin/true, test_command: "true"}
              register: r3
              ignore_errors: true
            - name: reboot command not found
              reboot: {boot_time_command: cat /tmp/reboot-bootid, reboot_command: reboot-nothere -x, test_command: "true"}
              register: r4
              ignore_errors: true
            - name: reboot boot time never changes
              reboot: {boot_time_command: cat /tmp/reboot-bootid, reboot_command: /bin/true, reboot_timeout: 2}
              register: r5
              ignore_errors: true
            - name: reboot test command never succeeds
              reboot:
                boot_time_command: cat /tmp/reboot-bootid
                reboot_command: "sh -c 'date +%s%N > /tmp/reboot-bootid'"
                test_command: "false"
                reboot_timeout: 2
              register: r6
              ignore_errors: true
            - name: reboot on a local connection
              reboot: {reboot_command: /bin/true, boot_time_command: echo x, reboot_timeout: 1}
              delegate_to: localhost
              register: r7
              ignore_errors: true
            - name: reboot wait for connection
              wait_for_connection: {delay: 1, timeout: 20}
              register: w1
            - name: reboot report
              ansible.builtin.debug:
                msg: "REPORT {{ before.stdout != after.stdout }}|{{ r1.changed }}|{{ r1.rebooted }}|{{ r1.elapsed is number }}|{{ r1.elapsed < 30 }}|{{ r2.rebooted }}|{{ (r2.msg|default('-'))[:35] }}|{{ r2.elapsed }}|{{ r3.reboot|default('-') }}|{{ (r3.msg|default('-'))[:48] }}|{{ r4.msg|default('-')|replace('\"', '') }}|{{ r4.changed is defined }}|{{ r5.msg|default('-') }}|{{ r5.rebooted }}|{{ r6.msg|default('-') }}|{{ r7.msg }}|{{ r7.rebooted }}|{{ w1.elapsed|default(1) >= 1 }}|{{ w1.skipped|default(false) }}"
        - hosts: reboot-down
          gather_facts: false
          tasks:
            - name: reboot wait for a host nothing listens for
              wait_for_connection: {timeout: 3}
              register: w2
              ignore_errors: true
            - name: reboot report down
              ansible.builtin.debug:
                msg: "REPORT {{ w2.msg|default('-') }}|{{ w2.elapsed|default(3) >= 3 }}|{{ w2.skipped|default(false) }}"
        """;

    private const string DownInventory = """
        all:
          hosts:
            reboot-down: {ansible_host: 127.0.0.1, ansible_port: 1}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("reboot-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Same_sequence_and_values_as_ansible_playbook_with_a_simulated_reboot_and_check_mode_changes_nothing(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var target = Target(kind);
        var down = Path.Combine(_dir, "down.yml");
        File.WriteAllText(down, DownInventory);
        string[] Args(string host, params string[] extra)
        {
            var pb = Path.Combine(_dir, $"play-{host}.yml");
            File.WriteAllText(pb, Playbook.Replace("HOST", host));
            return new[] { "-i", NspawnLab.InventoryPath, "-i", down, "-l", $"{host},reboot-down", pb }.Concat(extra).ToArray();
        }
        (int Rc, string Out) Runner(params string[] extra) =>
            As(SeedLab.Runner(_dir, Args(target.Name, extra)), target.Name, Host.Name);
        try
        {
            SeedLab.Ssh(Host, $"echo reboot-first > {BootId}");
            var ansible = SeedLab.Ansible(_dir, Args(Host.Name));
            Assert.True(SeedLab.Ssh(Host, $"cat {BootId}") != "reboot-first", "ansible-playbook's reboot left the boot id unchanged:\n" + ansible.Out);
            var booted = SeedLab.Ssh(Host, $"cat {BootId}");
            var ansibleCheck = SeedLab.Ansible(_dir, Args(Host.Name, "--check"));
            Assert.Equal(booted, SeedLab.Ssh(Host, $"cat {BootId}"));

            SeedLab.Ssh(target, $"echo reboot-first > {BootId}");
            var runner = Runner();
            AssertSame(ansible, runner);
            Assert.True(SeedLab.Ssh(target, $"cat {BootId}") != "reboot-first", "runner's reboot left the boot id unchanged:\n" + runner.Out);
            Assert.Equal(
                "REPORT True|True|True|True|True|False|Reboot command failed. Error was: '|0|False|reboot: failed to get host boot time info, rc: 1|" +
                "Unable to find command reboot-nothere in search paths: ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin']|False|" +
                "Timed out waiting for last boot time check (timeout=2)|True|Timed out waiting for post-reboot test command (timeout=2)|" +
                "Running reboot with local connection would reboot the control node.|False|True|False",
                Reports(runner.Out)[0]);
            Assert.Equal("REPORT timed out waiting for ping module test: Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused|True|False",
                Reports(runner.Out)[1]);

            booted = SeedLab.Ssh(target, $"cat {BootId}");
            var runnerCheck = Runner("--check");
            AssertSame(ansibleCheck, runnerCheck);
            Assert.Equal(booted, SeedLab.Ssh(target, $"cat {BootId}"));
            Assert.Contains("REPORT False|True|True|True|True|", Reports(runnerCheck.Out)[0]); // changed, rebooted, elapsed 0
            Assert.EndsWith("|True|True", Reports(runnerCheck.Out)[0]); // wait_for_connection skipped
        }
        finally
        {
            foreach (var h in new[] { Host, target }.DistinctBy(h => h.Name)) SeedLab.Ssh(h, $"rm -f {BootId}");
            Assert.Equal("gone", SeedLab.Ssh(target, $"[ -e {BootId} ] || echo gone"));
        }
    }
}

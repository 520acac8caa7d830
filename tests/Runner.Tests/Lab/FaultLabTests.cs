using System.Diagnostics;

namespace Runner.Tests.Lab;

/// <summary>
/// Faults on the SSH lab's real sshds: a host whose sshd (listener and sessions) dies in the middle of a play is
/// unreachable while the others finish (exit 4); a wrong become password fails that host (exit 2) and appears in no
/// output.
/// </summary>
public class FaultLabTests
{
    private static (int Rc, string Out, string Err) Runner(string dir, params string[] args) =>
        RunnerCli.Run(dir, args, new Dictionary<string, string> { ["RUNNER_STDOUT_CALLBACK"] = "transcript" });

    /// <summary>Runs <paramref name="script"/> with sh on the controller; its stdout.</summary>
    private static string Sh(string script)
    {
        using var p = Process.Start(new ProcessStartInfo("sh", new[] { "-c", script }) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return stdout;
    }

    [LabFact]
    public async Task A_host_whose_sshd_dies_mid_play_is_unreachable_and_the_others_finish()
    {
        var hosts = LabEnvironment.Hosts();
        Assert.True(hosts.Count >= 2, "the SSH lab has fewer than 2 hosts");
        // The victim is a second sshd of its own (port 2222 in the second host's namespace), so the lab's own sshds,
        // which other tests use at the same time, are never touched.
        var (name, vars) = hosts[1];
        var ns = (string)vars["lab_netns"]!;
        var dir = Directory.CreateTempSubdirectory("runner-fault-").FullName;
        var conf = Path.Combine(dir, "sshd.conf");
        var pidFile = Path.Combine(dir, "sshd.pid");
        File.WriteAllText(conf, File.ReadAllText((string)vars["lab_sshd_config"]!)
            .Replace("Port 22\n", "Port 2222\n").Replace("PidFile ", $"PidFile {pidFile}\n#"));
        Sh($"ip netns exec {ns} /usr/sbin/sshd -f '{conf}'");
        try
        {
            for (var i = 0; i < 50 && !File.Exists(pidFile); i++) await Task.Delay(100);
            var key = vars["ansible_ssh_private_key_file"];
            File.WriteAllText(Path.Combine(dir, "hosts.yml"), $$"""
                all:
                  vars: {ansible_user: root, ansible_ssh_private_key_file: "{{key}}"}
                  hosts:
                    {{hosts[0].Name}}: {ansible_host: {{hosts[0].Vars["ansible_host"]}}, ansible_ssh_common_args: "{{hosts[0].Vars["ansible_ssh_common_args"]}}"}
                    victim: {ansible_host: {{vars["ansible_host"]}}, ansible_port: 2222, ansible_host_key_checking: false}
                """);
            File.WriteAllText(Path.Combine(dir, "p.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: "true"
                    - command: sleep 4
                    - command: echo after
                """);
            var run = Task.Run(() => Runner(dir, "-i", "hosts.yml", "p.yml"));
            var listener = File.ReadAllText(pidFile).Trim();
            // inside the sleep task: its process runs under the victim's sshd (a fixed delay loses under load)
            const string tree = "tree() { echo $1; for c in $(pgrep -P $1); do tree $c; done; }";
            for (var i = 0; i < 300 && Sh($"{tree}; for p in $(tree {listener}); do cat /proc/$p/cmdline 2>/dev/null | tr '\\0' ' '; echo; done").Contains("sleep 4") == false; i++)
                await Task.Delay(100);
            // The listener and every sshd session process under it, in one kill, as a crash of sshd would: the command
            // under the session is not killed, or it could report rc 137 before the connection drops.
            Sh($"sshd_tree() {{ case $(cat /proc/$1/comm) in sshd*) echo $1;; esac; for c in $(pgrep -P $1); do sshd_tree $c; done; }}; kill -KILL $(sshd_tree {listener})");
            var (rc, output, err) = await run;
            Assert.True(rc == 4, output + err);
            Assert.Contains("  victim: unreachable", output);
            Assert.Matches($@"{hosts[0].Name}: ok=3 changed=3 unreachable=0 failed=0", output);
            Assert.Matches(@"victim: ok=1 changed=1 unreachable=1 failed=0", output);
        }
        finally
        {
            if (File.Exists(pidFile)) Sh($"kill -KILL $(cat '{pidFile}') 2>/dev/null");
            Directory.Delete(dir, true);
        }
    }

    [LabFact]
    public void A_wrong_become_password_fails_that_host_and_is_never_printed()
    {
        var host = LabEnvironment.First;
        var user = host.Vars.Get("lab_become_user")?.ToString() ?? "labuser";
        var dir = Directory.CreateTempSubdirectory("runner-fault-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "p.yml"), $"""
                - hosts: {host.Name}
                  gather_facts: false
                  tasks:
                    - command: id -u
                      become: true
                """);
            var (rc, output, err) = Runner(dir, "-i", LabEnvironment.InventoryPath, "p.yml", "-e", $"ansible_user={user}", "-e", "ansible_become_password=wrong-pw-4711");
            Assert.True(rc == 2, output + err);
            Assert.Contains("Incorrect sudo password", output);
            Assert.DoesNotContain("wrong-pw-4711", output + err);
        }
        finally { Directory.Delete(dir, true); }
    }
}

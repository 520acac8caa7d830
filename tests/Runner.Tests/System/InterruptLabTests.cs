using System.Diagnostics;
using System.Runtime.InteropServices;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// SIGINT to `runner play` on a booted host: no further task starts, the command running on the target (and its
/// children) is stopped, the recap so far is printed with "User interrupted execution", and the exit code is 99.
/// </summary>
[Collection("nspawn")]
public class InterruptLabTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [NspawnFact]
    public async Task Sigint_stops_the_remote_command_prints_the_recap_and_exits_99()
    {
        await using var c = Connect();
        var secs = 3000 + Random.Shared.Next(1000); // a sleep this test alone runs
        var work = Directory.CreateTempSubdirectory("runner-sigint-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work, "play.yml"), $"""
                - hosts: {Host.Name}
                  gather_facts: false
                  tasks:
                    - command: echo first
                    - shell: sleep {secs} | cat
                    - command: touch /tmp/runner-sigint-never-{secs}
                """);
            var psi = RunnerCli.Play(work, new[] { "-i", InventoryPath, "play.yml" }, new Dictionary<string, string> { ["NO_COLOR"] = "1" });
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            var started = false;
            for (var i = 0; i < 600 && !p.HasExited; i++)
            {
                if (await Sh(c, $"pgrep -x sleep -a | grep -c ' {secs}$' || true") != "0") { started = true; break; }
                await Task.Delay(50);
            }
            if (!started) { p.Kill(true); Assert.Fail("the remote sleep never started: " + await stderr); }
            Assert.Equal(0, kill(p.Id, 2)); // SIGINT
            Assert.True(p.WaitForExit(30_000), "runner did not exit after SIGINT");

            Assert.Equal(99, p.ExitCode);
            Assert.Contains("User interrupted execution", await stderr);
            var output = await stdout;
            Assert.Contains("PLAY RECAP", output);
            Assert.Matches($@"{Host.Name}\s+: ok=1\s+changed=1\s+unreachable=0\s+failed=0", output);
            Assert.Equal("0", await Sh(c, $"pgrep -x sleep -a | grep -c ' {secs}$' || true"));
            Assert.Equal("no", await Sh(c, $"test -e /tmp/runner-sigint-never-{secs} && echo yes || echo no"));
        }
        finally { Directory.Delete(work, true); }
    }
}

using System.Diagnostics;

namespace Runner.Tests.Lab;

/// <summary>RUNNER_SSH_TRACE over a real sshd: commands are traced, except a no_log task's.</summary>
public class SshTraceLabTests
{
    [LabFact]
    public void The_trace_hides_no_log_commands_and_secret_values()
    {
        var dir = Directory.CreateTempSubdirectory("runner-trace-").FullName;
        try
        {
            var host = LabEnvironment.First.Name;
            File.WriteAllText(Path.Combine(dir, "p.yml"), $"""
                - hosts: {host}
                  gather_facts: false
                  tasks:
                    - command: echo topsecret-in-a-no-log-task
                      no_log: true
                    - command: echo visible-in-the-trace
                """);
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "runner.dll"), "play", "-i", LabEnvironment.InventoryPath, "p.yml" })
                psi.ArgumentList.Add(a);
            psi.Environment["RUNNER_SSH_TRACE"] = "1";
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            var trace = stderr.Result;
            Assert.True(p.ExitCode == 0, stdout.Result + trace);
            Assert.Contains("echo visible-in-the-trace", trace);
            Assert.Contains("(command hidden: no_log)", trace);
            Assert.DoesNotContain("topsecret", trace + stdout.Result);
        }
        finally { Directory.Delete(dir, true); }
    }
}

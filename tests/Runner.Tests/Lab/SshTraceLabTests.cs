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
            var (rc, stdout, trace) = RunnerCli.Run(dir, new[] { "-i", LabEnvironment.InventoryPath, "p.yml" },
                new Dictionary<string, string> { ["RUNNER_SSH_TRACE"] = "1" });
            Assert.True(rc == 0, stdout + trace);
            Assert.Contains("echo visible-in-the-trace", trace);
            Assert.Contains("(command hidden: no_log)", trace);
            Assert.DoesNotContain("topsecret", trace + stdout);
        }
        finally { Directory.Delete(dir, true); }
    }
}

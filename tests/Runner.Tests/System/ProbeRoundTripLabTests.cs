using System.Text.RegularExpressions;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// Each fact a task needs costs one round trip (issue 9): a play of the common modules runs twice on a booted host
/// with RUNNER_SSH_TRACE; on the idempotent second run no command goes to the host twice, and the number of commands
/// is the number of tasks that read the host (one round trip each: apt reads its cache age and the packages together).
/// </summary>
[Collection("nspawn")]
public sealed class ProbeRoundTripLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-probes-").FullName;
    private readonly string _id = Unique();

    public void Dispose()
    {
        Sh($"userdel probes{_id} 2>/dev/null; groupdel probes{_id} 2>/dev/null; rm -rf /tmp/probes-{_id}");
        Directory.Delete(_dir, true);
    }

    private static void Sh(string script)
    {
        var c = Connect();
        try { NspawnLab.Sh(c, script).GetAwaiter().GetResult(); }
        finally { c.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    private string Playbook => $$"""
        - hosts: HOST
          gather_facts: false
          tasks:
            - group: {name: probes{{_id}}}
            - user: {name: probes{{_id}}, group: probes{{_id}}, create_home: false}
            - file: {path: /tmp/probes-{{_id}}, state: directory, mode: "0755"}
            - copy: {content: "x\n", dest: /tmp/probes-{{_id}}/copied}
            - lineinfile: {path: /tmp/probes-{{_id}}/edited, line: y, create: true}
            - template: {src: t.j2, dest: /tmp/probes-{{_id}}/rendered}
            - stat: {path: /tmp/probes-{{_id}}/copied}
            - systemd: {name: ssh, state: started}
            - apt: {name: hello, state: present}
            - debug: {msg: done}
        """;

    [NspawnFact]
    public void An_idempotent_run_reads_each_fact_once()
    {
        // The apt task needs the lab repository's package list, whichever tests ran before (a fresh host has none).
        Sh("apt-cache show hello >/dev/null 2>&1 || apt-get update -qq");
        File.WriteAllText(Path.Combine(_dir, "p.yml"), Playbook.Replace("HOST", Host.Name));
        File.WriteAllText(Path.Combine(_dir, "t.j2"), "rendered {{ inventory_hostname }}\n");
        var env = new Dictionary<string, string> { ["RUNNER_SSH_TRACE"] = "1" };
        var first = RunnerCli.Run(_dir, Args(Host.Name, "p.yml"), env);
        Assert.True(first.Rc == 0, first.Out + first.Err);
        var second = RunnerCli.Run(_dir, Args(Host.Name, "p.yml"), env);
        Assert.True(second.Rc == 0, second.Out + second.Err);
        Assert.Contains("changed=0", second.Out);

        var commands = Regex.Matches(second.Err, @"^\[ssh [^\]]*\] +[\d.]+ ms \S+ exec (.*)$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        var repeated = commands.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, "sent more than once:\n" + string.Join("\n", repeated) + "\n\n" + second.Err);
        // group, user, file, copy, lineinfile, template, stat, systemd, apt: one round trip each
        Assert.True(commands.Count == 9, $"{commands.Count} commands:\n" + second.Err);
    }
}

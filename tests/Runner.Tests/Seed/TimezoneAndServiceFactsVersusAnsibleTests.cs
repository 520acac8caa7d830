using Runner.Engine.Connections;
using Runner.Engine.Values;

namespace Runner.Tests.Seed;

/// <summary>
/// timezone and service_facts against ansible-playbook, the way geerlingguy.ntp uses them: the same playbook runs with
/// Runner on one booted host and with ansible-playbook on another (twice, then with --check --diff and another zone),
/// with timedatectl and with timedatectl hidden (the /etc/timezone way). The transcripts (statuses, debug messages
/// built from the registered result and from ansible_facts.services, diffs) must be the same and the hosts end in the
/// same state (readlink /etc/localtime, /etc/timezone, `timedatectl show`). Both hosts' zone is put back afterwards.
/// </summary>
[Collection("booted seed hosts")]
public sealed class TimezoneAndServiceFactsVersusAnsibleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-tzvs-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private const string Hidden = "/usr/bin/timedatectl.runner-hidden";

    private const string Playbook = """
        - hosts: k8s
          gather_facts: false
          tasks:
            - name: set the timezone
              community.general.timezone: {name: "{{ zone }}"}
              register: tz
            - name: what the module said
              ansible.builtin.debug: {msg: "{{ tz.changed }} {{ tz.diff }} {{ tz.msg | default('no msg') }}"}
            - name: populate service facts
              ansible.builtin.service_facts:
            - name: ssh in the facts
              ansible.builtin.debug: {msg: "{{ ansible_facts.services['ssh.service'] }} {{ ansible_facts.services['ssh'] | default('no sysv') }}"}
            - name: restart-style guard as geerlingguy.ntp has
              ansible.builtin.debug: {msg: "ssh is {{ ansible_facts.services['ssh.service'].state }}"}
              when: "'ssh.service' in ansible_facts.services and ansible_facts.services['ssh.service'].state == 'running'"
            - name: a unit that is not there
              ansible.builtin.debug: {msg: "absent"}
              when: "'no-such-unit.service' not in services"
        """;

    private static string State((string Name, Dict Vars) host) => SeedLab.Ssh(host,
        "readlink /etc/localtime; cat /etc/timezone; command -v timedatectl >/dev/null && timedatectl show -p Timezone --value");

    private static string Transcript(string output) => string.Join("\n", output.Split('\n')
        .SkipWhile(l => !l.StartsWith("PLAY ["))
        .TakeWhile(l => l != "STDERR:")
        .Select(l => l.TrimEnd()));

    [SeedFact(hosts: 7, ansible: true)]
    public void Same_transcript_and_end_state_as_ansible_playbook()
    {
        var hosts = SeedLab.Hosts();
        var (runnerHost, ansibleHost) = (hosts[5], hosts[6]);
        var pb = Path.Combine(_dir, "ntp.yml");
        File.WriteAllText(pb, Playbook);
        string Inv((string Name, Dict Vars) h, string name)
        {
            var p = Path.Combine(_dir, name + ".yml");
            File.WriteAllText(p, SeedLab.Inventory(h));
            return p;
        }
        var (runnerInv, ansibleInv) = (Inv(runnerHost, "runner"), Inv(ansibleHost, "ansible"));
        var saved = new[] { runnerHost, ansibleHost }.Select(h => (Host: h,
            Link: SeedLab.Ssh(h, "readlink /etc/localtime"), Tz: SeedLab.Ssh(h, "base64 -w0 /etc/timezone"),
            Zone: SeedLab.Ssh(h, "timedatectl show -p Timezone --value"), State: State(h))).ToList();
        try
        {
            Assert.Equal(State(ansibleHost), State(runnerHost));
            foreach (var hide in new[] { false, true })
            {
                if (hide)
                    foreach (var h in new[] { runnerHost, ansibleHost }) SeedLab.Ssh(h, $"mv /usr/bin/timedatectl {Hidden}");
                var zone = hide ? "America/New_York" : "Asia/Tokyo";
                foreach (var pass in new[] { 1, 2, 3 })
                {
                    var args = new List<string> { "-i", "INV", pb, "-e", $"zone={(pass == 3 ? "Europe/Paris" : zone)}" };
                    if (pass == 3) args.AddRange(new[] { "--check", "--diff" });
                    string[] With(string inv) => args.Select(a => a == "INV" ? inv : a).ToArray();
                    var (rcA, outA) = SeedLab.Ansible(_dir, With(ansibleInv));
                    var (rcR, outR) = SeedLab.Runner(_dir, With(runnerInv));
                    Assert.True(rcA == 0, outA);
                    Assert.True(rcR == 0, outR);
                    Assert.Equal(Transcript(outA), Transcript(outR));
                    Assert.Contains(pass == 2 ? "changed=0" : "changed=1", outR);
                    Assert.Contains("ssh is running", outR);
                    Assert.Equal(State(ansibleHost), State(runnerHost));
                    Assert.Contains("zoneinfo/" + zone, State(runnerHost));
                }
            }
        }
        finally
        {
            foreach (var s in saved)
            {
                SeedLab.Ssh(s.Host, $"[ -e {Hidden} ] && mv {Hidden} /usr/bin/timedatectl; timedatectl set-timezone {ShellQuote.Quote(s.Zone)}; " +
                                    $"ln -sfn -- {ShellQuote.Quote(s.Link)} /etc/localtime; printf '%s' {ShellQuote.Quote(s.Tz)} | base64 -d > /etc/timezone");
                Assert.Equal(s.State, State(s.Host));
            }
        }
    }
}

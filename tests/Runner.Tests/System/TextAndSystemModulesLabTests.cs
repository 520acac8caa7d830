using Runner.Engine.Connections;
using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// replace, ini_file, sysctl, hostname, getent and slurp in one playbook on the booted host rdeb1, run by
/// ansible-playbook and by Runner from the same clean state (the lab folder removed, the sysctl value and the
/// host's names put back between): the same ok/changed sequence per task, changed on the first run and ok on the
/// second, the same end state (read over ssh); then --check with other values reports the same changes with both tools
/// and changes nothing. The host's hostname (static, transient, pretty) and sysctl value are put back at the end.
/// The expected sequence is ansible-playbook's own, taken live in the test.
/// </summary>
[Collection("nspawn")]
public sealed class TextAndSystemModulesLabTests : IDisposable
{
    private const string Dir = "/tmp/mods-a-lab";
    private const string Key = "net.ipv4.tcp_keepalive_time";

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          vars:
            d: /tmp/mods-a-lab
            old: alpha
            new: omega
            ini_value: v1
            keepalive: "7100"
            host: mods-a-host
          tasks:
            - name: mods-a folder
              ansible.builtin.file: {path: "{{ d }}", state: directory}
            - name: mods-a text to edit
              ansible.builtin.copy: {dest: "{{ d }}/replace.txt", content: "alpha beta\nalpha gamma\nkeep\n", force: false}
            - name: mods-a replace
              ansible.builtin.replace: {path: "{{ d }}/replace.txt", regexp: '^{{ old }} (\w+)$', replace: '{{ new }} \1', mode: "0640"}
              register: rep
            - name: mods-a ini option
              community.general.ini_file: {path: "{{ d }}/mods-a.ini", section: main, option: key, value: "{{ ini_value }}", mode: "0600"}
              register: ini
            - name: mods-a ini flag
              community.general.ini_file: {path: "{{ d }}/mods-a.ini", section: other, option: flag, allow_no_value: true}
            - name: mods-a sysctl
              ansible.posix.sysctl: {name: net.ipv4.tcp_keepalive_time, value: "{{ keepalive }}", sysctl_file: "{{ d }}/mods-a-sysctl.conf", sysctl_set: true}
              register: sc
            - name: mods-a hostname
              ansible.builtin.hostname: {name: "{{ host }}"}
              register: hn
            - name: mods-a getent
              ansible.builtin.getent: {database: passwd, key: root}
            - name: mods-a slurp
              ansible.builtin.slurp: {src: "{{ d }}/replace.txt"}
              register: sl
            - name: mods-a report
              ansible.builtin.debug:
                msg: "{{ rep.msg }}|{{ ini.msg }}|{{ sc.changed }}|{{ hn.name }}|{{ ansible_facts.getent_passwd.root[4] }}|{{ sl.content | b64decode | trim }}|{{ ansible_facts.hostname }}"
        """;

    private static readonly string[] Other = { "-e", "old=omega", "-e", "new=delta", "-e", "ini_value=v2", "-e", "keepalive=7000", "-e", "host=mods-a-other" };

    private readonly string _dir = Directory.CreateTempSubdirectory("mods-a-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string State() => Ssh(
        $"cd {Dir} && for f in replace.txt mods-a.ini mods-a-sysctl.conf; do stat -c '%n %a %U' $f; cat $f; done; " +
        $"sysctl -n {Key}; hostnamectl --static; hostnamectl --transient; cat /etc/hostname");

    /// <summary>The host <see cref="Ssh"/> reads: ansible-playbook's, then Runner's.</summary>
    private (string Name, Runner.Engine.Values.Dict Vars) _on = Host;

    private string Ssh(string command) => SeedLab.Ssh(_on, command);

    private const string Names =
        "printf '%s|%s|%s|%s' \"$(sysctl -n " + Key + ")\" \"$(hostnamectl --static)\" \"$(hostnamectl --transient)\" \"$(hostnamectl --pretty)\"";

    /// <summary>ansible-playbook runs on the first host (it needs python3); Runner on the host of <paramref name="kind"/>,
    /// also the bare one without python3, curl and wget.</summary>
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Same_sequence_and_state_as_ansible_playbook_then_check_mode_changes_nothing(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var (ansibleHost, runnerHost) = (Host, Target(kind));
        var hosts = new[] { ansibleHost, runnerHost }.DistinctBy(h => h.Name).ToList();
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", "all"));
        string[] Args(string host, params string[] extra) => new[] { "-i", InventoryPath, "-l", host, pb }.Concat(extra).ToArray();
        (int Rc, string Out) Run(params string[] extra) =>
            PlaybookParity.As(SeedLab.Runner(_dir, Args(runnerHost.Name, extra)), runnerHost.Name, ansibleHost.Name);
        var saved = hosts.ToDictionary(h => h.Name, h => { _on = h; return Ssh(Names); });
        void Reset()
        {
            var keep = saved[_on.Name].Split('|');
            Ssh($"rm -rf {Dir}; sysctl -qw {Key}={keep[0]}; hostnamectl --static set-hostname {ShellQuote.Quote(keep[1])}; " +
                $"hostnamectl --transient set-hostname {ShellQuote.Quote(keep[2])} 2>/dev/null; hostnamectl --pretty set-hostname {ShellQuote.Quote(keep[3])}");
        }
        try
        {
            _on = ansibleHost;
            Reset();
            var ansible = new[] { SeedLab.Ansible(_dir, Args(ansibleHost.Name)), SeedLab.Ansible(_dir, Args(ansibleHost.Name)) };
            var ansibleState = State();
            var ansibleCheck = SeedLab.Ansible(_dir, Args(ansibleHost.Name, Other.Append("--check").ToArray()));
            Assert.Equal(ansibleState, State());
            Reset();
            _on = runnerHost;
            Reset();
            var runner = new[] { Run(), Run() };
            foreach (var (rc, output) in ansible.Concat(runner).Append(ansibleCheck)) Assert.True(rc == 0, output);
            for (var i = 0; i < 2; i++) Assert.Equal(SeedLab.Sequence(ansible[i].Out), SeedLab.Sequence(runner[i].Out));
            Assert.Contains("changed=7 ", runner[0].Out);
            Assert.Contains("changed=0 ", runner[1].Out);
            Assert.Contains("2 replacements made and ownership, perms or SE linux context changed|section and option added|True|mods-a-host|/root|omega beta\\nomega gamma\\nkeep|mods-a-host", runner[0].Out);

            var state = State();
            Assert.Equal(ansibleState, state);
            Assert.Equal(
                "replace.txt 640 root\nomega beta\nomega gamma\nkeep\nmods-a.ini 600 root\n\n[main]\nkey = v1\n[other]\nflag\n" +
                $"mods-a-sysctl.conf 644 root\n{Key}=7100\n7100\nmods-a-host\nmods-a-host\nmods-a-host", state);

            var check = Run(Other.Append("--check").ToArray());
            Assert.True(check.Rc == 0, check.Out);
            Assert.Equal(SeedLab.Sequence(ansibleCheck.Out), SeedLab.Sequence(check.Out));
            Assert.Contains("changed=4 ", check.Out);
            Assert.Equal(state, State());
        }
        finally
        {
            foreach (var h in hosts)
            {
                _on = h;
                Reset();
                Assert.Equal(saved[h.Name], Ssh(Names));
            }
        }
    }
}

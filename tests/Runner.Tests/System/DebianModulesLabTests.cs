using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// authorized_key, known_hosts, pam_limits, alternatives, dpkg_selections and debconf (modules/Runner.Modules/System) on rdeb1 against ansible-playbook 2.14: one
/// playbook (every name prefixed mods-b) runs with Runner twice (every task changed, then ok; the host's files
/// checked over ssh), once more with --check and other inputs (changed, nothing on the host changes), then, from
/// the same reset state, the same three runs with ansible-playbook: the ok/changed sequence per task must be the
/// same and the hosts end in the same state. The reset (<see cref="Reset"/>) runs before each tool and at the end.
/// ansible-playbook runs on rdeb1 (it needs python3); Runner on rdeb1 and on the bare host (no python3, curl, wget).
/// </summary>
[Collection("nspawn")]
public sealed class DebianModulesLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-mods-b-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private const string User = "mods-b-ak";
    private const string KnownHosts = "/root/.ssh/mods-b-known_hosts";
    // the reset gives the question a baseline answer, so the first run changes an existing answer
    private const string ResetDebconf = "echo 'mods-b-pkg mods-b-pkg/q string reset' | debconf-set-selections";
    private const string PurgeDebconf = "echo PURGE | DEBIAN_FRONTEND=noninteractive debconf-communicate mods-b-pkg >/dev/null 2>&1";
    private const string Limits = "/etc/security/limits.d/mods-b.conf";

    private const string Playbook = """
        - hosts: all
          gather_facts: false
          vars:
            v: "{{ mb_variant | default('1') }}"
            key1: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIModsBkeyOnexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
            key2: ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQModsBkeyTwo
            host1: mods-b-1.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOgnMVqIoCxRNEYNZ3YAmd9k/6vW5hSRvXsV0wUEDa5D
            host2: mods-b-1.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJtD0qkVPLnPTCaLqOmX7x0ptuTZd3WWBeOCptYJHvKs
          tasks:
            - name: authorized keys of the test user
              ansible.posix.authorized_key:
                user: mods-b-ak
                key: "{{ key1 }} one@mods-b\n{{ key2 }}"
                key_options: "{{ 'no-pty' if v == '2' else omit }}"
            - name: exclusive key
              ansible.posix.authorized_key:
                user: mods-b-ak
                path: /home/mods-b-ak/mods-b-exclusive
                manage_dir: false
                key: "{{ key2 }}"
                exclusive: true
            - name: a host key
              ansible.builtin.known_hosts:
                name: mods-b-1.example
                key: "{{ host2 if v == '2' else host1 }}"
                path: /root/.ssh/mods-b-known_hosts
            - name: a hashed host key
              ansible.builtin.known_hosts:
                name: mods-b-2.example
                key: "mods-b-2.example {{ host1.split(' ', 1)[1] }}"
                path: /root/.ssh/mods-b-known_hosts
                hash_host: true
            - name: a limit in a file of its own
              community.general.pam_limits:
                dest: /etc/security/limits.d/mods-b.conf
                domain: mods-b-ak
                limit_type: soft
                limit_item: nofile
                value: "{{ '8192' if v == '2' else '4096' }}"
            - name: a raised hard limit
              community.general.pam_limits:
                dest: /etc/security/limits.d/mods-b.conf
                domain: mods-b-ak
                limit_type: hard
                limit_item: nofile
                value: "2048"
                use_max: true
                comment: mods-b
            - name: an alternative installed
              community.general.alternatives:
                name: mods-b-alt
                link: /usr/local/bin/mods-b-alt
                path: /bin/true
                priority: 20
                state: present
            - name: an alternative selected
              community.general.alternatives:
                name: mods-b-alt
                link: /usr/local/bin/mods-b-alt
                path: /bin/false
                priority: "{{ 15 if v == '2' else 10 }}"
            - name: a package held
              ansible.builtin.dpkg_selections:
                name: hostname
                selection: "{{ 'deinstall' if v == '2' else 'hold' }}"
            - name: a debconf answer
              ansible.builtin.debconf:
                name: mods-b-pkg
                question: mods-b-pkg/q
                vtype: string
                value: "{{ 'bye' if v == '2' else 'hello' }}"
        """;

    /// <summary>Per task, the status of the --check run with mb_variant=2 (the first two runs: all changed, then all ok).</summary>
    private static readonly string[] CheckStatuses = { "changed", "ok", "changed", "ok", "changed", "ok", "ok", "changed", "changed", "changed" };

    /// <summary>Removes what the playbook made and sets up what it needs: the test user, a file with a comment and a stray key.</summary>
    private static async Task Reset((string Name, Runner.Engine.Values.Dict Vars) host)
    {
        await using var c = Connect(host);
        await c.ExecAsync($"userdel -r {User} 2>/dev/null; rm -f {KnownHosts} {KnownHosts}.old {Limits}; " +
                          $"update-alternatives --remove-all mods-b-alt 2>/dev/null; echo 'hostname install' | dpkg --set-selections; {ResetDebconf}; " +
                          $"useradd -m {User} && printf '# a comment\\nssh-rsa AAAAstray stray@x\\n' > /home/{User}/mods-b-exclusive");
    }

    /// <summary>The host's state the playbook changes, as text to compare between tools (hashed lines without their salt).</summary>
    private static async Task<string> State((string Name, Runner.Engine.Values.Dict Vars) host)
    {
        await using var c = Connect(host);
        return await Sh(c, $"cd /home/{User} && stat -c '%a %U %G %n' .ssh .ssh/authorized_keys mods-b-exclusive; cat .ssh/authorized_keys mods-b-exclusive; " +
                           $"sed 's/^|1|[^ ]*/HASHED/' {KnownHosts}; cat -A {Limits}; " +
                           "LC_ALL=C update-alternatives --display mods-b-alt; readlink -f /usr/local/bin/mods-b-alt; dpkg --get-selections hostname; debconf-show mods-b-pkg");
    }

    private string Write(string name, string text)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Runner_and_ansible_playbook_change_then_keep_the_same_state(string kind)
    {
        var pb = Write("mods-b.yml", Playbook);
        var runnerHost = Target(kind);
        var tools = new (string Name, (string Name, Runner.Engine.Values.Dict Vars) Host, Func<string[], (int Rc, string Out)> Play)[]
        {
            ("runner", runnerHost, args => PlaybookParity.As(SeedLab.Runner(_dir, args), runnerHost.Name, Host.Name)),
            ("ansible", Host, args => SeedLab.Ansible(_dir, args)),
        };
        var sequences = new Dictionary<string, List<List<string>>>();
        var states = new Dictionary<string, string>();
        try
        {
            foreach (var (name, host, play) in tools)
            {
                if (name == "ansible" && !SeedLab.HasAnsible()) continue;
                await Reset(host);
                Assert.EndsWith("mods-b-pkg/q: reset", await State(host));
                var runs = new List<List<string>>();
                foreach (var extra in new[] { Array.Empty<string>(), Array.Empty<string>(), new[] { "--check", "-e", "mb_variant=2" } })
                {
                    var before = await State(host);
                    var (rc, output) = play(new[] { "-i", InventoryPath, "-l", host.Name, pb }.Concat(extra).ToArray());
                    Assert.True(rc == 0, $"{name}: {output}");
                    runs.Add(SeedLab.Sequence(output));
                    if (extra.Length > 0) Assert.Equal(before, await State(host));
                }
                sequences[name] = runs;
                states[name] = await State(host);
            }
            var r = sequences["runner"];
            Assert.Equal(Enumerable.Repeat("changed", CheckStatuses.Length), Statuses(r[0]));
            Assert.Equal(Enumerable.Repeat("ok", CheckStatuses.Length), Statuses(r[1]));
            Assert.Equal(CheckStatuses, Statuses(r[2]));
            var state = states["runner"];
            Assert.Contains($"700 {User} {User} .ssh\n600 {User} {User} .ssh/authorized_keys", state);
            Assert.Contains("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIModsBkeyOnexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx one@mods-b\nssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQModsBkeyTwo \n", state + "\n");
            Assert.DoesNotContain("stray", state);
            Assert.Contains("mods-b-1.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOgnMVqIoCxRNEYNZ3YAmd9k/6vW5hSRvXsV0wUEDa5D\nHASHED ssh-ed25519", state);
            Assert.Contains("mods-b-ak^Isoft^Inofile^I4096$\nmods-b-ak^Ihard^Inofile^I2048^I#mods-b$", state);
            Assert.Contains("mods-b-alt - manual mode", state);
            Assert.Contains("/bin/false - priority 10\n/bin/true - priority 20", state);
            Assert.Contains("/usr/bin/false\nhostname\t\t\t\t\thold\n* mods-b-pkg/q: hello", state);
            if (sequences.TryGetValue("ansible", out var a))
            {
                for (var i = 0; i < 3; i++) Assert.Equal(a[i], r[i]);
                Assert.Equal(states["ansible"], state);
            }
        }
        finally
        {
            foreach (var h in new[] { Host, runnerHost }.DistinctBy(h => h.Name))
            {
                await using var c = Connect(h);
                await c.ExecAsync($"userdel -r {User} 2>/dev/null; rm -f {KnownHosts} {KnownHosts}.old {Limits}; " +
                          $"update-alternatives --remove-all mods-b-alt 2>/dev/null; echo 'hostname install' | dpkg --set-selections; {PurgeDebconf}");
            }
        }
    }

    private static IEnumerable<string> Statuses(List<string> sequence) =>
        sequence.Where(l => l.StartsWith("  rdeb1: ") && !l.Contains("ok=")).Select(l => l["  rdeb1: ".Length..]);
}

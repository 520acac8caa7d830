using Runner.Cli;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Tests.Lab;

/// <summary>
/// Playbooks run by the engine over SSH against the lab's network-namespace hosts (tests/lab/up.sh):
/// changed then ok, --check changes nothing, become to another user, facts equal what the host says,
/// host-key checking (unknown key fails, accept-new passes), and an unreachable host that leaves the others
/// running with exit code 4. The namespace hosts share this machine's file system, so each host writes under
/// its own folder and the test reads the results directly.
/// </summary>
public sealed class PlaybookOverSshTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-lab-play-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<(int Rc, string Out)> Play(string inventory, string playbook, params string[] extra)
    {
        var inv = Path.Combine(_dir, "inventory.yml");
        var pb = Path.Combine(_dir, "site.yml");
        File.WriteAllText(inv, inventory);
        File.WriteAllText(pb, playbook);
        var output = new StringWriter();
        var args = new List<string> { "-i", inv, pb, "--stdout-callback", "transcript", "-f", "5" };
        args.AddRange(extra);
        var rc = await PlayCommand.RunAsync(args, output);
        return (rc, output.ToString());
    }

    private static string Owner(string path)
    {
        var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", new[] { "-c", "%U", path }) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return text;
    }

    private static string LabInventory() => File.ReadAllText(LabEnvironment.InventoryPath);

    private static string Hosts => string.Join(",", LabEnvironment.Hosts().Select(h => h.Name));

    [LabFact]
    public async Task Changed_then_ok_then_check_changes_nothing()
    {
        var target = Path.Combine(_dir, "out");
        var playbook = $$$"""
            - hosts: {{{Hosts}}}
              gather_facts: false
              tasks:
                - name: a folder per host
                  ansible.builtin.file:
                    path: "{{{target}}}/{{ inventory_hostname }}"
                    state: directory
                    mode: "0700"
                - name: a config
                  ansible.builtin.copy:
                    dest: "{{{target}}}/{{ inventory_hostname }}/app.conf"
                    content: "host={{ inventory_hostname }}\n"
                    mode: "0640"
                - name: a line
                  ansible.builtin.lineinfile:
                    path: "{{{target}}}/{{ inventory_hostname }}/extra.conf"
                    line: "port=8080"
                    create: true
            """;
        var n = LabEnvironment.Hosts().Count;
        var (rc1, out1) = await Play(LabInventory(), playbook);
        Assert.Equal(0, rc1);
        foreach (var (name, _) in LabEnvironment.Hosts())
        {
            Assert.Contains($"  {name}: ok=3 changed=3 unreachable=0 failed=0", out1);
            var file = Path.Combine(target, name, "app.conf");
            Assert.Equal($"host={name}\n", File.ReadAllText(file));
            Assert.Equal("port=8080\n", File.ReadAllText(Path.Combine(target, name, "extra.conf")));
            Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), File.GetUnixFileMode(file));
            Assert.Equal((UnixFileMode)Convert.ToInt32("700", 8), File.GetUnixFileMode(Path.Combine(target, name)));
        }
        var (rc2, out2) = await Play(LabInventory(), playbook);
        Assert.Equal(0, rc2);
        Assert.True(n == out2.Split('\n').Count(l => l.Contains("ok=3 changed=0 unreachable=0 failed=0")), out2);

        // drift on one host only: only that host changes
        var first = LabEnvironment.Hosts()[0].Name;
        File.WriteAllText(Path.Combine(target, first, "app.conf"), "host=tampered\n");
        var (rc3, out3) = await Play(LabInventory(), playbook);
        Assert.Equal(0, rc3);
        Assert.Contains($"  {first}: ok=3 changed=1 unreachable=0 failed=0", out3);
        Assert.Equal($"host={first}\n", File.ReadAllText(Path.Combine(target, first, "app.conf")));

        Directory.Delete(target, true);
        var (rc4, out4) = await Play(LabInventory(), playbook, "--check");
        Assert.Equal(0, rc4);
        Assert.Contains("changed=3", out4);
        Assert.False(Directory.Exists(target));
    }

    [LabFact]
    public async Task Become_another_user_runs_as_that_user_and_files_get_its_owner()
    {
        var (name, vars) = LabEnvironment.First;
        var user = vars.Get("lab_become_user")?.ToString() ?? "labuser";
        var target = Path.Combine(_dir, "become");
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(_dir, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(target, (UnixFileMode)Convert.ToInt32("777", 8));
        var playbook = $$$"""
            - hosts: {{{name}}}
              gather_facts: false
              tasks:
                - name: who am i
                  ansible.builtin.command: id -un
                  register: who
                  become: true
                  become_user: {{{user}}}
                - name: a file written as the user
                  ansible.builtin.copy:
                    dest: "{{{target}}}/owned"
                    content: "x\n"
                  become: true
                  become_user: {{{user}}}
                - name: as root again
                  ansible.builtin.command: id -un
                  register: root_who
                  become: true
                - ansible.builtin.assert:
                    that:
                      - who.stdout == '{{{user}}}'
                      - root_who.stdout == 'root'
            """;
        var (rc, output) = await Play(LabInventory(), playbook, "-e", $"ansible_become_password={vars.Get("lab_become_password")}");
        Assert.True(rc == 0, output);
        Assert.Equal(user, Owner(Path.Combine(target, "owned")));
        // sudo did not ask root for the password: it must not end up in the file either
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(target, "owned")));
    }

    [LabFact]
    public async Task Facts_match_what_the_host_says()
    {
        var (name, _) = LabEnvironment.First;
        var playbook = $$$"""
            - hosts: {{{name}}}
              gather_facts: true
              tasks:
                - ansible.builtin.command: hostname
                  register: h
                - ansible.builtin.command: uname -r
                  register: k
                - ansible.builtin.debug:
                    msg: "{{ ansible_hostname == h.stdout }} {{ ansible_kernel == k.stdout }} {{ ansible_facts.hostname }} {{ ansible_default_ipv4.address | default('none') }}"
            """;
        var (rc, output) = await Play(LabInventory(), playbook);
        Assert.True(rc == 0, output);
        Assert.Contains($"msg: \"True True {name} ", output);
    }

    [LabFact]
    public async Task Unknown_host_key_is_unreachable_until_accept_new()
    {
        var (name, vars) = LabEnvironment.First;
        var emptyKnownHosts = Path.Combine(_dir, "known_hosts");
        File.WriteAllText(emptyKnownHosts, "");
        string Inventory(string extraOptions) => $"""
            all:
              hosts:
                {name}:
                  ansible_host: {vars.Get("ansible_host")}
                  ansible_user: root
                  ansible_ssh_private_key_file: {vars.Get("ansible_ssh_private_key_file")}
                  ansible_ssh_common_args: "-o UserKnownHostsFile={emptyKnownHosts}{extraOptions}"
            """;
        const string playbook = "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n";
        var (rc1, out1) = await Play(Inventory(""), playbook);
        Assert.Equal(4, rc1);
        Assert.Contains($"{name}: unreachable", out1);
        Assert.Contains(emptyKnownHosts, out1);

        var (rc2, out2) = await Play(Inventory(" -o StrictHostKeyChecking=accept-new"), playbook);
        Assert.True(rc2 == 0, out2);
        Assert.Contains(vars.Get("ansible_host")!.ToString()!, File.ReadAllText(emptyKnownHosts));

        var (rc3, out3) = await Play(Inventory(""), playbook);
        Assert.True(rc3 == 0, out3);
    }

    [LabFact]
    public async Task A_host_without_sshd_is_unreachable_and_the_others_finish()
    {
        var inventory = (Dict)YamlLoader.Load(LabInventory(), "lab")!;
        var hosts = (Dict)((Dict)inventory["all"]!)["hosts"]!;
        var first = LabEnvironment.First;
        // nothing listens on port 2 of a lab address: the same as a stopped sshd
        hosts["down"] = new Dict { ["ansible_host"] = first.Vars.Get("ansible_host"), ["ansible_port"] = 2L, ["ansible_timeout"] = 3L };
        var target = Path.Combine(_dir, "marks");
        Directory.CreateDirectory(target);
        var playbook = $$$"""
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.file:
                    path: "{{{target}}}/{{ inventory_hostname }}"
                    state: touch
            """;
        var (rc, output) = await Play(PyStr.JsonDumps(inventory), playbook);
        Assert.Equal(4, rc);
        Assert.Contains("down: unreachable", output);
        Assert.Contains("down: ok=0 changed=0 unreachable=1 failed=0", output);
        foreach (var (name, _) in LabEnvironment.Hosts())
            Assert.True(File.Exists(Path.Combine(target, name)), $"{name} did not run: {output}");
    }
}

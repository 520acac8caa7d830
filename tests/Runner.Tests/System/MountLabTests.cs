using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// ansible.posix.mount against ansible-playbook 2.14: a tmpfs at /mnt/mount-ansible (mounted by ansible-playbook on the
/// booted host rdeb1) and at /mnt/mount-runner (by Runner on rdeb1, and on the bare host without python3, curl and
/// wget), through phases: mounted, mounted with other options,
/// absent; each phase runs with --check first (reported changed, nothing on the host changes), then twice (changed,
/// then ok). A last playbook goes through ephemeral, remounted, unmounted, an entry with a space and boot=no, swap
/// entries (mount point none, told apart by src) and a mount that fails (the old fstab put back, the folders made removed). The ok/changed sequences, the reported values
/// and errors, the fstab lines and findmnt's view of the mount points must be the same for both tools (the path's
/// tool name put aside). The fstab entries and mounts are removed at the end.
/// </summary>
[Collection("nspawn")]
public sealed class MountLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-mount-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Where each tool runs: ansible-playbook on rdeb1 (it needs python3), Runner on the theory's host.</summary>
    private readonly Dictionary<string, (string Name, Runner.Engine.Values.Dict Vars)> _hosts = new() { ["ansible"] = Host, ["runner"] = Host };

    private string Ssh(string tool, string command) => SeedLab.Ssh(_hosts[tool], command);

    private const string Mounted = """
        - hosts: HOST
          gather_facts: false
          tasks:
            - name: mount-lab mounted
              ansible.posix.mount: {path: /mnt/mount-TOOL, src: tmpfs, fstype: tmpfs, opts: "OPTS", state: mounted}
              register: m
            - name: mount-lab report
              ansible.builtin.debug: {msg: "REPORT {{ m.changed }} {{ m.name }} {{ m.src }} {{ m.fstype }} {{ m.opts }} {{ m.dump }} {{ m.passno }} {{ m.fstab }} {{ m.boot }} [{{ m.backup_file }}] {{ m.warnings | default('') }}"}
        """;

    private const string Absent = """
        - hosts: HOST
          gather_facts: false
          tasks:
            - name: mount-lab absent
              ansible.posix.mount: {path: /mnt/mount-TOOL, state: absent}
              register: m
            - name: mount-lab report
              ansible.builtin.debug: {msg: "REPORT {{ m.changed }} {{ m.name }} {{ m.opts }} {{ m.boot }} {{ m.src | default('no src') }}"}
        """;

    private const string Others = """
        - hosts: HOST
          gather_facts: false
          vars: {p: /mnt/mount-TOOL}
          tasks:
            - name: mount-lab ephemeral
              ansible.posix.mount: {path: "{{ p }}", src: tmpfs, fstype: tmpfs, opts: size=1m, state: ephemeral}
            - name: mount-lab ephemeral again remounts
              ansible.posix.mount: {path: "{{ p }}", src: tmpfs, fstype: tmpfs, opts: size=2m, state: ephemeral}
            - name: mount-lab ephemeral of another source
              ansible.posix.mount: {path: "{{ p }}", src: mount-other, fstype: tmpfs, state: ephemeral}
              ignore_errors: true
            - name: mount-lab remounted
              ansible.posix.mount: {path: "{{ p }}", state: remounted}
            - name: mount-lab unmounted
              ansible.posix.mount: {path: "{{ p }}", state: unmounted}
            - name: mount-lab unmounted again
              ansible.posix.mount: {path: "{{ p }}", state: unmounted}
            - name: mount-lab remounted with options when not mounted
              ansible.posix.mount: {path: "{{ p }}", state: remounted, opts: size=3m}
              ignore_errors: true
            - name: mount-lab present with a space and boot no
              ansible.posix.mount: {path: "{{ p }} x", src: tmpfs, fstype: tmpfs, opts: size=1m, state: present, boot: false}
              register: sp
            - name: mount-lab report
              ansible.builtin.debug: {msg: "REPORT {{ sp.changed }} {{ sp.opts }} {{ sp.boot }}"}
            - name: mount-lab present with defaults and boot no warns
              ansible.posix.mount: {path: "{{ p }} y", src: tmpfs, fstype: tmpfs, state: present, boot: false}
            - name: mount-lab failing mount
              ansible.posix.mount: {path: "{{ p }}/a/b", src: /dev/mount-nonexist, fstype: ext4, state: mounted}
              ignore_errors: true
            - name: mount-lab dump fstab
              ansible.builtin.command: grep -c mount-TOOL /etc/fstab
              changed_when: false
            - name: mount-lab absent_from_fstab
              ansible.posix.mount: {path: "{{ p }} x", state: absent_from_fstab}
            - name: mount-lab absent_from_fstab again
              ansible.posix.mount: {path: "{{ p }} x", state: absent_from_fstab}
            - name: mount-lab swap entry, as swap roles write it
              ansible.posix.mount: {name: none, src: "{{ p }}-swap", fstype: swap, opts: sw, state: present}
            - name: mount-lab swap entry again
              ansible.posix.mount: {name: none, src: "{{ p }}-swap", fstype: swap, opts: sw, state: present}
            - name: mount-lab another swap entry
              ansible.posix.mount: {name: none, src: "{{ p }}-swap2", fstype: swap, opts: sw, state: present}
            - name: mount-lab swap entry absent
              ansible.posix.mount: {name: none, src: "{{ p }}-swap", fstype: swap, state: absent}
        """;

    /// <summary>The fstab lines, mounts and folders of <paramref name="tool"/>'s mount point, its name put aside; and fstab's mode and owner.</summary>
    private string State(string tool) => Ssh(tool,
        $"grep mount-{tool} /etc/fstab; findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS | grep mount-{tool}; ls -d /mnt/mount-{tool}* 2>/dev/null; " +
        "stat -c '%a %U' /etc/fstab; :").Replace("mount-" + tool, "mount-TOOL");

    /// <summary>Removes both tools' fstab entries and mounts on both tools' hosts.</summary>
    private void Reset()
    {
        foreach (var tool in _hosts.DistinctBy(h => h.Value.Name).Select(h => h.Key)) Ssh(tool,
        "for m in $(findmnt -rn -o TARGET | grep '^/mnt/mount-' | sort -r); do umount \"$m\"; done; " +
        "sed -i '/\\/mnt\\/mount-\\(ansible\\|runner\\)/d' /etc/fstab; rm -rf /mnt/mount-ansible* /mnt/mount-runner*; :");
    }

    /// <summary>The transcript's reported values and errors: debug msg, error and warning lines, the tool's name put aside.</summary>
    private static List<string> Details(string transcript, string tool) => transcript.Split('\n')
        .Where(l => l.StartsWith("    msg: ") || l.StartsWith("    error: ") || l.StartsWith("    warning: "))
        .Select(l => l.TrimEnd().Replace("mount-" + tool, "mount-TOOL")).ToList();

    /// <summary>
    /// Runs <paramref name="playbook"/> for each tool: with --check (the host's state must not change), then twice
    /// (plain runs, <paramref name="runs"/> of them); compares both tools' sequences, details and states.
    /// </summary>
    private void Phase(string playbook, bool check = true, int runs = 2)
    {
        var results = new Dictionary<string, (List<(int Rc, string Out)> Plays, string Before, string After)>();
        foreach (var tool in new[] { "ansible", "runner" })
        {
            var pb = Path.Combine(_dir, $"play-{tool}.yml");
            var host = _hosts[tool].Name;
            File.WriteAllText(pb, playbook.Replace("HOST", host).Replace("TOOL", tool));
            Func<string[], (int, string)> play = tool == "ansible"
                ? a => SeedLab.Ansible(_dir, a)
                : a => PlaybookParity.As(SeedLab.Runner(_dir, a), host, _hosts["ansible"].Name);
            var plays = new List<(int Rc, string Out)>();
            var before = State(tool);
            if (check)
            {
                plays.Add(play(PlaybookParity.Args(host, pb, "--check")));
                Assert.Equal(before, State(tool));
            }
            for (var i = 0; i < runs; i++) plays.Add(play(PlaybookParity.Args(host, pb)));
            results[tool] = (plays, before, State(tool));
        }
        var (ansible, runner) = (results["ansible"], results["runner"]);
        for (var i = 0; i < ansible.Plays.Count; i++)
        {
            Assert.True(ansible.Plays[i].Rc == 0, ansible.Plays[i].Out);
            Assert.True(runner.Plays[i].Rc == 0, runner.Plays[i].Out);
            Assert.Equal(SeedLab.Sequence(ansible.Plays[i].Out), SeedLab.Sequence(runner.Plays[i].Out));
            Assert.Equal(string.Join("\n", Details(ansible.Plays[i].Out, "ansible")), string.Join("\n", Details(runner.Plays[i].Out, "runner")));
        }
        Assert.Equal(ansible.Before, runner.Before);
        Assert.Equal(ansible.After, runner.After);
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Mount_edits_fstab_and_mounts_as_ansible_does(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        _hosts["runner"] = Target(kind);
        Reset();
        try
        {
            Phase(Mounted.Replace("OPTS", "size=1m,mode=0755"));
            Assert.Contains("/mnt/mount-TOOL tmpfs tmpfs rw,relatime,size=1024k,mode=755", State("runner"));
            Assert.Contains("tmpfs /mnt/mount-TOOL tmpfs size=1m,mode=0755 0 0", State("runner"));
            Phase(Mounted.Replace("OPTS", "size=2m,mode=0755"));
            Assert.Contains("/mnt/mount-TOOL tmpfs tmpfs rw,relatime,size=2048k,mode=755", State("runner"));
            Phase(Absent);
            Assert.Equal("644 root", State("runner"));
            Phase(Others, runs: 1);
        }
        finally { Reset(); }
        Assert.Equal("644 root", State("runner"));
    }
}

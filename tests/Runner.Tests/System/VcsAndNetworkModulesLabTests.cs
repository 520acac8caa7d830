using System.Text.RegularExpressions;
using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The programs the git, ufw, iptables and synchronize lab tests need on rdeb1 (git, rsync, iptables, ufw from the
/// lab's apt repository: tests/lab/nspawn/apt-repo.sh lists them), installed with apt on first use; the packages this
/// fixture installed are purged again when the test class is done, so rdeb1 is left as it was found.
/// </summary>
public sealed class LabPrograms : IDisposable
{
    private readonly object _gate = new();
    private readonly List<((string Name, Runner.Engine.Values.Dict Vars) Host, string Package)> _installed = new();

    private const string Apt = "DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300";

    /// <summary>Installs the Debian packages among <paramref name="packages"/> that rdeb1 lacks; fails with apt's output when it cannot.</summary>
    public void Need(params string[] packages) => Need(Host, packages);

    /// <summary>Installs the Debian packages among <paramref name="packages"/> that <paramref name="host"/> lacks.</summary>
    public void Need((string Name, Runner.Engine.Values.Dict Vars) host, params string[] packages)
    {
        string Ssh(string command) => SeedLab.Ssh(host, command);
        lock (_gate)
        {
            const string list = "dpkg-query -W -f '${db:Status-Abbrev} ${Package}\\n' | awk '$1 == \"ii\" {print $2}' | sort";
            var before = Ssh(list).Split('\n').ToHashSet();
            var missing = packages.Where(p => !before.Contains(p)).ToList();
            if (missing.Count == 0) return;
            var output = Ssh($"{{ apt-get -q -o DPkg::Lock::Timeout=300 update && {Apt} install --no-install-recommends {string.Join(' ', missing)}; }} 2>&1 | tail -5");
            var after = Ssh(list).Split('\n');
            _installed.AddRange(after.Where(p => !before.Contains(p)).Select(p => (host, p)));
            Assert.True(missing.All(after.Contains),
                $"{host.Name} could not install {string.Join(' ', missing)} from the lab's apt repository (run tests/lab/nspawn/apt-repo.sh): {output}");
        }
    }

    /// <summary>Purges what <see cref="Need"/> installed.</summary>
    public void Dispose()
    {
        if (!IsUp) return;
        foreach (var g in _installed.GroupBy(i => i.Host.Name))
            SeedLab.Ssh(g.First().Host, $"{Apt} purge {string.Join(' ', g.Select(i => i.Package))} >/dev/null 2>&1; true");
    }
}

/// <summary>
/// git (ansible.builtin), ufw (community.general), iptables (ansible.builtin) and synchronize (ansible.posix), each in
/// one playbook run by ansible-playbook on the booted host rdeb1 and by Runner from the same clean state (git and
/// iptables also on the bare host without python3, curl and wget; ufw is a Python program, and synchronize's reports
/// name the host's address): the same
/// ok/changed sequence on two runs, the same reported values and --diff output, the same end state read over ssh; then
/// --check reports the same with both tools and changes nothing. The expected values are ansible-playbook's own,
/// taken live in the test.
/// </summary>
[Collection("nspawn")]
public sealed class VcsAndNetworkModulesLabTests : IClassFixture<LabPrograms>, IDisposable
{
    private const string Lab = "/tmp/mods-f-lab";
    private const string Src = "/tmp/mods-f-src";

    private readonly LabPrograms _programs;
    private readonly string _dir = Directory.CreateTempSubdirectory("mods-f-").FullName;

    public VcsAndNetworkModulesLabTests(LabPrograms programs) => _programs = programs;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Where Runner runs (a theory's host kind; rdeb1 for the python-only tools ufw and synchronize).</summary>
    private (string Name, Runner.Engine.Values.Dict Vars) _target = Host;

    /// <summary>The host <see cref="Ssh"/> reaches: the tool's host while <see cref="Compare"/> runs that tool.</summary>
    private (string Name, Runner.Engine.Values.Dict Vars) _on = Host;

    private string Ssh(string command) => SeedLab.Ssh(_on, command);

    /// <summary>Runs <paramref name="action"/> with <see cref="Ssh"/> on each of the tools' hosts (once when they are one).</summary>
    private void OnBoth(Action action)
    {
        foreach (var h in new[] { Host, _target }.DistinctBy(h => h.Name)) { _on = h; action(); }
        _on = Host;
    }

    private static List<string> Reports(string transcript) =>
        Regex.Matches(transcript, "REPORT [^\\n]*").Select(m => m.Value).ToList();

    /// <summary>The --diff lines of a transcript ("    | ...").</summary>
    private static List<string> Diffs(string transcript) =>
        transcript.Split('\n').Where(l => l.StartsWith("    | ", StringComparison.Ordinal)).ToList();

    private string Play(string name, string playbook)
    {
        var pb = Path.Combine(_dir, name);
        File.WriteAllText(pb, playbook.Replace("HOST", "all"));
        return pb;
    }

    /// <summary>
    /// Runs <paramref name="pb"/> twice with each tool (with --diff) from <paramref name="reset"/>'s clean state and once
    /// more with --check (after <paramref name="beforeCheck"/>, undone by <paramref name="afterCheck"/>); asserts the same
    /// sequences, reports, diffs and end state (<paramref name="state"/>), and that --check changed nothing. Returns
    /// Runner's transcripts (first, second, check) and the end state.
    /// </summary>
    private (string[] Runner, string State) Compare(string pb, string[] vars, Action reset, Func<string> state, string[] checkArgs,
        Action? beforeCheck = null, Action? afterCheck = null)
    {
        (int Rc, string Out) Ansible(params string[] extra) => SeedLab.Ansible(_dir, PlaybookParity.Args(Host.Name, pb, vars.Concat(extra).ToArray()));
        (int Rc, string Out) Runner(params string[] extra) =>
            PlaybookParity.As(SeedLab.Runner(_dir, PlaybookParity.Args(_target.Name, pb, vars.Concat(extra).ToArray())), _target.Name, Host.Name);
        _on = Host;
        reset();
        var ansible = new[] { Ansible("--diff"), Ansible("--diff") };
        var ansibleState = state();
        beforeCheck?.Invoke();
        var ansibleCheck = Ansible(checkArgs.Prepend("--check").ToArray());
        afterCheck?.Invoke();
        Assert.Equal(ansibleState, state());
        _on = _target;
        reset();
        var runner = new[] { Runner("--diff"), Runner("--diff") };
        foreach (var (rc, output) in ansible.Concat(runner).Append(ansibleCheck)) Assert.True(rc == 0, output);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(SeedLab.Sequence(ansible[i].Out), SeedLab.Sequence(runner[i].Out));
            Assert.Equal(Reports(ansible[i].Out), Reports(runner[i].Out));
            Assert.Equal(Diffs(ansible[i].Out), Diffs(runner[i].Out));
        }
        Assert.Single(Reports(runner[0].Out));
        var end = state();
        Assert.Equal(ansibleState, end);
        beforeCheck?.Invoke();
        var check = Runner(checkArgs.Prepend("--check").ToArray());
        afterCheck?.Invoke();
        Assert.True(check.Rc == 0, check.Out);
        Assert.Equal(SeedLab.Sequence(ansibleCheck.Out), SeedLab.Sequence(check.Out));
        Assert.Equal(Reports(ansibleCheck.Out), Reports(check.Out));
        Assert.Equal(end, state());
        _on = Host;
        return (new[] { runner[0].Out, runner[1].Out, check.Out }, end);
    }

    private const string GitPlaybook = """
        - hosts: HOST
          gather_facts: false
          vars:
            d: /tmp/mods-f-lab
            src: /tmp/mods-f-src
            ver: main
          tasks:
            - name: mods-f clone HEAD
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/head"}
              register: g1
            - name: mods-f clone an annotated tag, shallow
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/tag", version: v1a, depth: 1}
              register: g2
            - name: mods-f clone a branch, single branch, umask, another remote
              ansible.builtin.git: {repo: "file://{{ src }}", dest: "{{ d }}/branch", version: dev, single_branch: true, umask: "0077", remote: upstream}
              register: g3
            - name: mods-f clone bare
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/bare.git", bare: true, remote: up}
              register: g4
            - name: mods-f clone a sha with a refspec and ssh options
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/sha", version: "{{ sha1 }}", refspec: "+refs/heads/dev:refs/remotes/origin/dev", accept_hostkey: true, key_file: /nonexistent/key}
              register: g5
            - name: mods-f clone at v1, never updated
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/upd", version: v1, update: false}
              register: g6
            - name: mods-f update to a branch
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/upd", version: "{{ ver }}"}
              register: g7
            - name: mods-f another url
              ansible.builtin.git: {repo: "{{ src }}/.git", dest: "{{ d }}/upd", version: "{{ ver }}"}
              register: g8
            - name: mods-f dirty a tracked file
              ansible.builtin.copy: {dest: "{{ d }}/head/a.txt", content: "dirty\n"}
            - name: mods-f update refuses local modifications
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/head"}
              register: g9
              ignore_errors: true
            - name: mods-f force resets them
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/head", force: true}
              register: g10
            - name: mods-f clone no
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/none", clone: false, version: v1}
              register: g11
            - name: mods-f a version that is not there
              ansible.builtin.git: {repo: "{{ src }}", dest: "{{ d }}/head", version: nosuch}
              register: g12
              ignore_errors: true
            - name: mods-f report
              ansible.builtin.debug:
                msg: "REPORT {{ [g1, g2, g3, g4, g5, g6, g7, g8, g9, g10, g11, g12] | map('dict2items') | map('rejectattr', 'key', 'in', ['diff', 'invocation', 'ansible_facts', 'stdout_lines', 'stderr_lines']) | map('items2dict') | list | to_json(sort_keys=true) }}"
        """;

    /// <summary>Every lab repository: HEAD, status, refs, remotes and branches config, shallowness, files with modes.</summary>
    private string GitState() => Ssh($$"""
        cd {{Lab}} 2>/dev/null || { echo none; exit 0; }
        for r in */; do r=${r%/}; echo "== $r"; cd $r; git rev-parse HEAD 2>&1; git status --porcelain 2>&1
          git for-each-ref --format='%(refname) %(objectname)' 2>&1; git config --get-regexp 'remote|branch' 2>&1
          [ -f .git/shallow ] && echo shallow; [ -f shallow ] && echo shallow
          find . -path ./.git -prune -o -path ./objects -prune -o -path ./logs -prune -o -type f -printf '%m %p\n' | sort; cd ..; done
        """);

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Git_clones_updates_and_checks_as_ansible_playbook_does(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        _target = Target(kind);
        _programs.Need("git");
        _programs.Need(_target, "git");
        // two commits with fixed dates (the same shas every run, on both hosts), tags v1 and annotated v1a, branch dev at
        // the first commit and next one commit ahead of main (main is moved there for the check run: the remote has news)
        OnBoth(() => Ssh($$"""
            set -e; rm -rf {{Src}}; git init -q -b main {{Src}}; cd {{Src}}
            export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@x GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@x GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' GIT_COMMITTER_DATE='2020-01-01T00:00:00Z'
            echo one > a.txt; git add a.txt; git commit -qm one; git tag v1; git tag -a v1a -m annotated
            echo two >> a.txt; echo b > b.txt; git add .; git commit -qm two; git branch dev HEAD~1
            git checkout -q -b next; echo three >> a.txt; git commit -qam three; git checkout -q main
            """));
        var sha1 = Ssh($"git -C {Src} rev-parse dev");
        var pb = Play("git.yml", GitPlaybook);
        void Move(string to) => Ssh($"git -C {Src} update-ref refs/heads/main {to}");
        var two = Ssh($"git -C {Src} rev-parse main");
        try
        {
            var (runner, state) = Compare(pb, new[] { "-e", $"sha1={sha1}" }, () => Ssh($"rm -rf {Lab}"), GitState,
                new[] { "-e", "ver=dev" }, () => Move("next"), () => Move(two));
            Assert.Contains("changed=", runner[0]);
            Assert.Contains("== upd\n" + two, state);
            Assert.Contains("file:///tmp/mods-f-src/.git", state);
            Assert.Contains("600 ./a.txt", state.Split("== branch")[1]); // umask 0077
            Assert.Contains("shallow", state.Split("== tag")[1].Split("== ")[0]);
            Assert.Contains(">> Newly checked out", string.Join("\n", Diffs(runner[0])));
        }
        finally
        {
            OnBoth(() =>
            {
                Ssh($"rm -rf {Lab} {Src}");
                Assert.Equal("gone", Ssh($"[ -e {Lab} ] || [ -e {Src} ] || echo gone"));
            });
        }
    }

    private const string IptablesPlaybook = """
        - hosts: HOST
          gather_facts: false
          vars:
            dport: "8022"
          tasks:
            - name: mods-f rule in a new chain
              ansible.builtin.iptables: {chain: mods-f-in, protocol: tcp, destination_port: "{{ dport }}", ctstate: [NEW, ESTABLISHED], jump: ACCEPT, comment: "mods-f ssh", chain_management: true}
              register: i1
            - name: mods-f insert at the top
              ansible.builtin.iptables: {chain: mods-f-in, source: 10.9.9.0/24, jump: DROP, action: insert, rule_num: 1}
              register: i2
            - name: mods-f multiport reject
              ansible.builtin.iptables: {chain: mods-f-in, protocol: tcp, destination_ports: ["8023", "8024:8026"], reject_with: tcp-reset, match: [tcp]}
              register: i3
            - name: mods-f log
              ansible.builtin.iptables: {chain: mods-f-in, log_prefix: "mods-f ", log_level: info, in_interface: lo}
              register: i4
            - name: mods-f negated source
              ansible.builtin.iptables: {chain: mods-f-in, source: "!10.8.0.0/16", jump: RETURN}
              register: i5
            - name: mods-f absent rule
              ansible.builtin.iptables: {chain: mods-f-in, source: 10.7.7.7, jump: DROP, state: absent}
              register: i6
            - name: mods-f add then remove
              ansible.builtin.iptables: {chain: mods-f-in, destination: 10.6.6.6, jump: DROP}
            - name: mods-f remove
              ansible.builtin.iptables: {chain: mods-f-in, destination: 10.6.6.6, jump: DROP, state: absent}
              register: i7
            - name: mods-f policy
              ansible.builtin.iptables: {chain: FORWARD, policy: DROP}
              register: i8
            - name: mods-f temporary chain
              ansible.builtin.iptables: {chain: mods-f-tmp, table: mangle, jump: RETURN, chain_management: true}
            - name: mods-f flush it
              ansible.builtin.iptables: {chain: mods-f-tmp, table: mangle, flush: true}
              register: i9
            - name: mods-f delete it
              ansible.builtin.iptables: {chain: mods-f-tmp, table: mangle, state: absent, chain_management: true}
              register: i10
            - name: mods-f a chain that is not there
              ansible.builtin.iptables: {chain: mods-f-gone, state: absent}
              register: i11
            - name: mods-f ipv6
              ansible.builtin.iptables: {chain: mods-f-in6, ip_version: ipv6, protocol: ipv6-icmp, icmp_type: echo-request, jump: ACCEPT, chain_management: true, syn: ignore}
              register: i12
            - name: mods-f unknown target
              ansible.builtin.iptables: {chain: mods-f-in, jump: NOSUCHTARGET}
              register: i13
              ignore_errors: true
            - name: mods-f policy of a user chain
              ansible.builtin.iptables: {chain: mods-f-in, policy: ACCEPT}
              register: i14
              ignore_errors: true
            - name: mods-f logging with another jump
              ansible.builtin.iptables: {chain: mods-f-in, log_prefix: x, jump: DROP}
              register: i15
              ignore_errors: true
            - name: mods-f report
              ansible.builtin.debug:
                msg: "REPORT {{ [i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15] | map('dict2items') | map('rejectattr', 'key', 'in', ['invocation', 'ansible_facts', 'stdout_lines', 'stderr_lines']) | map('items2dict') | list | to_json(sort_keys=true) }}"
        """;

    /// <summary>Removes the lab's chains (filter and mangle, IPv4 and IPv6) and gives FORWARD back its ACCEPT policy.</summary>
    private const string IptablesClean =
        "for t in filter mangle; do for c in mods-f-in mods-f-tmp; do iptables -t $t -F $c 2>/dev/null; iptables -t $t -X $c 2>/dev/null; done; done; " +
        "ip6tables -F mods-f-in6 2>/dev/null; ip6tables -X mods-f-in6 2>/dev/null; iptables -P FORWARD ACCEPT; true";

    /// <summary>The lab's chains and the FORWARD policy as `iptables -S` prints them.</summary>
    private string IptablesState() =>
        Ssh("iptables -S | grep -E 'mods-f|^-P FORWARD'; iptables -t mangle -S | grep mods-f; ip6tables -S | grep mods-f; true");

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Iptables_rules_chains_and_policies_as_ansible_playbook_does(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        _target = Target(kind);
        _programs.Need("iptables");
        _programs.Need(_target, "iptables");
        var forward = "-P FORWARD ACCEPT";
        OnBoth(() => Assert.Equal(forward, Ssh("iptables -S FORWARD | head -n1"))); // the cleanup gives this back
        var pb = Play("iptables.yml", IptablesPlaybook);
        try
        {
            var (runner, state) = Compare(pb, Array.Empty<string>(), () => Ssh(IptablesClean), IptablesState, new[] { "-e", "dport=9000" });
            Assert.Contains("-A mods-f-in -p tcp -m tcp --dport 8022 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment \"mods-f ssh\" -j ACCEPT", state);
            Assert.Contains("-A mods-f-in ! -s 10.8.0.0/16 -j RETURN", state);
            Assert.Contains("-P FORWARD DROP", state);
            Assert.DoesNotContain("10.6.6.6", state);
            Assert.DoesNotContain("mods-f-tmp", state);
            Assert.Contains("Chain 'NOSUCHTARGET' does not exist", runner[0]);
        }
        finally
        {
            OnBoth(() =>
            {
                Ssh(IptablesClean);
                Assert.Equal(forward, Ssh("iptables -S FORWARD | head -n1"));
                Assert.Equal("", IptablesState().Replace("-P FORWARD ACCEPT", "").Trim());
            });
        }
    }

    private const string UfwPlaybook = """
        - hosts: HOST
          gather_facts: false
          vars:
            web_port: "8080"
          tasks:
            - name: ufwsync incoming allowed by default
              community.general.ufw: {default: allow, direction: incoming}
              register: u1
            - name: ufwsync ssh
              community.general.ufw: {rule: allow, port: "22", proto: tcp}
              register: u2
            - name: ufwsync enabled
              community.general.ufw: {state: enabled}
              register: u3
            - name: ufwsync ipv4 source with a comment
              community.general.ufw: {rule: allow, from_ip: 10.250.0.0/24, to_port: "{{ web_port }}", proto: tcp, comment: "ufwsync web"}
              register: u4
            - name: ufwsync deny in on lo
              community.general.ufw: {rule: deny, direction: in, interface: lo, port: "5353", proto: udp}
              register: u5
            - name: ufwsync limit inserted first
              community.general.ufw: {rule: limit, port: "2222", proto: tcp, insert: 1}
              register: u6
            - name: ufwsync reject out with log
              community.general.ufw: {rule: reject, direction: out, to_ip: 10.9.9.9, log: true}
              register: u7
            - name: ufwsync route between interfaces
              community.general.ufw: {rule: allow, route: true, interface_in: lo, interface_out: host0}
              register: u8
            - name: ufwsync ipv6 source
              community.general.ufw: {rule: allow, from: "2001:db8::/32", port: "9090", proto: tcp}
              register: u9
            - name: ufwsync application profile
              community.general.ufw: {rule: allow, name: OpenSSH}
              register: u10
            - name: ufwsync a rule to delete
              community.general.ufw: {rule: allow, port: "7777"}
            - name: ufwsync delete it
              community.general.ufw: {rule: allow, port: "7777", delete: true}
              register: u11
            - name: ufwsync logging medium
              community.general.ufw: {logging: medium}
              register: u12
            - name: ufwsync routed policy
              community.general.ufw: {default: reject, direction: routed}
              register: u13
            - name: ufwsync reloaded
              community.general.ufw: {state: reloaded}
              register: u14
            - name: ufwsync a bad direction
              community.general.ufw: {rule: allow, port: "1", direction: incoming}
              register: u15
              ignore_errors: true
            - name: ufwsync a bad port
              community.general.ufw: {rule: allow, port: "notaport"}
              register: u16
              ignore_errors: true
            - name: ufwsync insert relative to the last ipv6 rule
              community.general.ufw: {rule: deny, port: "6666", proto: tcp, from_ip: "::/0", insert: 0, insert_relative_to: last-ipv6}
              register: u17
            - name: ufwsync report
              ansible.builtin.debug:
                msg: "REPORT {{ [u1, u2, u3, u4, u5, u6, u7, u8, u9, u10, u11, u12, u13, u14, u15, u16, u17] | map('dict2items') | map('rejectattr', 'key', 'in', ['invocation', 'ansible_facts', 'stdout_lines', 'stderr_lines']) | map('items2dict') | list | to_json(sort_keys=true) }}"
        """;

    /// <summary>ufw as installed: reset (inactive, the package's rules files, the backups removed), incoming denied, logging low.</summary>
    private const string UfwReset =
        "ufw --force reset >/dev/null; ufw default deny incoming >/dev/null; ufw default allow outgoing >/dev/null; " +
        "ufw default deny routed >/dev/null; ufw logging low >/dev/null; rm -f /etc/ufw/*.rules.[0-9]*; true";

    /// <summary>ufw's status, its user rules, its configuration and the netfilter chain of the user's rules.</summary>
    private string UfwState() => Ssh(
        "ufw status verbose; grep -h '^### tuple' /etc/ufw/user.rules /etc/ufw/user6.rules; " +
        "grep -hE '^(DEFAULT_|ENABLED|LOGLEVEL)' /etc/default/ufw /etc/ufw/ufw.conf; iptables -S ufw-user-input 2>&1; true");

    /// <summary>
    /// ufw in the container's own network namespace (nspawn with a veth, CAP_NET_ADMIN): the playbook allows incoming
    /// traffic by default and ssh before it enables the firewall, so the other suites' connections to rdeb1 keep working.
    /// </summary>
    [NspawnFact]
    public void Ufw_policies_rules_and_states_as_ansible_playbook_does()
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        _programs.Need("ufw");
        var pb = Play("ufw.yml", UfwPlaybook);
        try
        {
            var (runner, state) = Compare(pb, Array.Empty<string>(), () => Ssh(UfwReset), UfwState, new[] { "-e", "web_port=8081" });
            Assert.Contains("Status: active", state);
            Assert.Contains("### tuple ### allow tcp 8080 0.0.0.0/0 any 10.250.0.0/24 in comment=", state);
            Assert.Contains("-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT", state);
            Assert.Contains("LOGLEVEL=medium", state);
            Assert.DoesNotContain("7777", state);
            Assert.Contains("ERROR: Bad port 'notaport'", runner[0]);
        }
        finally
        {
            Ssh(UfwReset);
            Assert.Contains("Status: inactive", UfwState());
        }
    }

    private const string SyncPlaybook = """
        - hosts: HOST
          gather_facts: false
          vars:
            d: /tmp/ufwsync-lab
            src: /tmp/ufwsync-src
            first: a
          tasks:
            - name: ufwsync the destination folder
              ansible.builtin.file: {path: "{{ d }}", state: directory}
            - name: ufwsync push a tree
              ansible.posix.synchronize: {src: "{{ src }}/", dest: "{{ d }}/{{ first }}"}
              register: s1
            - name: ufwsync a folder for the extra file
              ansible.builtin.file: {path: "{{ d }}/b", state: directory}
            - name: ufwsync plant an extra file
              ansible.builtin.copy: {dest: "{{ d }}/b/extra.txt", content: "extra\n"}
            - name: ufwsync push with delete and checksum, no compression
              ansible.posix.synchronize: {src: "{{ src }}/", dest: "{{ d }}/b", delete: true, checksum: true, compress: false}
              register: s2
            - name: ufwsync parts without archive
              ansible.posix.synchronize: {src: "{{ src }}/", dest: "{{ d }}/c", archive: false, recursive: true, times: true}
              register: s3
            - name: ufwsync archive without perms, owner and group, copying links
              ansible.posix.synchronize: {src: "{{ src }}/", dest: "{{ d }}/e", perms: false, owner: false, group: false, copy_links: true}
              register: s4
            - name: ufwsync existing only
              ansible.posix.synchronize: {src: "{{ src }}/", dest: "{{ d }}/a", existing_only: true, rsync_timeout: 30}
              register: s5
            - name: ufwsync pull
              ansible.posix.synchronize: {mode: pull, src: /etc/hostname, dest: /tmp/ufwsync-pull/}
              register: s6
            - name: ufwsync options and rsync path
              ansible.posix.synchronize: {src: "{{ src }}/", dest: "{{ d }}/f", rsync_opts: ["--exclude=*.log", "--no-motd"], rsync_path: /usr/bin/rsync, partial: true, delay_updates: false}
              register: s7
            - name: ufwsync a source that is not there
              ansible.posix.synchronize: {src: /tmp/ufwsync-nosuch/, dest: "{{ d }}/g"}
              register: s8
              ignore_errors: true
            - name: ufwsync host key options
              ansible.builtin.debug:
                msg: "KEYCHECK {{ s1.cmd | regex_search('-o StrictHostKeyChecking=[^ ]+ -o UserKnownHostsFile=[^ \\x27]+') }}"
            - name: ufwsync report
              ansible.builtin.debug:
                msg: "REPORT {{ [s1, s2, s3, s4, s5, s6, s7, {'rc': s8.rc, 'failed': s8.failed, 'changed': s8.changed}] | map('dict2items') | map('rejectattr', 'key', 'in', ['invocation', 'ansible_facts', 'diff']) | map('items2dict') | list | to_json(sort_keys=true) | regex_replace(' -o StrictHostKeyChecking=[^ ]+ -o UserKnownHostsFile=[^ \\x27]+', '') }}"
        """;

    private const string SyncLab = "/tmp/ufwsync-lab";
    private const string SyncSrc = "/tmp/ufwsync-src";
    private const string SyncPull = "/tmp/ufwsync-pull";

    /// <summary>The target's folder removed; the controller's source tree (files, a folder, a link, fixed times) and pull folder made anew.</summary>
    private void SyncReset()
    {
        Ssh($"rm -rf {SyncLab}");
        Local($"rm -rf {SyncSrc} {SyncPull}; mkdir -p {SyncSrc}/sub {SyncPull}; cd {SyncSrc}; echo one > a.txt; echo two > sub/b.txt; echo log > x.log; " +
              "ln -s a.txt link; touch -h -d 2020-01-01T00:00:00 a.txt sub/b.txt x.log link sub .");
    }

    /// <summary>What the target's folder and the controller's pull folder hold: files with mode, owner, size, day and content hash; folders and links.</summary>
    private string SyncState()
    {
        const string list = "find . -type f -printf '%M %u %g %s %TY-%Tm-%Td %p\\n' -exec md5sum {} \\; ; find . ! -type f -printf '%M %p %l\\n'";
        return Ssh($"cd {SyncLab} 2>/dev/null && {{ {list}; }} | sort") + "\n== pull\n" + Local($"cd {SyncPull} && {{ {list}; }} | sort");
    }

    /// <summary>Runs <paramref name="script"/> with sh on the controller; returns its stdout, trimmed.</summary>
    private static string Local(string script)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return o.Trim();
    }

    /// <summary>
    /// synchronize pushes from the controller's rsync to rdeb1's (and pulls one file back) over the host's ssh settings.
    /// The reports are compared with the host key options taken out of cmd: Ansible turns checking off
    /// (StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null), Runner checks against the lab's known_hosts. The failing
    /// task's msg differs for the same reason (ssh's "Permanently added" warning comes first in Ansible's stderr), so its
    /// report keeps rc, failed and changed.
    /// </summary>
    [NspawnFact]
    public void Synchronize_pushes_and_pulls_as_ansible_playbook_does()
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        Assert.True(File.Exists("/usr/bin/rsync"), "the controller has no rsync (apt-get install rsync; tests/run-all.sh installs it)");
        _programs.Need("rsync");
        var pb = Play("sync.yml", SyncPlaybook);
        try
        {
            var (runner, state) = Compare(pb, Array.Empty<string>(), SyncReset, SyncState, new[] { "-e", "first=z" });
            Assert.Contains(" ./a/sub/b.txt", state);
            Assert.DoesNotContain("extra.txt", state);
            Assert.DoesNotContain("./f/x.log", state);
            Assert.Contains("lrwxrwxrwx ./a/link a.txt", state);
            Assert.Contains(" ./hostname", state.Split("== pull")[1]);
            Assert.Contains($"KEYCHECK -o StrictHostKeyChecking=yes -o UserKnownHostsFile={Host.Vars.Get("lab_known_hosts")}", runner[0]);
            Assert.Contains("change_dir \"/tmp/ufwsync-nosuch\" failed", runner[0]);
            Assert.Equal("none", Ssh($"[ -e {SyncLab}/z ] && echo z || echo none"));
        }
        finally
        {
            Ssh($"rm -rf {SyncLab}");
            Local($"rm -rf {SyncSrc} {SyncPull}");
        }
    }
}

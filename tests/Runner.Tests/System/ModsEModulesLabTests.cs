using System.Text.Json;
using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// package_facts, apt_repository, apt_key, locale_gen, modprobe and mount (modules/Runner.Modules/System) on the booted
/// host rdeb1 against ansible-playbook 2.14, one playbook per module (every name on the host prefixed mods-e): from the
/// same reset state each tool runs it twice (changed, then ok) and once with --check and other inputs (nothing on the
/// host changes); the ok/changed sequences, the reported values and errors (debug msg, error and warning lines of the
/// transcripts) and the host's end state must be the same. Expected values are ansible-playbook's, taken live.
/// What rdeb1 lacks (gpg, kmod, locales) makes Ansible fail there: those playbooks compare the failures. The
/// locale_gen and modprobe playbooks also run with Runner on the bare host (no python3, curl, wget; no kmod or locales
/// either) against ansible-playbook's run on rdeb1.
/// </summary>
[Collection("nspawn")]
public sealed class ModsEModulesLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-mods-e-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The host <see cref="Ssh"/> reaches: rdeb1 for ansible-playbook's runs, the theory's host for Runner's.</summary>
    private (string Name, Runner.Engine.Values.Dict Vars) _on = Host;

    private string Ssh(string command) => SeedLab.Ssh(_on, command);

    private string Write(string name, string text)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    /// <summary>The transcript's reported values in order: debug msg, error and warning lines (but those of tasks named "mods-e dump ...", compared by the test).</summary>
    private static List<string> Details(string transcript)
    {
        var details = new List<string>();
        var dump = false;
        foreach (var l in transcript.Split('\n'))
        {
            if (l.StartsWith("TASK [")) dump = l.StartsWith("TASK [mods-e dump");
            else if (!dump && (l.StartsWith("    msg: ") || l.StartsWith("    error: ") || l.StartsWith("    warning: "))) details.Add(l.TrimEnd());
        }
        return details;
    }

    /// <summary>The JSON of the debug msg printed by the task named <paramref name="task"/>.</summary>
    private static JsonElement Msg(string transcript, string task)
    {
        var lines = transcript.Split('\n');
        var at = Array.IndexOf(lines, $"TASK [{task}]");
        Assert.True(at >= 0, $"no task {task}: {transcript}");
        var msg = lines.Skip(at + 1).First(l => l.StartsWith("    msg: "));
        return JsonDocument.Parse(msg["    msg: ".Length..]).RootElement.Clone();
    }

    /// <summary>The runs of one tool: two plain runs and one with <paramref name="check"/>'s arguments, and the host's state after the plain runs.</summary>
    private sealed record Runs(List<(int Rc, string Out)> Plays, string State);

    /// <summary>
    /// Runs <paramref name="playbook"/> with ansible-playbook (on rdeb1) and with Runner (on <paramref name="runnerHost"/>)
    /// from the state <paramref name="reset"/> makes (on that tool's host):
    /// twice, then with --check and <paramref name="check"/>'s extra arguments, which must leave <paramref name="state"/>
    /// as it was; asserts the same sequences, details and end state; returns Runner's runs and Ansible's. The reset runs
    /// again at the end.
    /// </summary>
    private (Runs Runner, Runs Ansible) Compare(string playbook, Action reset, Func<string> state,
        (string Name, Runner.Engine.Values.Dict Vars) runnerHost, params string[] check)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var pb = Write("play.yml", playbook.Replace("HOST", "all"));
        string[] Args(params string[] extra) => new[] { "-i", InventoryPath, "-l", _on.Name, pb }.Concat(extra).ToArray();
        Runs Play((string Name, Runner.Engine.Values.Dict Vars) on, Func<string[], (int Rc, string Out)> play)
        {
            _on = on;
            reset();
            var plays = new List<(int, string)> { play(Args()), play(Args()) };
            var after = state();
            plays.Add(play(Args(new[] { "--check" }.Concat(check).ToArray())));
            Assert.Equal(after, state());
            return new Runs(plays, after);
        }
        try
        {
            var ansible = Play(Host, args => SeedLab.Ansible(_dir, args));
            var runner = Play(runnerHost, args => PlaybookParity.As(SeedLab.Runner(_dir, args), runnerHost.Name, Host.Name));
            for (var i = 0; i < 3; i++)
            {
                Assert.True(ansible.Plays[i].Rc == 0, ansible.Plays[i].Out);
                Assert.True(runner.Plays[i].Rc == 0, runner.Plays[i].Out);
                Assert.Equal(SeedLab.Sequence(ansible.Plays[i].Out), SeedLab.Sequence(runner.Plays[i].Out));
                Assert.Equal(string.Join("\n", Details(ansible.Plays[i].Out)), string.Join("\n", Details(runner.Plays[i].Out)));
            }
            Assert.Equal(ansible.State, runner.State);
            return (runner, ansible);
        }
        finally
        {
            foreach (var h in new[] { Host, runnerHost }.DistinctBy(h => h.Name)) { _on = h; reset(); }
        }
    }

    private const string PackageFacts = """
        - hosts: HOST
          gather_facts: false
          tasks:
            - name: mods-e package facts
              ansible.builtin.package_facts: {manager: auto}
            - name: mods-e dump packages
              ansible.builtin.debug: {msg: "{{ ansible_facts.packages }}"}
            - name: mods-e package facts apt only
              ansible.builtin.package_facts: {manager: [APT], strategy: all}
              register: pf
            - name: mods-e report
              ansible.builtin.debug: {msg: "REPORT {{ pf.ansible_facts.packages | length > 100 }} {{ pf.changed }} {{ pf.keys() | sort }} {{ pf.ansible_facts.packages['python3-apt'] }}"}
            - name: mods-e unknown manager
              ansible.builtin.package_facts: {manager: [apt, zypper]}
              ignore_errors: true
        """;

    /// <summary>Installs python3-apt (Ansible's package_facts and apt_repository need it) when missing; returns whether it did.</summary>
    private bool EnsurePythonApt()
    {
        if (Ssh("dpkg-query -W -f '${db:Status-Abbrev}' python3-apt 2>/dev/null") == "ii") return false;
        Ssh("apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-apt >/dev/null 2>&1");
        Assert.Equal("ii", Ssh("dpkg-query -W -f '${db:Status-Abbrev}' python3-apt 2>/dev/null"));
        return true;
    }

    private void RemovePythonApt() =>
        Ssh("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q python3-apt python-apt-common distro-info-data >/dev/null 2>&1");

    [NspawnFact]
    public void Package_facts_report_what_ansibles_python_apt_reports()
    {
        const string Dpkg = "dpkg-query -W -f '${binary:Package} ${Version} ${db:Status-Abbrev}\\n' | sort";
        var installed = EnsurePythonApt();
        try
        {
            var before = Ssh(Dpkg);
            var (runner, ansible) = Compare(PackageFacts, () => { }, () => "", Host);
            _on = Host;
            var after = Ssh(Dpkg);
            // rdeb1 is shared: a package another test changed meanwhile may differ, every other entry must be equal
            var unstable = before.Split('\n').Except(after.Split('\n')).Concat(after.Split('\n').Except(before.Split('\n')))
                .Select(l => l.Split(' ')[0].Replace(":amd64", "")).ToHashSet();
            var a = Msg(ansible.Plays[0].Out, "mods-e dump packages");
            var r = Msg(runner.Plays[0].Out, "mods-e dump packages");
            var names = a.EnumerateObject().Select(p => p.Name).Where(n => !unstable.Contains(n)).ToList();
            Assert.True(names.Count > 100, a.ToString());
            Assert.Equal(names, r.EnumerateObject().Select(p => p.Name).Where(n => !unstable.Contains(n)).ToList());
            foreach (var n in names) Assert.Equal(a.GetProperty(n).ToString(), r.GetProperty(n).ToString());
            Assert.Contains("REPORT True False ['ansible_facts', 'changed', 'failed'] [{'name': 'python3-apt', 'version': '2.6.0', 'arch': 'amd64', 'category': 'python', 'origin': '', 'source': 'apt'}]",
                string.Join("\n", Details(runner.Plays[0].Out)));
            Assert.Contains("    error: Unsupported package managers requested: zypper", runner.Plays[2].Out);
        }
        finally { if (installed) RemovePythonApt(); }
    }

    private const string LocaleGen = """
        - hosts: HOST
          gather_facts: false
          tasks:
            - name: mods-e locale.gen (rdeb1 lacks the locales package)
              ansible.builtin.copy: {dest: /etc/locale.gen, content: "# mods-e\n# de_CH.UTF-8 UTF-8\n# en_US ISO-8859-1\n#  en_US.UTF-8 UTF-8\n", mode: "0644"}
            - name: mods-e enable a locale (locale-gen is missing)
              community.general.locale_gen: {name: de_CH.UTF-8}
              register: enable
              ignore_errors: true
            - name: mods-e a locale not present is absent already
              community.general.locale_gen: {name: en_US.UTF-8, state: absent}
              register: absent
              ignore_errors: true
            - name: mods-e a locale not listed
              community.general.locale_gen: {name: xx_YY.UTF-8}
              ignore_errors: true
            - name: mods-e read locale.gen
              ansible.builtin.slurp: {src: /etc/locale.gen}
              register: gen
              ignore_errors: true
            - name: mods-e report
              ansible.builtin.debug:
                msg: "REPORT {{ enable.exitValue | default('-') }}|{{ absent.name | default('-') }} {{ absent.changed }} {{ absent.msg }} {{ absent.keys() | reject('eq', 'ansible_facts') | sort }}|{{ gen.content | default('') | b64decode }}"
            - name: mods-e no locale.gen
              ansible.builtin.file: {path: /etc/locale.gen, state: absent}
            - name: mods-e without locale.gen
              community.general.locale_gen: {name: de_CH.UTF-8}
              ignore_errors: true
        """;

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Locale_gen_edits_locale_gen_and_fails_as_ansible_without_locale_gen(string kind)
    {
        var hosts = new[] { Host, Target(kind) }.DistinctBy(h => h.Name).ToList();
        foreach (var h in hosts)
        {
            _on = h;
            Assert.Equal("absent", Ssh("[ -e /etc/locale.gen ] || [ -e /var/lib/locales/supported.d ] || command -v locale-gen || echo absent"));
        }
        try
        {
            var (runner, _) = Compare(LocaleGen, () => Ssh("rm -f /etc/locale.gen"), () => Ssh("ls /etc/locale.gen 2>&1; locale -a"), Target(kind));
            var details = string.Join("\n", Details(runner.Plays[0].Out));
            Assert.Contains("error: [Errno 2] No such file or directory: 'locale-gen'", details);
            Assert.Contains("error: The locale you've entered is not available on your system.", details);
            Assert.Contains("REPORT 2|en_US.UTF-8 False OK ['changed', 'failed', 'msg', 'name']|", details);
            Assert.Contains("# mods-e\\nde_CH.UTF-8 UTF-8\\n# en_US ISO-8859-1\\n#  en_US.UTF-8 UTF-8\\n", details);
            Assert.Contains("error: /etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package \"locales\" installed?", details);
        }
        finally
        {
            foreach (var h in hosts) { _on = h; Ssh("rm -f /etc/locale.gen"); }
        }
    }

    private const string Modprobe = """
        - hosts: HOST
          gather_facts: false
          tasks:
            - name: mods-e load a module (rdeb1 has no kmod)
              community.general.modprobe: {name: mods_e_dummy, params: "numdummies=2"}
              register: load
              ignore_errors: true
            - name: mods-e make it persistent
              community.general.modprobe: {name: mods_e_dummy, params: "numdummies=2", persistent: present}
              ignore_errors: true
            - name: mods-e unload and forget it
              community.general.modprobe: {name: mods_e_dummy, state: absent, persistent: absent}
              ignore_errors: true
            - name: mods-e report
              ansible.builtin.debug: {msg: "REPORT {{ load.changed }} {{ load.keys() | reject('eq', 'ansible_facts') | sort }}"}
        """;

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Modprobe_fails_as_ansible_where_modprobe_is_missing(string kind)
    {
        foreach (var h in new[] { Host, Target(kind) }.DistinctBy(h => h.Name))
        {
            _on = h;
            Assert.Equal("", Ssh("command -v modprobe; PATH=$PATH:/sbin:/usr/sbin command -v modprobe"));
        }
        const string Persistent = "ls /etc/modules-load.d /etc/modprobe.d 2>&1";
        var (runner, _) = Compare(Modprobe, () => { }, () => Ssh(Persistent), Target(kind));
        var details = string.Join("\n", Details(runner.Plays[0].Out));
        Assert.Contains("error: Failed to find required executable \"modprobe\" in paths: ", details);
        Assert.Contains("REPORT False ['changed', 'failed', 'msg']", details);
        Assert.DoesNotContain("mods_e", Ssh(Persistent));
    }
}

using System.Diagnostics;
using System.Text;
using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// apt_repository and apt_key, Runner on the booted host rdeb1 and on the bare host (no python3, curl, wget; gpg is
/// installed there for apt-key, as on rdeb1) versus ansible-playbook 2.14 on rdeb1. The lab's apt repository (already
/// in rdeb1's sources.list) is added again, with other options, as a second sources file aptrepo-TOOL.list (and a
/// second line with mode 0640 appended to it), and a signing key made with gpg on the controller for this test is
/// added to the keyring trusted.gpg.d/aptrepo-TOOL.gpg from a URL (a server on the controller; rdeb1's curl, Ansible's
/// urllib) and by id with inline data. From the same clean state each tool runs the playbook with state=present twice
/// (changed, then ok), with --check and state=absent (changed, nothing on the host changes), then with state=absent
/// twice (changed, then ok); the ok/changed sequences, the reports (results and the sources file's diff) and the files
/// (text and mode of the sources file, the keyring's key ids) must be the same, the tool's name aside. Ansible needs
/// python3-apt (apt_repository) and gpg with gpg-agent (apt_key) on rdeb1: the test installs what is missing from the
/// lab repository and purges it again; Runner's apt_repository needs no python3-apt.
/// </summary>
[Collection("nspawn")]
public sealed class AptRepositoryLabTests : IDisposable
{
    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          vars:
            ring: "/etc/apt/trusted.gpg.d/aptrepo-{{ tool }}.gpg"
          tasks:
            - name: aptrepo the lab repository as a second sources file
              ansible.builtin.apt_repository:
                repo: "deb [trusted=yes arch=amd64] {{ lab_apt_repo }} ./"
                filename: "aptrepo-{{ tool }}"
                state: "{{ state }}"
              register: add
              diff: true
            - name: aptrepo a second line appended without a cache update
              ansible.builtin.apt_repository:
                repo: "deb [trusted=yes lang=none] {{ lab_apt_repo }} ./"
                filename: "aptrepo-{{ tool }}"
                state: "{{ state }}"
                update_cache: false
                mode: "0640"
              register: src
            - name: aptrepo a line that is not there
              ansible.builtin.apt_repository: {repo: "deb http://aptrepo.invalid/debian stable main", state: absent}
              register: other
            - name: aptrepo an invalid line
              ansible.builtin.apt_repository: {repo: "aptrepo invalid"}
              ignore_errors: true
            - name: aptrepo the key from a URL
              ansible.builtin.apt_key: {url: "{{ keyurl }}", keyring: "{{ ring }}", state: "{{ state }}"}
              register: k1
            - name: aptrepo the key by id with inline data
              ansible.builtin.apt_key: {id: "{{ keyid }}", data: "{{ lookup('file', keyfile) }}", keyring: "{{ ring }}", state: "{{ state }}"}
              register: k2
            - name: aptrepo report
              ansible.builtin.debug:
                msg: "REPORT {{ add.changed }}|{{ add.repo }}|{{ add.state }}|{{ src.changed }}|{{ other.changed }}|{{ (add.diff | default([])) | selectattr('after_header', 'search', 'aptrepo') | map(attribute='after') | list }}|{{ (add.diff | default([])) | selectattr('before_header', 'search', 'aptrepo') | map(attribute='before') | list }}|{{ (add.diff | default([])) | map(attribute='after_header') | map('replace', tool, 'TOOL') | sort }}|{{ k1.id }} {{ k1.fp }} {{ k1.short_id }} {{ k1.key_id }} {{ k1.before }} {{ k1.after | default('-') }}|{{ k2.id }} {{ k2.before }} {{ k2.after | default('-') }}"
        """;

    private const string Packages = "dpkg-query -W -f '${Package} ${db:Status-Abbrev}\\n' | grep ' ii' | cut -d' ' -f1 | sort";

    private readonly string _dir = Directory.CreateTempSubdirectory("aptrepo-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Where Runner runs: rdeb1 or the bare host (a theory's host kind); ansible-playbook runs on rdeb1.</summary>
    private (string Name, Runner.Engine.Values.Dict Vars) _target = Host;

    private (string Name, Runner.Engine.Values.Dict Vars) HostOf(string tool) => tool == "ansible" ? Host : _target;

    /// <summary>The test's sources files (mode and text) and keyrings (their key ids) on the tool's host, the tool's name as TOOL.</summary>
    private string State(string tool) => SeedLab.Ssh(HostOf(tool), 
        "for f in /etc/apt/sources.list.d/aptrepo-* /etc/apt/trusted.gpg.d/aptrepo-*; do [ -e \"$f\" ] || continue; " +
        "printf '== %s %s\\n' \"$f\" \"$(stat -c %a \"$f\")\"; case $f in *.list) cat \"$f\";; *.gpg) " +
        "gpg --no-default-keyring --with-colons --show-keys \"$f\" 2>/dev/null | grep '^pub' | cut -d: -f5;; esac; done").Replace(tool, "TOOL");

    private void Reset()
    {
        foreach (var h in new[] { Host, _target }.DistinctBy(h => h.Name))
            SeedLab.Ssh(h, "rm -f /etc/apt/sources.list.d/aptrepo-* /etc/apt/trusted.gpg.d/aptrepo-*");
    }

    /// <summary>Installs what is missing of <paramref name="packages"/> on <paramref name="host"/> from the lab repository,
    /// returning an undo that purges what was added (and gpg's home folder if it was made).</summary>
    private static Action Install((string Name, Runner.Engine.Values.Dict Vars) host, string packages)
    {
        var before = SeedLab.Ssh(host, Packages).Split('\n').ToHashSet();
        var hadGnupgHome = SeedLab.Ssh(host, "[ -e /root/.gnupg ] && echo yes") == "yes";
        // other tests share the host: wait for their dpkg lock
        SeedLab.Ssh(host, "apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 " +
            $"install -y -q --no-install-recommends {packages} >/dev/null 2>&1");
        Assert.Equal(string.Join(' ', packages.Split(' ').Select(_ => "ii")),
            SeedLab.Ssh(host, $"dpkg-query -W -f '${{db:Status-Abbrev}}' {packages}").Replace("  ", " ").Trim());
        return () =>
        {
            var added = SeedLab.Ssh(host, Packages).Split('\n').Where(p => !before.Contains(p)).ToList();
            if (added.Count > 0) SeedLab.Ssh(host, $"DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 purge -y -q {string.Join(' ', added)} >/dev/null 2>&1");
            if (!hadGnupgHome) SeedLab.Ssh(host, "rm -rf /root/.gnupg");
        };
    }

    /// <summary>Runs gpg on the controller with a home folder of this test.</summary>
    private string Gpg(params string[] args)
    {
        var psi = new ProcessStartInfo("gpg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--homedir", Path.Combine(_dir, "gnupg"), "--batch" }.Concat(args)) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"gpg {string.Join(' ', args)}: {error.Result}");
        return output.Result;
    }

    /// <summary>A new signing key on the controller: its armored public key in a file, and its fingerprint.</summary>
    private (string File, string Fingerprint) MakeKey()
    {
        var home = Directory.CreateDirectory(Path.Combine(_dir, "gnupg"));
        File.SetUnixFileMode(home.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Gpg("--passphrase", "", "--quick-gen-key", "aptrepo lab test <aptrepo@example.invalid>", "rsa2048", "sign", "never");
        var fingerprint = Gpg("--with-colons", "--list-keys").Split('\n').First(l => l.StartsWith("fpr:")).Split(':')[9];
        var file = Path.Combine(_dir, "aptrepo.asc");
        File.WriteAllText(file, Gpg("--armor", "--export", fingerprint));
        return (file, fingerprint);
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Sources_file_and_key_as_ansible_playbook_present_twice_check_and_absent(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        _target = Target(kind);
        var (keyFile, fingerprint) = MakeKey();
        var key = File.ReadAllBytes(keyFile);
        using var server = new LabHttpServer(async c =>
        {
            c.Response.ContentType = "application/pgp-keys";
            await c.Response.OutputStream.WriteAsync(key);
        });
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", "all"));
        var undo = new List<Action>();
        try
        {
            undo.Add(Install(Host, "python3-apt gpg gpg-agent"));
            // apt-key needs gpg on any host; the bare host gets no python3-apt (Runner does not need it)
            if (_target.Name != Host.Name) undo.Add(Install(_target, "gpg gpg-agent"));

            var ansible = Runs(SeedLab.Ansible, "ansible", keyFile, fingerprint, server.Base);
            var runner = Runs(SeedLab.Runner, "runner", keyFile, fingerprint, server.Base);
            for (var i = 0; i < ansible.Plays.Count; i++)
            {
                AssertSame(ansible.Plays[i], runner.Plays[i]);
                Assert.Equal(ansible.States[i], runner.States[i]);
            }
            Assert.Contains("changed=3 ", runner.Plays[0].Out);
            Assert.Contains("changed=0 ", runner.Plays[1].Out);
            Assert.Contains("changed=4 ", runner.Plays[2].Out); // check mode: the key is still there for the second apt_key
            Assert.Contains("changed=3 ", runner.Plays[3].Out);
            Assert.Contains("changed=0 ", runner.Plays[4].Out);
            var repo = (string)Host.Vars["lab_apt_repo"]!;
            Assert.Equal($"== /etc/apt/sources.list.d/aptrepo-TOOL.list 640\ndeb [trusted=yes arch=amd64] {repo} ./\ndeb [trusted=yes lang=none] {repo} ./\n" +
                $"== /etc/apt/trusted.gpg.d/aptrepo-TOOL.gpg 644\n{fingerprint[^16..]}\n== /etc/apt/trusted.gpg.d/aptrepo-TOOL.gpg~ 644", runner.States[1]);
            // apt-key del leaves an empty keyring and its backup
            Assert.Equal("== /etc/apt/trusted.gpg.d/aptrepo-TOOL.gpg 644\n== /etc/apt/trusted.gpg.d/aptrepo-TOOL.gpg~ 644", runner.States[4]);
            Assert.StartsWith($"REPORT True|deb [trusted=yes arch=amd64] {repo} ./|present|True|False|['deb [trusted=yes arch=amd64] {repo} ./", Reports(runner.Plays[0].Out)[0]);
            Assert.Contains($"|{fingerprint[^16..]} {fingerprint[^16..]} {fingerprint[^8..]} {fingerprint[^16..]} [] ['{fingerprint[^16..]}']|", Reports(runner.Plays[0].Out)[0]);
        }
        finally
        {
            Reset();
            foreach (var u in undo) u();
            Assert.Equal("gone", SeedLab.Ssh(_target, "ls /etc/apt/sources.list.d/aptrepo-* /etc/apt/trusted.gpg.d/aptrepo-* >/dev/null 2>&1 || echo gone"));
            if (_target.Name != Host.Name) Assert.Equal("", SeedLab.Ssh(_target, "command -v python3 curl wget; :")); // still bare
        }
    }

    /// <summary>One tool's five runs from a clean state and the host's state after each.</summary>
    private sealed record ToolRuns(List<(int Rc, string Out)> Plays, List<string> States);

    private ToolRuns Runs(Func<string, string[], (int Rc, string Out)> play, string tool, string keyFile, string fingerprint, string serverBase)
    {
        Reset();
        var runs = new ToolRuns(new(), new());
        void Run(string state, bool check = false)
        {
            var extra = new List<string> { "-e", $"tool={tool} state={state} keyid={fingerprint} keyfile={keyFile} keyurl={serverBase}/aptrepo.asc" };
            if (check) extra.Add("--check");
            var before = State(tool);
            var host = HostOf(tool).Name;
            runs.Plays.Add(As(play(_dir, Args(host, Path.Combine(_dir, "play.yml"), extra.ToArray())), host, Host.Name));
            runs.States.Add(State(tool));
            if (check) Assert.Equal(before, runs.States[^1]);
        }
        Run("present");
        Run("present");
        Run("absent", check: true);
        Run("absent");
        Run("absent");
        Reset();
        return runs;
    }
}

using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// script on the booted host rdeb1 versus ansible-playbook: one playbook (a script with quoted arguments and creates,
/// one with chdir and removes writing to stderr, one with executable, one failing) run twice by each tool from the same
/// clean state gives the same ok/changed/skipped sequence, the same rc, stdout (stderr in it, CRLF, as ssh's
/// pseudo-terminal gives them) and stdout_lines, the same files on the host and no temp folder left; --check
/// reports the same with both tools and changes nothing.
/// </summary>
[Collection("nspawn")]
public sealed class ScriptLabTests : IDisposable
{
    private const string Dir = "/tmp/mods-d-script";

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          vars:
            d: /tmp/mods-d-script
          tasks:
            - name: mods-d folder
              ansible.builtin.file: {path: "{{ d }}", state: directory}
            - name: mods-d script with creates
              ansible.builtin.script: make.sh {{ d }}/made 'two words' "x  y"
              args: {creates: "{{ d }}/made"}
              register: s1
            - name: mods-d script with chdir and removes
              ansible.builtin.script:
                cmd: where.sh one
                chdir: "{{ d }}"
                removes: "{{ d }}/made"
              register: s2
            - name: mods-d script with an executable
              ansible.builtin.script: where.sh two
              args: {executable: /bin/bash}
              register: s3
            - name: mods-d failing script
              ansible.builtin.script: fail.sh
              register: s4
              ignore_errors: true
            - name: mods-d report
              ansible.builtin.debug:
                msg: "REPORT {{ s1.rc|default('-') }}|{{ s1.stdout|default('-') }}|{{ s1.stdout_lines|default('-') }}|{{ s1.msg|default('-') }}|{{ s1.changed }}|{{ s2.rc|default('-') }}|{{ s2.stdout_lines|default('-') }}|{{ s2.stdout|default('-') }}|{{ s3.stdout_lines|default('-') }}|{{ s4.rc|default('-') }}|{{ s4.msg|default('-') }}|{{ s4.stdout_lines|default('-') }}|{{ s4.changed }}|{{ s4.failed|default('-') }}"
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("mods-d-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The host <see cref="Ssh"/> reads: ansible-playbook's, then Runner's.</summary>
    private (string Name, Runner.Engine.Values.Dict Vars) _on = Host;

    private string Ssh(string command) => SeedLab.Ssh(_on, command);

    private string State() => Ssh($"cd {Dir} && for f in *; do printf '%s %s: ' \"$(stat -c %a \"$f\")\" \"$f\"; cat \"$f\"; echo; done; ls -d /tmp/ansible-script.* 2>/dev/null | wc -l");

    /// <summary>ansible-playbook runs on the first host (it needs python3); Runner on the host of <paramref name="kind"/>,
    /// also the bare one without python3, curl and wget.</summary>
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Same_sequence_output_and_files_as_ansible_playbook_then_check_mode_changes_nothing(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var (ansibleHost, runnerHost) = (Host, Target(kind));
        var host = ansibleHost.Name;
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", "all"));
        Directory.CreateDirectory(Path.Combine(_dir, "files"));
        File.WriteAllText(Path.Combine(_dir, "files", "make.sh"), "#!/bin/sh\nf=$1; shift\nprintf '%s|' \"$@\" > \"$f\"\necho \"made $# args\"\n");
        File.WriteAllText(Path.Combine(_dir, "files", "where.sh"), "#!/bin/sh\necho \"in $(pwd) with $1\"\necho \"to stderr\" >&2\n[ -n \"$BASH_VERSION\" ] && echo bash\nexit 0\n");
        File.WriteAllText(Path.Combine(_dir, "fail.sh"), "#!/bin/sh\necho failing\nexit 3\n");
        string[] Args(params string[] extra) => PlaybookParity.Args(host, pb, extra);
        (int Rc, string Out) Runner(params string[] extra) =>
            As(SeedLab.Runner(_dir, PlaybookParity.Args(runnerHost.Name, pb, extra)), runnerHost.Name, ansibleHost.Name);
        void Reset() => Ssh($"rm -rf {Dir}");
        try
        {
            Reset();
            var ansible = new[] { SeedLab.Ansible(_dir, Args()), SeedLab.Ansible(_dir, Args()) };
            var ansibleState = State();
            var ansibleCheck = SeedLab.Ansible(_dir, Args("--check"));
            Assert.Equal(ansibleState, State());
            _on = runnerHost;
            Reset();
            var runner = new[] { Runner(), Runner() };
            for (var i = 0; i < 2; i++) AssertSame(ansible[i], runner[i]);
            Assert.Contains("changed=5 ", runner[0].Out); // the folder and the four scripts (the failed one too)
            Assert.Contains("skipped=1 ", runner[1].Out); // creates
            Assert.Single(Reports(runner[0].Out));

            var state = State();
            Assert.Equal(ansibleState, state);
            Assert.Equal("644 made: two words|x  y|\n0", state);
            Assert.Contains("in /tmp/mods-d-script with one\\r\\nto stderr\\r\\n", Reports(runner[0].Out)[0]);

            AssertSame(ansibleCheck, Runner("--check"));
            Assert.Equal(state, State());
        }
        finally
        {
            foreach (var h in new[] { ansibleHost, runnerHost }.DistinctBy(h => h.Name))
            {
                _on = h;
                Reset();
                Assert.Equal("gone", Ssh($"[ -e {Dir} ] || echo gone"));
            }
        }
    }
}

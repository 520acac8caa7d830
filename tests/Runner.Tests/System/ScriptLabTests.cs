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

    private static string Ssh(string command) => SeedLab.Ssh(Host, command);

    private static string State() => Ssh($"cd {Dir} && for f in *; do printf '%s %s: ' \"$(stat -c %a \"$f\")\" \"$f\"; cat \"$f\"; echo; done; ls -d /tmp/ansible-script.* 2>/dev/null | wc -l");

    [NspawnFact]
    public void Same_sequence_output_and_files_as_ansible_playbook_then_check_mode_changes_nothing()
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var host = Host.Name;
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", host));
        Directory.CreateDirectory(Path.Combine(_dir, "files"));
        File.WriteAllText(Path.Combine(_dir, "files", "make.sh"), "#!/bin/sh\nf=$1; shift\nprintf '%s|' \"$@\" > \"$f\"\necho \"made $# args\"\n");
        File.WriteAllText(Path.Combine(_dir, "files", "where.sh"), "#!/bin/sh\necho \"in $(pwd) with $1\"\necho \"to stderr\" >&2\n[ -n \"$BASH_VERSION\" ] && echo bash\nexit 0\n");
        File.WriteAllText(Path.Combine(_dir, "fail.sh"), "#!/bin/sh\necho failing\nexit 3\n");
        string[] Args(params string[] extra) => PlaybookParity.Args(host, pb, extra);
        void Reset() => Ssh($"rm -rf {Dir}");
        try
        {
            Reset();
            var ansible = new[] { SeedLab.Ansible(_dir, Args()), SeedLab.Ansible(_dir, Args()) };
            var ansibleState = State();
            var ansibleCheck = SeedLab.Ansible(_dir, Args("--check"));
            Assert.Equal(ansibleState, State());
            Reset();
            var runner = new[] { SeedLab.Runner(_dir, Args()), SeedLab.Runner(_dir, Args()) };
            for (var i = 0; i < 2; i++) AssertSame(ansible[i], runner[i]);
            Assert.Contains("changed=5 ", runner[0].Out); // the folder and the four scripts (the failed one too)
            Assert.Contains("skipped=1 ", runner[1].Out); // creates
            Assert.Single(Reports(runner[0].Out));

            var state = State();
            Assert.Equal(ansibleState, state);
            Assert.Equal("644 made: two words|x  y|\n0", state);
            Assert.Contains("in /tmp/mods-d-script with one\\r\\nto stderr\\r\\n", Reports(runner[0].Out)[0]);

            AssertSame(ansibleCheck, SeedLab.Runner(_dir, Args("--check")));
            Assert.Equal(state, State());
        }
        finally
        {
            Reset();
            Assert.Equal("gone", Ssh($"[ -e {Dir} ] || echo gone"));
        }
    }
}

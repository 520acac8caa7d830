using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// cron on the booted host rdeb1 versus ansible-playbook. The lab host has no cron package (and the local apt
/// repository none either), so the play's PATH starts with a stand-in `crontab` of this test (-l, -u USER, -, FILE, as
/// Debian's, keeping crontabs under /tmp/mods-d-cron-spool); both tools look it up and use it alike. One playbook (jobs
/// with times, special_time and disabled, backup, variables with insertbefore, another user's crontab, a cron_file under
/// /etc/cron.d with a bad name, the last job of another cron_file removed, a job removed that is not there, a task
/// whose PATH has no crontab) run twice by each tool from the same clean state gives the same ok/changed sequence, the
/// same jobs/envs/diff/backup/messages and the same crontabs and cron files; --check with a changed hour reports the
/// same with both and changes nothing.
/// </summary>
[Collection("nspawn")]
public sealed class CronLabTests : IDisposable
{
    private const string Spool = "/tmp/mods-d-cron-spool";
    private const string Bin = "/tmp/mods-d-cronbin";

    private const string FakeCrontab = """
        #!/bin/sh
        # a stand-in for Debian's crontab: -l, -r, - (stdin) or FILE, optionally after -u USER
        spool=/tmp/mods-d-cron-spool
        u=$(id -un)
        if [ "$1" = "-u" ]; then u=$2; shift 2; fi
        case "$1" in
          -l) [ -f "$spool/$u" ] || { echo "no crontab for $u" >&2; exit 1; }; cat "$spool/$u" ;;
          -r) rm -f "$spool/$u" ;;
          -) mkdir -p "$spool" && cat > "$spool/$u" ;;
          *) mkdir -p "$spool" && cat -- "$1" > "$spool/$u" ;;
        esac

        """;

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          environment: {PATH: "/tmp/mods-d-cronbin:/usr/sbin:/usr/bin:/sbin:/bin"}
          vars:
            hour: "2"
          tasks:
            - name: mods-d job with times
              ansible.builtin.cron: {name: "mods-d a", minute: "5", hour: "{{ hour }}", job: "/bin/true a"}
              register: c1
              diff: true
            - name: mods-d disabled reboot job with backup
              ansible.builtin.cron: {name: "mods-d b", special_time: reboot, job: "/bin/true b", disabled: true, backup: true}
              register: c2
            - name: mods-d variable
              ansible.builtin.cron: {name: MODSD_VAR, job: "x y", env: true}
              register: c3
            - name: mods-d variable before it
              ansible.builtin.cron: {name: MODSD_FIRST, job: "1", env: true, insertbefore: MODSD_VAR}
              register: c4
            - name: mods-d another user's crontab
              ansible.builtin.cron: {name: "mods-d n", job: "/bin/true n", user: nobody, weekday: "1-5"}
              register: c5
            - name: mods-d cron_file
              ansible.builtin.cron: {name: "mods-d f", job: "/bin/true f", user: root, cron_file: mods-d.lab, day: "1"}
              register: c6
              diff: true
            - name: mods-d last job of a cron_file removed
              ansible.builtin.cron: {name: "mods-d old", state: absent, cron_file: mods-d-old}
              register: c7
            - name: mods-d absent job that is not there
              ansible.builtin.cron: {name: "mods-d none", state: absent}
              register: c8
            - name: mods-d without crontab
              ansible.builtin.cron: {name: "mods-d y", job: "/bin/true"}
              environment: {PATH: "/usr/bin:/bin"}
              register: c9
              ignore_errors: true
            - name: mods-d report
              ansible.builtin.debug:
                msg: "REPORT {{ c1.jobs|default('-') }}|{{ c1.envs|default('-') }}|{{ c1.diff.after|default('-') }}|{{ c1.diff.before_header|default('-') }}|{{ c2.jobs|default('-') }}|{{ c2.backup_file is defined }}|{{ c3.envs|default('-') }}|{{ c4.envs|default('-') }}|{{ c5.jobs|default('-') }}|{{ c6.cron_file|default('-') }}|{{ c6.warnings|default('-') }}|{{ c6.diff.after|default('-') }}|{{ c6.diff.after_header|default('-') }}|{{ c7.state|default('-') }}|{{ c7.jobs|default('-') }}|{{ c7.cron_file|default('-') }}|{{ c8.jobs|default('-') }}|{{ c9.msg|default('-') }}"
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("mods-d-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The host <see cref="Ssh"/> reads: ansible-playbook's, then Runner's.</summary>
    private (string Name, Runner.Engine.Values.Dict Vars) _on = Host;

    private string Ssh(string command) => SeedLab.Ssh(_on, command);

    /// <summary>Every crontab of the stand-in and the test's cron files, with mode and owner.</summary>
    private string State() => Ssh(
        $"for f in {Spool}/* /etc/cron.d/mods-d*; do [ -e \"$f\" ] || continue; printf '== %s %s %s\\n' \"$f\" \"$(stat -c %a \"$f\")\" \"$(stat -c %U \"$f\")\"; cat \"$f\"; done");

    /// <summary>A clean start: no crontabs, the old cron file with its one job, the stand-in crontab installed.</summary>
    private void Reset()
    {
        Ssh($"rm -rf {Spool} /etc/cron.d/mods-d.lab /etc/cron.d/mods-d-old; printf '#Ansible: mods-d old\\n* * * * * root /bin/true old\\n' > /etc/cron.d/mods-d-old; " +
            $"mkdir -p {Bin} && printf '%s' {Runner.Engine.Connections.ShellQuote.Quote(FakeCrontab)} > {Bin}/crontab && chmod 755 {Bin}/crontab");
    }

    /// <summary>ansible-playbook runs on the first host (it needs python3); Runner on the host of <paramref name="kind"/>,
    /// also the bare one without python3, curl and wget.</summary>
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Same_sequence_values_and_crontabs_as_ansible_playbook_then_check_mode_changes_nothing(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var (ansibleHost, runnerHost) = (Host, Target(kind));
        var host = ansibleHost.Name;
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", "all"));
        string[] Args(params string[] extra) => PlaybookParity.Args(host, pb, extra);
        (int Rc, string Out) Runner(params string[] extra) =>
            As(SeedLab.Runner(_dir, PlaybookParity.Args(runnerHost.Name, pb, extra)), runnerHost.Name, ansibleHost.Name);
        try
        {
            Assert.Equal("absent", Ssh("command -v crontab >/dev/null || echo absent")); // no cron package on the host
            Reset();
            var ansible = new[] { SeedLab.Ansible(_dir, Args()), SeedLab.Ansible(_dir, Args()) };
            var ansibleState = State();
            var ansibleCheck = SeedLab.Ansible(_dir, Args("--check", "-e", "hour=4"));
            Assert.Equal(ansibleState, State());
            _on = runnerHost;
            Reset();
            var runner = new[] { Runner(), Runner() };
            for (var i = 0; i < 2; i++) AssertSame(ansible[i], runner[i]);
            Assert.Contains("changed=7 ", runner[0].Out);
            Assert.Contains("changed=0 ", runner[1].Out);
            Assert.Single(Reports(runner[0].Out));
            Assert.Contains("|True|", Reports(runner[0].Out)[0]); // the backup was made
            Assert.Contains("|False|", Reports(runner[1].Out)[0]); // and not when nothing changed

            var state = State();
            Assert.Equal(ansibleState, state);
            Assert.Equal(
                "== /tmp/mods-d-cron-spool/nobody 644 root\n#Ansible: mods-d n\n* * * * 1-5 /bin/true n\n" +
                "== /tmp/mods-d-cron-spool/root 644 root\nMODSD_FIRST=\"1\"\nMODSD_VAR=\"x y\"\n#Ansible: mods-d a\n5 2 * * * /bin/true a\n#Ansible: mods-d b\n#@reboot /bin/true b\n" +
                "== /etc/cron.d/mods-d.lab 644 root\n#Ansible: mods-d f\n* * 1 * * root /bin/true f", state);

            AssertSame(ansibleCheck, Runner("--check", "-e", "hour=4"));
            Assert.Contains("changed=1 ", ansibleCheck.Out);
            Assert.Equal(state, State());
        }
        finally
        {
            foreach (var h in new[] { ansibleHost, runnerHost }.DistinctBy(h => h.Name))
            {
                _on = h;
                Ssh($"rm -rf {Spool} {Bin} /etc/cron.d/mods-d.lab /etc/cron.d/mods-d-old");
                Assert.Equal("gone", Ssh($"[ -e {Spool} ] || [ -e {Bin} ] || [ -e /etc/cron.d/mods-d.lab ] || [ -e /etc/cron.d/mods-d-old ] || echo gone"));
            }
        }
    }
}

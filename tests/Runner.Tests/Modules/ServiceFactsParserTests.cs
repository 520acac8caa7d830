using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Modules.Sys;
using Runner.Tests.Lab;

namespace Runner.Tests.Modules;

/// <summary>
/// service_facts' parsing of `service --status-all`, `systemctl list-units` and `list-unit-files`: against what
/// ansible-core 2.14 reported for a booted Debian 12 host from the same output (recorded by
/// tests/ansible-recordings/record-service-facts.sh), and on hand-written lines for the odd cases.
/// </summary>
public class ServiceFactsParserTests
{
    private static Dict Parse(string? sysv, string units, string files, Func<string, string> active)
    {
        var services = new Dict();
        if (sysv is not null) ServiceFactsParser.AddSysv(services, sysv);
        ServiceFactsParser.AddUnits(services, units);
        ServiceFactsParser.AddUnitFiles(services, ServiceFactsParser.UnitFiles(files), active);
        return services;
    }

    [Theory]
    [InlineData("rdeb7")]
    public void Recorded_output_parses_to_ansibles_facts(string name)
    {
        var dir = Path.Combine(LabEnvironment.RepoRoot, "tests", "ansible-recordings", "service-facts", name);
        string Read(string f) => File.ReadAllText(Path.Combine(dir, f));
        var shown = Read("show.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => ServiceFactsParser.ActiveState(int.Parse(f[1]), f.Length > 2 ? f[2] : ""));
        var mine = Parse(Read("status-all.txt"), Read("list-units.txt"), Read("list-unit-files.txt"), n => shown[n]);
        var ansible = (Dict)YamlLoader.LoadFile(Path.Combine(dir, "ansible-services.json"))!;
        Assert.True(ansible.Count > 50);
        Assert.Equal(PyStr.JsonDumps(ansible, sortKeys: true, indent: 1), PyStr.JsonDumps(mine, sortKeys: true, indent: 1));
    }

    [Fact]
    public void Bad_states_drop_the_glyph_and_keep_their_status()
    {
        const string units = """
              UNIT                      LOAD      ACTIVE   SUB     DESCRIPTION
              cron.service              loaded    active   running Regular background program processing daemon
            ● broken.service            loaded    failed   failed  Broken thing
            ● gone.service              not-found inactive dead    gone.service
            ● hidden.service            masked    inactive dead    hidden.service
              flaky.service             loaded    active   running Restarts when failed
              oneshot.service           loaded    active   exited  Runs once, see other.service

            LOAD   = Reflects whether the unit definition was properly loaded.
            5 loaded units listed.
            """;
        const string files = """
            UNIT FILE               STATE           PRESET
            cron.service            enabled         enabled
            broken.service          enabled         enabled
            hidden.service          masked          enabled
            getty@.service          enabled         enabled
            extra.service           disabled        enabled

            5 unit files listed.
            """;
        var asked = new List<string>();
        var s = Parse(null, units, files, n => { asked.Add(n); return n == "extra.service" ? "inactive" : "unknown"; });
        Assert.Equal(new[] { "cron.service", "broken.service", "gone.service", "hidden.service", "loaded", "oneshot.service", "getty@.service", "extra.service" }, s.Keys);
        string Of(string n) => PyStr.JsonDumps(s[n], sortKeys: true);
        Assert.Equal("""{"name": "cron.service", "source": "systemd", "state": "running", "status": "enabled"}""", Of("cron.service"));
        Assert.Equal("""{"name": "broken.service", "source": "systemd", "state": "stopped", "status": "failed"}""", Of("broken.service"));
        Assert.Equal("""{"name": "gone.service", "source": "systemd", "state": "stopped", "status": "not-found"}""", Of("gone.service"));
        Assert.Equal("""{"name": "hidden.service", "source": "systemd", "state": "stopped", "status": "masked"}""", Of("hidden.service"));
        // Ansible's quirk: a bad-state word anywhere in the line (here the description) drops the first field as if it were the glyph
        Assert.Equal("""{"name": "loaded", "source": "systemd", "state": "stopped", "status": "failed"}""", Of("loaded"));
        Assert.Equal("""{"name": "oneshot.service", "source": "systemd", "state": "stopped", "status": "active"}""", Of("oneshot.service"));
        Assert.Equal("""{"name": "extra.service", "source": "systemd", "state": "inactive", "status": "disabled"}""", Of("extra.service"));
        Assert.Equal(new[] { "getty@.service", "extra.service" }, asked);
    }

    [Fact]
    public void Sysv_lines_give_running_or_stopped_and_question_marks_are_skipped()
    {
        var s = new Dict();
        ServiceFactsParser.AddSysv(s, " [ + ]  ssh\n [ - ]  hwclock.sh\n [ ? ]  weird\nnoise\n");
        Assert.Equal("""{"hwclock.sh": {"name": "hwclock.sh", "source": "sysv", "state": "stopped"}, "ssh": {"name": "ssh", "source": "sysv", "state": "running"}}""",
            PyStr.JsonDumps(s, sortKeys: true));
    }

    [Fact]
    public void Active_state_and_malformed_unit_files()
    {
        Assert.Equal("inactive", ServiceFactsParser.ActiveState(0, "ActiveState=inactive\n"));
        Assert.Equal("unknown", ServiceFactsParser.ActiveState(1, ""));
        Assert.Equal("unknown", ServiceFactsParser.ActiveState(0, ""));
        var e = Assert.Throws<FormatException>(() => ServiceFactsParser.UnitFiles("lonely.service\n"));
        Assert.Equal("Malformed output discovered from systemd list-unit-files: lonely.service", e.Message);
    }
}

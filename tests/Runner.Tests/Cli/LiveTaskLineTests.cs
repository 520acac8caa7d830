using System.Diagnostics;
using Runner.Cli;

namespace Runner.Tests.Cli;

/// <summary>The terminal's live progress line (issue 11 item 5): shown after two seconds with the hosts still
/// running the task, erased before anything else is written, and never in redirected output.</summary>
public sealed class LiveTaskLineTests
{
    private TimeSpan _now;
    private readonly StringWriter _out = new();

    private LiveTaskLine Line(int width = 80) => new(_out, () => _now, () => width, tick: null);

    [Fact]
    public void A_task_shorter_than_the_delay_writes_nothing()
    {
        using var line = Line();
        line.TaskRunning("quick", ["a", "b"]);
        _now += TimeSpan.FromSeconds(1.9);
        line.Tick();
        line.TaskDone();
        Assert.Equal("", _out.ToString());
    }

    [Fact]
    public void A_long_task_shows_the_hosts_still_running_it_and_erases_the_line_when_done()
    {
        using var line = Line();
        line.TaskRunning("install packages", ["web1", "web2", "db1"]);
        _now += TimeSpan.FromSeconds(2);
        line.Tick();
        Assert.Equal("\r\x1b[K[2s] install packages: web1, web2, db1", _out.ToString());
        line.HostDone("web2");
        _now += TimeSpan.FromSeconds(63);
        line.Tick();
        Assert.EndsWith("\r\x1b[K[1m05s] install packages: web1, db1", _out.ToString());
        line.TaskDone();
        Assert.EndsWith("\r\x1b[K", _out.ToString());
        var before = _out.ToString();
        line.Tick();
        Assert.Equal(before, _out.ToString());
    }

    [Fact]
    public void Output_during_the_task_erases_the_line_and_stops_it_until_the_next_task()
    {
        using var line = Line();
        line.TaskRunning("pause", ["a"]);
        _now += TimeSpan.FromSeconds(3);
        line.Tick();
        line.Suspend();
        Assert.EndsWith("\r\x1b[K", _out.ToString());
        var before = _out.ToString();
        _now += TimeSpan.FromSeconds(3);
        line.Tick();
        Assert.Equal(before, _out.ToString());
        line.TaskDone();
        line.TaskRunning("next", ["a"]);
        _now += TimeSpan.FromSeconds(3);
        line.Tick();
        Assert.EndsWith("[3s] next: a", _out.ToString());
    }

    [Fact]
    public void Many_hosts_are_cut_to_the_terminal_width_with_a_count_of_the_rest()
    {
        using var line = Line(width: 40);
        line.TaskRunning("t", Enumerable.Range(1, 30).Select(i => $"host{i:D2}").ToList());
        _now += TimeSpan.FromSeconds(5);
        line.Tick();
        var text = _out.ToString()[4..];
        Assert.True(text.Length <= 39, text);
        Assert.StartsWith("[5s] t: host01, host02", text);
        Assert.Matches(@"\(\+\d+ more\)$", text);
    }

    [Fact]
    public void On_a_terminal_a_slow_task_shows_the_line_and_redirected_output_never_holds_it()
    {
        var dir = Directory.CreateTempSubdirectory("live-line").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: slow one
                      command: sleep 3
                """);
            var runner = RunnerCli.ShellLine("play", "p.yml");
            var psi = new ProcessStartInfo("script") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in new[] { "-qec", runner, "/dev/null" }) psi.ArgumentList.Add(a);
            psi.Environment["TERM"] = "xterm";
            using var p = Process.Start(psi)!;
            var tty = p.StandardOutput.ReadToEndAsync();
            Assert.True(p.WaitForExit(120_000));
            Assert.True(p.ExitCode == 0, tty.Result);
            Assert.Contains("\r\x1b[K[2s] slow one: localhost", tty.Result);
            Assert.Contains("changed: [localhost]", tty.Result);

            var (rc, stdout, _) = RunnerCli.Run(dir, ["p.yml"]);
            Assert.Equal(0, rc);
            Assert.Contains("changed: [localhost]", stdout);
            Assert.DoesNotContain("\x1b[K", stdout);
            Assert.DoesNotContain("slow one: localhost", stdout);
        }
        finally { Directory.Delete(dir, true); }
    }
}

using System.Text.RegularExpressions;
using Runner.Tests.Seed;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The comparison the module lab tests make between ansible-playbook and Runner on one playbook: its arguments for a
/// lab host, the transcript's "REPORT ..." lines (a debug task's values), and the assertion that two transcripts give
/// the same outcome sequence (<see cref="SeedLab.Sequence"/>) and the same reports.
/// </summary>
public static class PlaybookParity
{
    /// <summary>ansible-playbook/runner play arguments: the lab inventory limited to <paramref name="host"/>, the playbook, extras.</summary>
    public static string[] Args(string host, string playbook, params string[] extra) =>
        new[] { "-i", NspawnLab.InventoryPath, "-l", host, playbook }.Concat(extra).ToArray();

    /// <summary>The "REPORT ..." lines of a transcript (up to the end of the debug msg).</summary>
    public static List<string> Reports(string transcript) =>
        Regex.Matches(transcript, "REPORT [^\"\\n]*").Select(m => m.Value).ToList();

    /// <summary>A run on <paramref name="runnerHost"/> told as if it were on <paramref name="ansibleHost"/> (host names
    /// replaced), for comparing Runner on a bare host with ansible-playbook on a python host.</summary>
    public static (int Rc, string Out) As((int Rc, string Out) run, string runnerHost, string ansibleHost) =>
        (run.Rc, run.Out.Replace(runnerHost, ansibleHost));

    /// <summary>Both runs succeeded and Runner's gave ansible-playbook's sequence and reports.</summary>
    public static void AssertSame((int Rc, string Out) ansible, (int Rc, string Out) runner)
    {
        Assert.True(ansible.Rc == 0, ansible.Out);
        Assert.True(runner.Rc == 0, runner.Out);
        Assert.Equal(SeedLab.Sequence(ansible.Out), SeedLab.Sequence(runner.Out));
        Assert.Equal(Reports(ansible.Out), Reports(runner.Out));
    }
}

using Runner.Tests.Lab;
using Runner.Tests.Seed;

namespace Runner.Tests.Engine;

/// <summary>
/// tests/differential/*.yml run with ansible-playbook (live, the corpus callback) and with Runner (transcript
/// callback) on the local connection: the transcripts and exit codes must be equal line for line.
/// </summary>
public class DifferentialTests
{
    private static string Folder => Path.Combine(LabEnvironment.RepoRoot, "tests", "differential");

    public static IEnumerable<object[]> Playbooks() =>
        Directory.GetFiles(Folder, "*.yml").Select(f => new object[] { Path.GetFileName(f) }).OrderBy(x => (string)x[0]);

    [Theory]
    [MemberData(nameof(Playbooks))]
    public void Runner_prints_what_ansible_playbook_prints(string playbook)
    {
        if (!SeedLab.HasAnsible()) Assert.Fail("ansible-playbook is not installed: tests/run-all.sh installs it");
        var ansible = RunIn(playbook, "ansible");
        var runner = RunIn(playbook, "runner");
        Assert.Equal(Lines(ansible), Lines(runner));
    }

    private static string[] Lines(string transcript) => transcript.Replace("\r", "").TrimEnd().Split('\n');

    /// <summary>Runs the playbook in a scratch copy of the folder; returns "rc: N" and the transcript.</summary>
    private static string RunIn(string playbook, string tool)
    {
        var dir = Directory.CreateTempSubdirectory($"runner-diff-{tool}-").FullName;
        try
        {
            SeedLab.CopyTree(Folder, dir);
            File.WriteAllText(Path.Combine(dir, "hosts"), "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
            // "# args: --check --diff" on a playbook's first line adds options for both tools
            var first = File.ReadLines(Path.Combine(dir, playbook)).FirstOrDefault() ?? "";
            var extra = first.StartsWith("# args:") ? first["# args:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
            var args = new[] { "-i", "hosts", playbook }.Concat(extra).ToArray();
            var (rc, output) = tool == "ansible" ? SeedLab.Ansible(dir, args) : Runner(dir, args);
            var stdout = output.Split("\nSTDERR:\n")[0];
            return $"rc: {rc}\n" + stdout.Replace(dir, ".");
        }
        finally { Directory.Delete(dir, true); }
    }

    private static (int, string) Runner(string cwd, params string[] args)
    {
        var (rc, stdout, _) = RunnerCli.Run(cwd, args, new Dictionary<string, string> { ["RUNNER_STDOUT_CALLBACK"] = "transcript", ["NO_COLOR"] = "1" });
        return (rc, stdout);
    }
}

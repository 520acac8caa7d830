using System.Diagnostics;
using System.Text.RegularExpressions;
using Runner.Tests.Lab;
using Runner.Tests.Seed;

namespace Runner.Tests.Engine;

/// <summary>
/// tests/differential/*.yml run with ansible-playbook (live, the corpus callback) and with Runner (transcript
/// callback) on the local connection: the transcripts and exit codes must be equal line for line. Each also runs with
/// both tools' default stdout callback (no colour, not a terminal): stdout, stderr and the exit code must be equal
/// once the values that differ between any two runs (start/end/delta times, a content diff's temp file) are masked.
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
            var args = Prepare(playbook, dir);
            var (rc, output) = tool == "ansible" ? SeedLab.Ansible(dir, args) : Runner(dir, args);
            var stdout = output.Split("\nSTDERR:\n")[0];
            return $"rc: {rc}\n" + stdout.Replace(dir, ".");
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>
    /// The playbooks compared under the default callback: all but those with a line "# default callback: not compared
    /// (REASON)" in their header comment, a gap known and named there.
    /// </summary>
    public static IEnumerable<object[]> DefaultCallbackPlaybooks() => Playbooks()
        .Where(p => !File.ReadLines(Path.Combine(Folder, (string)p[0])).TakeWhile(l => l.StartsWith('#'))
            .Any(l => l.StartsWith("# default callback: not compared")));

    [Theory]
    [MemberData(nameof(DefaultCallbackPlaybooks))]
    public void Default_callback_prints_what_ansible_prints(string playbook)
    {
        if (!SeedLab.HasAnsible()) Assert.Fail("ansible-playbook is not installed: tests/run-all.sh installs it");
        Assert.Equal(RunDefault(playbook, "ansible"), RunDefault(playbook, "runner"));
    }

    private static readonly Regex Timing = new("\"(delta|end|start)\": \"[^\"]*\"");
    private static readonly Regex TempFile = new(@"(\+\+\+ after: )/\S+");

    private static string[] RunDefault(string playbook, string tool)
    {
        var dir = Directory.CreateTempSubdirectory($"runner-defcb-{tool}-").FullName;
        try
        {
            var args = Prepare(playbook, dir);
            var psi = tool == "ansible"
                ? new ProcessStartInfo("ansible-playbook")
                : RunnerCli.Command(dir, ["play"]);
            psi.WorkingDirectory = dir;
            psi.RedirectStandardOutput = psi.RedirectStandardError = psi.RedirectStandardInput = true;
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment["ANSIBLE_NOCOLOR"] = psi.Environment["NO_COLOR"] = "1";
            psi.Environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0";
            psi.Environment["LC_ALL"] = "C.UTF-8";
            using var p = Process.Start(psi)!;
            p.StandardInput.Close(); // ansible-playbook refuses an inherited non-blocking stdin
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            var text = $"rc: {p.ExitCode}\n{stdout.Result}\nSTDERR:\n{stderr.Result}".Replace(dir, ".");
            return TempFile.Replace(Timing.Replace(text, "\"$1\": X"), "$1TMPFILE").Replace("\r", "").TrimEnd().Split('\n');
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Copies the folder to <paramref name="dir"/> with a local inventory; the arguments for both tools.</summary>
    private static string[] Prepare(string playbook, string dir)
    {
        SeedLab.CopyTree(Folder, dir);
        // "# hosts: a b c" in the header comment: these inventory hosts (local connection) instead of localhost alone
        var names = File.ReadLines(Path.Combine(dir, playbook)).TakeWhile(l => l.StartsWith('#'))
            .FirstOrDefault(l => l.StartsWith("# hosts:"))?["# hosts:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? new[] { "localhost" };
        File.WriteAllLines(Path.Combine(dir, "hosts"), names.Select(n => $"{n} ansible_connection=local ansible_python_interpreter=/usr/bin/python3"));
        // "# args: --check --diff" on a playbook's first line adds options for both tools
        var first = File.ReadLines(Path.Combine(dir, playbook)).FirstOrDefault() ?? "";
        var extra = first.StartsWith("# args:") ? first["# args:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
        return new[] { "-i", "hosts", playbook }.Concat(extra).ToArray();
    }

    private static (int, string) Runner(string cwd, params string[] args)
    {
        var (rc, stdout, _) = RunnerCli.Run(cwd, args, new Dictionary<string, string> { ["RUNNER_STDOUT_CALLBACK"] = "transcript", ["NO_COLOR"] = "1" });
        return (rc, stdout);
    }
}

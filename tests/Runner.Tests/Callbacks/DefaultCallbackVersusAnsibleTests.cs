using System.Diagnostics;
using System.Text.RegularExpressions;
using Runner.Tests.Lab;
using Runner.Tests.Seed;

namespace Runner.Tests.Callbacks;

/// <summary>
/// The default stdout callback against ansible-playbook's, live: every tests/differential playbook runs with both
/// tools' default callback (no colour, not a terminal) on the local connection; stdout, stderr and the exit code must
/// be equal line for line once the values that differ between any two runs (start/end/delta times, the temp file named in a content diff's header) are masked.
/// </summary>
public class DefaultCallbackVersusAnsibleTests
{
    private static string Folder => Path.Combine(LabEnvironment.RepoRoot, "tests", "differential");

    public static IEnumerable<object[]> Playbooks() =>
        Directory.GetFiles(Folder, "*.yml").Select(f => new object[] { Path.GetFileName(f) }).OrderBy(x => (string)x[0]);

    [Theory]
    [MemberData(nameof(Playbooks))]
    public void Default_callback_prints_what_ansible_prints(string playbook)
    {
        if (!SeedLab.HasAnsible()) Assert.Fail("ansible-playbook is not installed: tests/run-all.sh installs it");
        Assert.Equal(Run(playbook, "ansible"), Run(playbook, "runner"));
    }

    private static readonly Regex Timing = new("\"(delta|end|start)\": \"[^\"]*\"");
    private static readonly Regex TempFile = new(@"(\+\+\+ after: )/\S+");

    private static string[] Run(string playbook, string tool)
    {
        var dir = Directory.CreateTempSubdirectory($"runner-defcb-{tool}-").FullName;
        try
        {
            SeedLab.CopyTree(Folder, dir);
            File.WriteAllText(Path.Combine(dir, "hosts"), "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
            var first = File.ReadLines(Path.Combine(dir, playbook)).FirstOrDefault() ?? "";
            var extra = first.StartsWith("# args:") ? first["# args:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
            var psi = tool == "ansible"
                ? new ProcessStartInfo("ansible-playbook")
                : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "runner.dll"), "play" } };
            psi.WorkingDirectory = dir;
            psi.RedirectStandardOutput = psi.RedirectStandardError = true;
            foreach (var a in new[] { "-i", "hosts", playbook }.Concat(extra)) psi.ArgumentList.Add(a);
            psi.Environment["ANSIBLE_NOCOLOR"] = psi.Environment["NO_COLOR"] = "1";
            psi.Environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0";
            psi.Environment["LC_ALL"] = "C.UTF-8";
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            var text = $"rc: {p.ExitCode}\n{stdout.Result}\nSTDERR:\n{stderr.Result}".Replace(dir, ".");
            return TempFile.Replace(Timing.Replace(text, "\"$1\": X"), "$1TMPFILE").Replace("\r", "").TrimEnd().Split('\n');
        }
        finally { Directory.Delete(dir, true); }
    }
}

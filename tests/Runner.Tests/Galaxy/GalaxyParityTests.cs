using System.Text;
using Runner.Tests.Lab;

namespace Runner.Tests.Galaxy;

/// <summary>
/// `runner galaxy` against ansible-galaxy 2.14's recordings (tests/ansible-recordings/record-galaxy.sh, for the
/// commands of tests/galaxy/steps.txt on the fixtures of tests/galaxy/make-fixtures.sh): the same stdout for every
/// command that succeeds, the same exit code and ERROR! line (Runner may add the reason after it) for every one that
/// fails, never a stack trace; the same installed layout; and ansible-playbook's output for a play using the
/// installed role by name and the collection's role by FQCN, and for one naming it short under the play's collections keyword.
/// </summary>
public class GalaxyParityTests
{
    private static string Recordings => Path.Combine(LabEnvironment.RepoRoot, "tests", "ansible-recordings", "galaxy");

    [Fact]
    public void Every_step_prints_and_installs_what_ansible_galaxy_did()
    {
        using var fx = new GalaxyFixtures();
        var problems = new StringBuilder();
        foreach (var line in File.ReadLines(Path.Combine(LabEnvironment.RepoRoot, "tests", "galaxy", "steps.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var name = words[0];
            var (rc, stdout, stderr) = fx.Runner(["galaxy", .. words[1..].Select(w => w.Replace("$DIR", fx.Dir))]);
            var recorded = File.ReadAllText(Path.Combine(Recordings, name + ".txt"));
            var expectedRc = int.Parse(recorded.Split('\n').First(l => l.StartsWith("rc: "))[4..]);
            var expectedError = recorded.Split('\n').FirstOrDefault(l => l.StartsWith("error: "))?[7..];
            var error = stderr.Split('\n').FirstOrDefault(l => l.StartsWith("ERROR! "));
            if (rc != expectedRc) problems.AppendLine($"{name}: exit {rc}, ansible-galaxy {expectedRc}\n{stdout}{stderr}");
            if (stderr.Contains("   at ") || stderr.Contains("Exception")) problems.AppendLine($"{name}: a stack trace\n{stderr}");
            if (expectedError is not null && (error is null || !fx.Normalize(error).StartsWith(expectedError, StringComparison.Ordinal)))
                problems.AppendLine($"{name}: error line\n  ansible-galaxy: {expectedError}\n  runner:         {error}");
            if (expectedRc == 0)
            {
                var expectedOut = recorded[..recorded.IndexOf("rc: ", StringComparison.Ordinal)];
                if (Blocks(name, fx.Normalize(stdout)) != Blocks(name, expectedOut)) problems.AppendLine($"{name}: stdout\n--- ansible-galaxy\n{expectedOut}--- runner\n{fx.Normalize(stdout)}");
            }
            if (name == "install-r")
            {
                foreach (var pb in new[] { "site", "short" })
                {
                    var (prc, play, perr) = fx.Runner("play", "-i", "localhost,", pb + ".yml");
                    var expectedPlay = File.ReadAllText(Path.Combine(Recordings, $"play-{pb}.txt"));
                    if (fx.Normalize(play) + $"rc: {prc}\n" != expectedPlay) problems.AppendLine($"{pb}.yml after install-r\n--- ansible-playbook\n{expectedPlay}--- runner\n{play}{perr}rc: {prc}");
                }
            }
        }
        var layout = Layout(fx);
        var expectedLayout = File.ReadAllText(Path.Combine(Recordings, "layout.txt"));
        if (layout != expectedLayout) problems.AppendLine($"layout\n--- ansible-galaxy\n{expectedLayout}--- runner\n{layout}");
        Assert.True(problems.Length == 0, problems.ToString());
    }

    /// <summary>The text, with collection list's per-path blocks sorted (ansible-galaxy walks the paths as a Python set,
    /// in no fixed order).</summary>
    private static string Blocks(string step, string text) =>
        step.StartsWith("collection-list") ? string.Join("\n# ", text.Split("\n# ").Order(StringComparer.Ordinal)) : text;

    /// <summary>layout.txt as record-galaxy.sh writes it: installed paths (sorted as C sort), then each install info.</summary>
    private static string Layout(GalaxyFixtures fx)
    {
        var roots = new[] { "home/.ansible/roles", "home/.ansible/collections", "roles2", "roles4", "colls", "colls2" };
        var paths = roots.Where(r => Directory.Exists(Path.Combine(fx.Dir, r)))
            .SelectMany(r => Directory.EnumerateFileSystemEntries(Path.Combine(fx.Dir, r), "*", SearchOption.AllDirectories).Prepend(Path.Combine(fx.Dir, r)))
            .Select(p => Path.GetRelativePath(fx.Dir, p)).Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        foreach (var p in paths) sb.Append(p).Append('\n');
        foreach (var info in paths.Where(p => p.EndsWith("/.galaxy_install_info") && !p.StartsWith("home/.ansible/collections")).Order(StringComparer.Ordinal))
        {
            sb.Append("== ").Append(info).Append('\n');
            foreach (var l in File.ReadAllLines(Path.Combine(fx.Dir, info)))
                sb.Append(l.StartsWith("install_date: ") ? "install_date: DATE" : l).Append('\n');
        }
        return sb.ToString();
    }
}

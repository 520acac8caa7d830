using System.Diagnostics;
using Runner.Engine.Facts;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Lab;
using Runner.Tests.SystemModules;

namespace Runner.Tests.Facts;

/// <summary>
/// Live fact parity on the booted-Debian lab's first host (read-only): tests/ansible-recordings/record-facts.sh
/// records `ansible HOST -m setup` (ansible-core 2.14) into a temp folder, then Runner gathers over its own SSH
/// connection; every top-level key Ansible returned must come back with the same JSON type and value, except
/// <see cref="FactParity.Varying"/>. Skipped when the lab is down or ansible is not installed.
/// </summary>
[Collection("nspawn")] // reads the host the other nspawn tests change (timezone, users): not beside them
public class FactParityLabTests
{
    [NspawnFact]
    public async Task Runner_returns_every_key_ansible_setup_returns()
    {
        Assert.True(OnPath("ansible"), "ansible is not installed: tests/run-all.sh installs it");
        var (name, _) = NspawnLab.Host;
        var dir = Directory.CreateTempSubdirectory("runner-facts-").FullName;
        try
        {
            var script = Path.Combine(LabEnvironment.RepoRoot, "tests", "ansible-recordings", "record-facts.sh");
            var psi = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = dir };
            foreach (var a in new[] { name, NspawnLab.InventoryPath, name }) psi.ArgumentList.Add(a);
            psi.Environment["RECORD_FACTS_DIR"] = dir;
            psi.Environment["RECORD_FACTS_KEEP_ENV"] = "1";
            using (var p = Process.Start(psi)!)
            {
                p.StandardInput.Close(); // ansible refuses an inherited non-blocking stdin
                var err = p.StandardError.ReadToEndAsync();
                await p.StandardOutput.ReadToEndAsync();
                await p.WaitForExitAsync();
                Assert.True(p.ExitCode == 0, "record-facts.sh failed: " + await err);
            }
            await using var c = NspawnLab.Connect();
            var runner = await FactsProbe.GatherAsync(c);
            var ansible = (Dict)YamlLoader.LoadFile(Path.Combine(dir, name, "ansible-setup.json"))!;
            Assert.True(ansible.Count > 100, $"the recording has only {ansible.Count} keys");
            var diffs = FactParity.Differences(ansible, runner);
            Assert.True(diffs.Count == 0, string.Join("\n", diffs));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static bool OnPath(string exe) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, exe)));
}

using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Lab;

namespace Runner.Tests.Seed;

/// <summary>
/// The system modules against ansible-playbook: the same playbook (group, user, apt, package, copy of a unit,
/// systemd, get_url with a checksum, unarchive, lineinfile, file) runs twice with Runner on one fresh booted host and
/// twice with ansible-playbook on another; the ok/changed/failed sequences must be the same, and the hosts end in
/// the same state (getent, dpkg-query, systemctl).
/// </summary>
[Collection("booted seed hosts")]
public sealed class SystemModulesVersusAnsibleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-sysvs-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [SeedFact(hosts: 7, ansible: true)]
    public void Same_sequence_and_end_state_as_ansible_playbook()
    {
        var hosts = SeedLab.Hosts();
        var runnerHost = hosts[5];
        var ansibleHost = hosts[6];
        var vars = (Dict)YamlLoader.LoadFile(Path.Combine(LabEnvironment.RepoRoot, "tests", "lab", "nspawn", ".state", "seed-vars.yml"))!;
        var pb = Path.Combine(_dir, "site.yml");
        File.WriteAllText(pb, SystemModulesPlaybook.Text);
        var extra = Path.Combine(_dir, "vars.json");
        File.WriteAllText(extra, PyStr.JsonDumps(vars));
        string Inv((string Name, Dict Vars) h, string name)
        {
            var p = Path.Combine(_dir, name + ".yml");
            File.WriteAllText(p, SeedLab.Inventory(h));
            return p;
        }
        var runnerInv = Inv(runnerHost, "runner");
        var ansibleInv = Inv(ansibleHost, "ansible");
        foreach (var pass in new[] { 1, 2 })
        {
            var (rcR, outR) = SeedLab.Runner(_dir, "-i", runnerInv, pb, "-e", "@" + extra);
            var (rcA, outA) = SeedLab.Ansible(_dir, "-i", ansibleInv, pb, "-e", "@" + extra);
            Assert.True(rcA == 0, outA);
            Assert.True(rcR == 0, outR);
            Assert.Equal(SeedLab.Sequence(outA), SeedLab.Sequence(outR));
            // the recaps are part of the sequences, so the counts are ansible-playbook's on its twin host: the first pass
            // changes the host, the second nothing
            var recap = outR.Split('\n').LastOrDefault(l => l.Contains(" ok=")) ?? "";
            Assert.True(recap.Contains(" changed=0 ") == (pass == 2), outR);
        }
        Assert.Equal(SystemModulesPlaybook.State(ansibleHost), SystemModulesPlaybook.State(runnerHost));
        Assert.Contains("install ok installed", SystemModulesPlaybook.State(runnerHost));
    }
}

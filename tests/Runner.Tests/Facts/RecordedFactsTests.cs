using Runner.Engine.Facts;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Lab;

namespace Runner.Tests.Facts;

/// <summary>
/// Runner's parse of the facts probe equals what ansible-core 2.14's setup module reported for the same host at
/// the same moment (recorded by tests/ansible-recordings/record-facts.sh: localhost here, and lab host rlab1 over
/// SSH), key by key, with <see cref="FactParity"/>'s legitimately varying keys checked by shape. The recordings
/// drop ansible_env (the recording machine's session).
/// </summary>
public class RecordedFactsTests
{
    private static (Dict Runner, Dict Ansible) Load(string name)
    {
        var dir = Path.Combine(LabEnvironment.RepoRoot, "tests", "ansible-recordings", "facts", name);
        var runner = FactsProbe.Parse(File.ReadAllText(Path.Combine(dir, "probe.txt")));
        var ansible = (Dict)YamlLoader.LoadFile(Path.Combine(dir, "ansible-setup.json"))!;
        return (runner, ansible);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("rlab1")]
    public void Every_recorded_key_has_ansibles_type_and_value(string name)
    {
        var (runner, ansible) = Load(name);
        Assert.True(ansible.Count > 100, $"the recording has only {ansible.Count} keys");
        var diffs = FactParity.Differences(ansible, runner);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }
}

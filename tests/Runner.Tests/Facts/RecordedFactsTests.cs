using Runner.Engine.Facts;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Lab;

namespace Runner.Tests.Facts;

/// <summary>
/// Runner's parse of the facts probe equals what ansible-core 2.14's setup module reported for the same host at
/// the same moment (recorded by tests/ansible-recordings/record-facts.sh: localhost here, and lab host rlab1 over SSH).
/// </summary>
public class RecordedFactsTests
{
    private static readonly string[] ExactKeys =
    {
        "architecture", "os_family", "distribution", "distribution_version", "distribution_major_version",
        "distribution_release", "hostname", "nodename", "fqdn", "domain", "kernel", "kernel_version", "system", "machine",
        "user_id", "user_uid", "user_gid", "default_ipv4", "all_ipv4_addresses", "processor_vcpus", "memtotal_mb",
        "service_mgr", "pkg_mgr",
    };

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
    public void Facts_equal_ansible_setup(string name)
    {
        var (runner, ansible) = Load(name);
        foreach (var key in ExactKeys)
            Assert.Equal(PyStr.JsonDumps(ansible["ansible_" + key], sortKeys: true), PyStr.JsonDumps(runner[key], sortKeys: true));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("rlab1")]
    public void Date_time_has_ansibles_keys_and_formats(string name)
    {
        var (runner, ansible) = Load(name);
        var mine = (Dict)runner["date_time"]!;
        var theirs = (Dict)ansible["ansible_date_time"]!;
        Assert.Equal(theirs.Keys.OrderBy(k => k, StringComparer.Ordinal), mine.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var k in new[] { "date", "year", "month", "day", "tz", "tz_dst", "tz_offset", "weekday", "weekday_number", "weeknumber" })
            Assert.Equal(theirs[k], mine[k]);
        Assert.InRange(long.Parse((string)mine["epoch"]!) - long.Parse((string)theirs["epoch"]!), 0, 30);
        foreach (var (k, v) in theirs)
            Assert.Equal(((string)v!).Length, ((string)mine[k]!).Length); // same shapes: zero padding, micro digits
    }
}

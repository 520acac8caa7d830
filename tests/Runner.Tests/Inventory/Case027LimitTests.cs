using Runner.Engine.Inventory;

namespace Runner.Tests.Inventory;

/// <summary>Corpus case 027-limit-host-patterns: play `hosts: all` with the --limit values observed with ansible-playbook 2.14.</summary>
public class Case027LimitTests
{
    private static InventoryData Load() => InventoryLoader.Load([Path.Combine(TestPaths.Corpus, "027-limit-host-patterns", "inventory.yml")]);

    [Theory]
    [InlineData(null, "web1 web2 web3 db1 db2")]
    [InlineData("web:!staging", "web1 web2")]
    [InlineData("web:&staging", "web3")]
    [InlineData("web[0:1]", "web1 web2")]
    [InlineData("web[-1]", "web3")]
    [InlineData("web[1:]", "web2 web3")]
    [InlineData("*1", "web1 db1")]
    [InlineData("~(web|db)[23]", "web2 web3 db2")]
    [InlineData("db2,web1", "web1 db2")]
    [InlineData("db", "db1 db2")] // --limit staging --limit db: only the last counts (the CLI passes it)
    public void Limit_gives_observed_play_hosts(string? limit, string expected)
    {
        var inv = Load();
        var play = HostPattern.Select(inv, "all");
        var warnings = new List<string>();
        var hosts = HostPattern.Limit(inv, play, limit, warnings);
        Assert.Equal(expected.Split(' '), hosts.Select(h => h.Name));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Unmatched_limit_warns_and_leaves_no_hosts()
    {
        var inv = Load();
        var warnings = new List<string>();
        var hosts = HostPattern.Limit(inv, HostPattern.Select(inv, "all"), "nosuchhost", warnings);
        Assert.Empty(hosts);
        Assert.Equal(["Could not match supplied host pattern, ignoring: nosuchhost"], warnings);
        Assert.Equal("Specified inventory, host pattern and/or --limit leaves us with no hosts to target.", HostPattern.NoHostsError);
    }

    [Fact]
    public void Limit_file_lists_host_names()
    {
        var dir = TestPaths.TempTree(("limit.txt", "db2\n\nweb1\n"));
        var inv = Load();
        var hosts = HostPattern.Limit(inv, HostPattern.Select(inv, "all"), "@" + Path.Combine(dir, "limit.txt"));
        Assert.Equal(["web1", "db2"], hosts.Select(h => h.Name));
        var e = Assert.Throws<Runner.Engine.Errors.RunnerException>(() => HostPattern.Limit(inv, [], "@" + Path.Combine(dir, "missing")));
        Assert.Contains("Unable to find limit file", e.Message);
    }
}

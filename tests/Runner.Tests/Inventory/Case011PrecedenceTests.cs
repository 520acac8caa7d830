using Runner.Engine.Inventory;

namespace Runner.Tests.Inventory;

/// <summary>Corpus case 011-variable-precedence: inventory levels l02..l10 as observed with ansible-playbook 2.14.</summary>
public class Case011PrecedenceTests
{
    private static readonly string CaseDir = Path.Combine(TestPaths.Corpus, "011-variable-precedence");

    private static readonly string[] Host1 =
    [
        "inventory-file-all", "inventory-file-web", "inventory-group_vars-all", "playbook-group_vars-all",
        "inventory-group_vars-web", "playbook-group_vars-web", "inventory-file-host", "inventory-host_vars", "playbook-host_vars",
    ];

    private static readonly string[] Host2 =
    [
        "inventory-file-all", "inventory-file-web", "inventory-group_vars-all", "playbook-group_vars-all",
        "inventory-group_vars-web", "playbook-group_vars-web", "playbook-group_vars-web", "playbook-group_vars-web", "playbook-group_vars-web",
    ];

    [Theory]
    [InlineData("host1")]
    [InlineData("host2")]
    public void Merged_inventory_levels_match_ansible(string hostName)
    {
        var inv = InventoryLoader.Load([Path.Combine(CaseDir, "inventory", "hosts.yml")]);
        var host = inv.FindHost(hostName)!;
        var merged = HostVariableLayers.MergedFor(inv, host, CaseDir);
        var expected = hostName == "host1" ? Host1 : Host2;
        for (var level = 2; level <= 10; level++)
            Assert.Equal(expected[level - 2], merged[$"l{level:00}"]);
        Assert.Equal("local", merged["ansible_connection"]);
    }

    [Fact]
    public void Layers_are_in_documented_order_with_origins()
    {
        var inv = InventoryLoader.Load([Path.Combine(CaseDir, "inventory", "hosts.yml")]);
        var layers = HostVariableLayers.For(inv, inv.FindHost("host1")!, CaseDir);
        Assert.Equal(
            [
                VariableLevels.InventoryFileGroupVars, VariableLevels.InventoryFileGroupVars, VariableLevels.InventoryGroupVarsAll,
                VariableLevels.PlaybookGroupVarsAll, VariableLevels.InventoryGroupVars, VariableLevels.PlaybookGroupVars,
                VariableLevels.InventoryFileHostVars, VariableLevels.InventoryHostVars, VariableLevels.PlaybookHostVars,
            ],
            layers.Select(l => l.Level));
        var webFile = layers[1];
        var loc = webFile.OriginOf("l03")!;
        Assert.EndsWith("inventory/hosts.yml", loc.File);
        Assert.Equal(24, loc.Line);
        var pbHost = layers[^1];
        Assert.EndsWith("host_vars/host1.yml", pbHost.Origin);
        Assert.Equal(2, pbHost.OriginOf("l10")!.Line);
        Assert.Null(pbHost.OriginOf("l02"));
        Assert.Equal(42, layers[6].OriginOf("l08")!.Line);
    }
}

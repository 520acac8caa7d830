using System.Diagnostics;
using Runner.Engine.Errors;
using Runner.Engine.Inventory;

namespace Runner.Tests.Inventory;

/// <summary>Inventory loading; expected values observed with ansible-inventory 2.14 (see comments).</summary>
public class LoaderTests
{
    [Fact]
    public void Yaml_ranges_expand_with_padding_step_and_letters()
    {
        var dir = TestPaths.TempTree(("hosts.yml", """
            all:
              children:
                web:
                  hosts:
                    web[01:03]:
                    odd[1:7:2]:
                    db-[a:c]-x:
                    "h:2222":
            """));
        var inv = InventoryLoader.Load([Path.Combine(dir, "hosts.yml")], unparsedIsFatal: true);
        Assert.Equal(["web01", "web02", "web03", "odd1", "odd3", "odd5", "odd7", "db-a-x", "db-b-x", "db-c-x", "h"], inv.Hosts.Select(h => h.Name));
        Assert.Equal(2222L, inv.FindHost("h")!.Vars["ansible_port"]);
    }

    [Fact]
    public void Ini_host_values_are_literal_evaluated()
    {
        // Observed (ansible-inventory --host loose1): num 5, yes_str "yes", t true, q "quoted words", f 1.5, lst [1,2], oct "0755".
        var dir = TestPaths.TempTree(("hosts", "loose1 num=5 yes_str=yes t=True q=\"quoted words\" f=1.5 lst='[1, 2]' oct=0755 s=\"5\"\n[g]\nh2 # comment\n[g:vars]\nraw = hello world\nn = 30\n"));
        var inv = InventoryLoader.Load([Path.Combine(dir, "hosts")]);
        var v = inv.FindHost("loose1")!.Vars;
        Assert.Equal(5L, v["num"]);
        Assert.Equal("yes", v["yes_str"]);
        Assert.Equal(true, v["t"]);
        Assert.Equal("quoted words", v["q"]);
        Assert.Equal(1.5, v["f"]);
        Assert.Equal([1L, 2L], (List<object?>)v["lst"]!);
        Assert.Equal("0755", v["oct"]);
        Assert.Equal(5L, v["s"]);
        Assert.Equal("hello world", inv.Groups["g"].Vars["raw"]);
        Assert.Equal(30L, inv.Groups["g"].Vars["n"]);
        Assert.Equal(["loose1"], inv.Groups["ungrouped"].Hosts.Select(h => h.Name));
        Assert.Equal(["h2"], inv.Groups["g"].Hosts.Select(h => h.Name));
    }

    [Fact]
    public void Ini_undefined_group_references_are_errors_as_ansible()
    {
        // Observed: "/tmp/initest/i1:5: Section [g2:vars] not valid for undefined group: g2"
        var dir = TestPaths.TempTree(("i1", "[g1:vars]\na=1\n[g1]\nh1\n[g2:vars]\nb=2\n"), ("i2", "[p:children]\nc\n[c]\nh2\n[q:children]\nnone\n"));
        var e = Assert.Throws<RunnerException>(() => InventoryLoader.Load([Path.Combine(dir, "i1")], unparsedIsFatal: true));
        Assert.Equal("Section [g2:vars] not valid for undefined group: g2", e.Message);
        Assert.Equal(5, e.Location!.Line);
        e = Assert.Throws<RunnerException>(() => InventoryLoader.Load([Path.Combine(dir, "i2")], unparsedIsFatal: true));
        Assert.Equal("Section [q:children] includes undefined group: none", e.Message);
        Assert.Equal(6, e.Location!.Line);
        Assert.Equal(ExitCodes.ParserError, e.ExitCode);
        // Ansible's default (exit 0 recorded by tests/bad-input/record.py): a warning naming the problem, the source skipped.
        var lenient = InventoryLoader.Load([Path.Combine(dir, "i1")]);
        Assert.Contains(lenient.Warnings, w => w.Contains("Section [g2:vars] not valid for undefined group: g2"));
        Assert.Contains(lenient.Warnings, w => w == $"Unable to parse {Path.Combine(dir, "i1")} as an inventory source");
    }

    [Fact]
    public void Bad_yaml_names_file_line_and_column()
    {
        var dir = TestPaths.TempTree(("hosts.yml", "all:\n  hosts:\n    a:\n   b: 1\n"), ("other.yml", "all:\n  hosts:\n    a: [1\n  vars: x\n"));
        var e = Assert.Throws<RunnerException>(() => InventoryLoader.Load([Path.Combine(dir, "hosts.yml")], unparsedIsFatal: true));
        Assert.Equal(ExitCodes.ParserError, e.ExitCode);
        Assert.EndsWith("hosts.yml", e.Location!.File);
        Assert.Equal(4, e.Location.Line);
        Assert.StartsWith("Syntax Error while loading YAML", e.Message);
        // An input on which the YAML parser itself fails is still a clean RunnerException.
        e = Assert.Throws<RunnerException>(() => InventoryLoader.Load([Path.Combine(dir, "other.yml")], unparsedIsFatal: true));
        Assert.Equal(ExitCodes.ParserError, e.ExitCode);
        Assert.EndsWith("other.yml", e.Location!.File);
    }

    [Fact]
    public void Unknown_yaml_keys_and_invalid_groups_warn_as_ansible()
    {
        var dir = TestPaths.TempTree(("hosts.yml", "all:\n  hostz:\n    a:\n  children:\n    web:\n      hosts: h1\na: [1]\n"));
        var inv = InventoryLoader.Load([Path.Combine(dir, "hosts.yml")], unparsedIsFatal: true);
        Assert.Contains("Skipping unexpected key (hostz) in group (all), only \"vars\", \"children\" and \"hosts\" are valid", inv.Warnings);
        Assert.Contains("Skipping 'a' as this is not a valid group definition", inv.Warnings); // observed
        Assert.Equal(["h1"], inv.Groups["web"].Hosts.Select(h => h.Name));
    }

    [Fact]
    public void Folder_source_skips_ini_md_hidden_and_vars_folders()
    {
        // Observed: a *.ini file inside an inventory folder is ignored (INVENTORY_IGNORE_EXTS).
        var dir = TestPaths.TempTree(
            ("b.yml", "g:\n  hosts:\n    h2:\n"), ("a", "h1\n"), ("c.ini", "h3\n"), ("README.md", "# doc\n"), (".hidden", "h4\n"),
            ("group_vars/g.yml", "x: 1\n"));
        var inv = InventoryLoader.Load([dir]);
        Assert.Equal(["h1", "h2"], inv.Hosts.Select(h => h.Name));
        Assert.Equal(1L, HostVariableLayers.MergedFor(inv, inv.FindHost("h2")!, null)["x"]);
    }

    [Fact]
    public void Comma_host_list_puts_hosts_in_ungrouped()
    {
        var inv = InventoryLoader.Load(["h1, h2:2222,"]);
        Assert.Equal(["h1", "h2"], inv.Groups["ungrouped"].Hosts.Select(h => h.Name));
        Assert.Equal(2222L, inv.FindHost("h2")!.Vars["ansible_port"]);
        Assert.Equal(["ungrouped"], inv.FindHost("h1")!.GroupNames()); // observed group_names of an ungrouped host
    }

    [Fact]
    public void Implicit_localhost_is_created_on_demand_and_not_in_all()
    {
        var inv = InventoryLoader.Load(["h1,"]);
        var hosts = HostPattern.Select(inv, "localhost");
        var local = Assert.Single(hosts);
        Assert.True(local.Implicit);
        Assert.Equal("local", local.Vars["ansible_connection"]);
        Assert.DoesNotContain(local, HostPattern.Select(inv, "all"));
        Assert.Empty(local.GroupNames());
    }

    [Fact]
    public void Group_vars_folder_files_merge_in_sorted_order_and_first_extension_wins()
    {
        var dir = TestPaths.TempTree(("hosts", "[web]\nw1\n"), ("group_vars/web/b.yaml", "shared: b\n"), ("group_vars/web/a.yml", "shared: a\nonly_a: 1\n"),
            ("host_vars/w1.yml", "hv: yml\n"), ("host_vars/w1.json", "{\"hv\": \"json\"}"), ("group_vars/all", "ga: 1\n"));
        var inv = InventoryLoader.Load([Path.Combine(dir, "hosts")]);
        var merged = HostVariableLayers.MergedFor(inv, inv.FindHost("w1")!, null);
        Assert.Equal("b", merged["shared"]);
        Assert.Equal(1L, merged["only_a"]);
        Assert.Equal("yml", merged["hv"]);
        Assert.Equal(1L, merged["ga"]);
    }

    [Fact]
    public void Child_group_vars_override_parent_and_priority_reorders()
    {
        var dir = TestPaths.TempTree(("hosts", "[a]\nh1\n[b]\nh1\n[parent:children]\nb\n[parent:vars]\nv=parent\n[b:vars]\nv=b\n[a:vars]\nv=a\nansible_group_priority=5\n"));
        var inv = InventoryLoader.Load([Path.Combine(dir, "hosts")]);
        // depth: parent 1, a 1, b 2 -> b wins.
        Assert.Equal("b", HostVariableLayers.MergedFor(inv, inv.FindHost("h1")!, null)["v"]);
        Assert.Equal(5, inv.Groups["a"].Priority);
        Assert.Equal(["a", "b", "parent"], inv.FindHost("h1")!.GroupNames());
    }

    [Fact]
    public void Loading_a_hundred_hosts_with_vars_files_is_fast()
    {
        var files = new List<(string, string)> { ("hosts.yml", "all:\n  children:\n    web:\n      hosts:\n        web[001:100]:\n") };
        for (var i = 1; i <= 100; i += 7) files.Add(($"host_vars/web{i:000}.yml", $"n: {i}\n"));
        files.Add(("group_vars/web.yml", "g: 1\n"));
        var dir = TestPaths.TempTree(files.ToArray());
        var sw = Stopwatch.StartNew();
        var inv = InventoryLoader.Load([Path.Combine(dir, "hosts.yml")], unparsedIsFatal: true);
        foreach (var h in inv.Hosts) HostVariableLayers.MergedFor(inv, h, dir);
        Assert.True(sw.ElapsedMilliseconds < 2000, $"took {sw.ElapsedMilliseconds} ms");
        Assert.Equal(100, inv.Hosts.Count);
        Assert.Equal(8L, HostVariableLayers.MergedFor(inv, inv.FindHost("web008")!, null)["n"]);
    }
}

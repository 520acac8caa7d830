using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Modules;

namespace Runner.Tests.Facts;

/// <summary>The setup module's result shape and filter, as ansible.builtin.setup 2.14 returns them.</summary>
public class SetupModuleTests
{
    private static ModuleContext Context(Dict args) => new()
    {
        Connection = new LocalConnection("localhost"),
        Args = args,
        CheckMode = false,
        DiffMode = false,
        Templar = new Templar(),
        Variables = new DictionaryScope(new Dict()),
        Host = "localhost",
    };

    [Fact]
    public async Task Returns_ansible_facts_and_changed_false()
    {
        var m = new SetupModule();
        Assert.Equal("setup", m.Name);
        Assert.False(m.Spec.RunsOnController);
        var r = await m.RunAsync(Context(new Dict()), CancellationToken.None);
        Assert.Equal(false, r["changed"]);
        var facts = (Dict)r["ansible_facts"]!;
        Assert.Equal("Linux", facts["system"]);
        Assert.IsType<Dict>(facts["date_time"]);
    }

    [Fact]
    public async Task Filter_keeps_only_matching_facts_with_or_without_prefix()
    {
        var r = await new SetupModule().RunAsync(Context(new Dict { ["filter"] = new List<object?> { "ansible_distribution*", "kernel" } }), CancellationToken.None);
        var facts = (Dict)r["ansible_facts"]!;
        facts.Remove("discovered_interpreter_python"); // added outside the filter, as Ansible's interpreter discovery does
        var expected = new[] { "distribution", "distribution_version", "distribution_major_version", "distribution_release", "kernel" }.ToList();
        if (File.Exists("/etc/debian_version")) expected.AddRange(new[] { "distribution_file_parsed", "distribution_file_path", "distribution_file_variety", "distribution_minor_version" });
        Assert.Equal(expected.Order(), facts.Keys.Order());
    }

    [Fact]
    public async Task Gather_subset_min_leaves_hardware_and_network_out()
    {
        var r = await new SetupModule().RunAsync(Context(new Dict { ["gather_subset"] = new List<object?> { "!all" } }), CancellationToken.None);
        var facts = (Dict)r["ansible_facts"]!;
        Assert.True(facts.ContainsKey("distribution") && facts.ContainsKey("date_time") && facts.ContainsKey("env"));
        Assert.False(facts.ContainsKey("mounts") || facts.ContainsKey("interfaces") || facts.ContainsKey("virtualization_type"));
        Assert.Equal(new List<object?> { "!all" }, facts["gather_subset"]);
    }

    [Fact]
    public async Task Bad_subset_fails_with_ansibles_message()
    {
        var r = await new SetupModule().RunAsync(Context(new Dict { ["gather_subset"] = new List<object?> { "nope" } }), CancellationToken.None);
        Assert.Equal(true, r["failed"]);
        Assert.StartsWith("Bad subset 'nope' given to Ansible.", (string)r["msg"]!);
    }
}

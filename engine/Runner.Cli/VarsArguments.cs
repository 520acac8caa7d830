using System.CommandLine;
using Runner.Cli.Parsing;

namespace Runner.Cli;

/// <summary>
/// The options of `runner vars HOST [-i INVENTORY]... [-e EXTRA_VARS]... [--playbook FILE] [--explain]` and of its
/// editing subcommands `runner vars set HOST KEY=VALUE [--group] [-i INVENTORY]...` and
/// `runner vars unset HOST KEY [--group] [-i INVENTORY]...`. A refused command line is a <see cref="UsageError"/> (exit 2).
/// </summary>
public sealed class VarsArguments
{
    /// <summary>"show", "set" or "unset".</summary>
    public string Verb { get; private init; } = "show";
    /// <summary>The host (or, with --group, the group).</summary>
    public string Host { get; private init; } = "";
    /// <summary>set: "KEY=VALUE"; unset: "KEY"; show: null.</summary>
    public string? Setting { get; private init; }
    public List<string> Inventories { get; private init; } = new();
    public List<string> ExtraVars { get; private init; } = new();
    public string? Playbook { get; private init; }
    public bool Explain { get; private init; }
    /// <summary>set/unset: edit group_vars/GROUP.yml instead of host_vars/HOST.yml.</summary>
    public bool Group { get; private init; }
    public Runner.Engine.Vault.VaultOptions Vault { get; private init; } = new();
    /// <summary>-h/--help: print <see cref="HelpText"/> and exit 0.</summary>
    public bool Help { get; private init; }
    /// <summary>The help of the (sub)command the arguments named.</summary>
    public string HelpText { get; private init; } = "";

    /// <summary>Parses the arguments after `vars`. Errors: <see cref="UsageError"/>.</summary>
    public static VarsArguments Parse(IReadOnlyList<string> args)
    {
        var cli = new CliDefinition("runner vars", "Shows a host's variables (raw, before templating); with --explain, where each value comes from and which lower precedence levels it beat.");
        var inventory = cli.Add(Inventory());
        var extra = cli.Add(Opt.Text("EXTRA_VARS", "set additional variables as key=value or YAML/JSON, if filename prepend with @", "-e", "--extra-vars"));
        var playbook = cli.Add(Opt.Text("PLAYBOOK", "take the play vars of the first play of PLAYBOOK that targets HOST", "--playbook"));
        var explain = cli.Add(Opt.Flag("show each variable's precedence level and origin, and the values it beat", "--explain"));
        var vault = VaultArguments.AddTo(cli);
        var host = cli.Positional("HOST", "the host whose variables to show");
        var edits = new Dictionary<string, (CliDefinition Cli, AnsibleOption<List<string>> Inventory, AnsibleOption<bool> Group, Argument<string> Name, Argument<string> Setting)>();
        foreach (var (verb, what, metavar) in new[] { ("set", "Sets a variable in host_vars/HOST.yml (group_vars/GROUP.yml with --group), keeping comments and layout.", "KEY=VALUE"), ("unset", "Removes a variable from host_vars/HOST.yml (group_vars/GROUP.yml with --group), keeping comments and layout.", "KEY") })
        {
            var sub = cli.Sub(new CliDefinition($"runner vars {verb}", what));
            var subInventory = sub.Add(Inventory());
            var group = sub.Add(Opt.Flag("edit the group's vars file instead of the host's", "--group"));
            var name = sub.Positional("HOST|GROUP", "the host, or with --group the group");
            var setting = sub.Positional(metavar, verb == "set" ? "the variable and its value, read as a YAML scalar" : "the variable");
            edits[verb] = (sub, subInventory, group, name, setting);
        }
        var p = cli.Parse(args);
        if (p.Help) return new VarsArguments { Help = true, HelpText = p.Leaf.HelpText };
        if (edits.TryGetValue(p.Leaf.Name, out var e) && p.Leaf == e.Cli)
            return new VarsArguments
            {
                Verb = p.Leaf.Name, Host = p.Value(e.Name), Setting = p.Value(e.Setting),
                Inventories = p.All(e.Inventory), Group = p.Flag(e.Group),
            };
        return new VarsArguments
        {
            Host = p.Value(host), Inventories = p.All(inventory), ExtraVars = p.All(extra),
            Playbook = p.Last(playbook), Explain = p.Flag(explain), Vault = vault.Read(p),
        };
    }

    private static AnsibleOption<List<string>> Inventory() =>
        Opt.Text("INVENTORY", "specify inventory host path or comma separated host list", "-i", "--inventory", "--inventory-file");
}

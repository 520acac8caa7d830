using System.CommandLine;
using Runner.Cli.Parsing;

namespace Runner.Cli;

/// <summary>The options of `runner facts HOST [-i INVENTORY]... [-e EXTRA_VARS]... [-T TIMEOUT]` and the vault options.
/// A refused command line is a <see cref="UsageError"/> (exit 2).</summary>
public sealed class FactsArguments
{
    /// <summary>The host pattern whose hosts' facts are gathered.</summary>
    public string Pattern { get; private init; } = "";
    public List<string> Inventories { get; private init; } = new();
    public List<string> ExtraVars { get; private init; } = new();
    /// <summary>-T/--timeout: the connection timeout in seconds, as ansible's; null leaves the configuration's.</summary>
    public int? Timeout { get; private init; }
    public Runner.Engine.Vault.VaultOptions Vault { get; private init; } = new();
    /// <summary>-h/--help: print <see cref="HelpText"/> and exit 0.</summary>
    public bool Help { get; private init; }
    /// <summary>The command's help.</summary>
    public string HelpText { get; private init; } = "";

    /// <summary>Parses the arguments after `facts`. Errors: <see cref="UsageError"/>.</summary>
    public static FactsArguments Parse(IReadOnlyList<string> args)
    {
        var cli = new CliDefinition("runner facts", "Gathers the facts of the hosts HOST matches and prints them as `ansible HOST -m setup` does.");
        var inventory = cli.Add(Opt.Text("INVENTORY", "specify inventory host path or comma separated host list", "-i", "--inventory", "--inventory-file"));
        var extra = cli.Add(Opt.Text("EXTRA_VARS", "set additional variables as key=value or YAML/JSON, if filename prepend with @", "-e", "--extra-vars"));
        var timeout = cli.Add(Opt.Int("TIMEOUT", "override the connection timeout in seconds (default=10)", "-T", "--timeout"));
        var vault = VaultArguments.AddTo(cli);
        var host = cli.Positional("HOST", "a host pattern");
        var p = cli.Parse(args);
        if (p.Help) return new FactsArguments { Help = true, HelpText = cli.HelpText };
        return new FactsArguments { Pattern = p.Value(host), Inventories = p.All(inventory), ExtraVars = p.All(extra), Timeout = p.Last(timeout), Vault = vault.Read(p) };
    }
}

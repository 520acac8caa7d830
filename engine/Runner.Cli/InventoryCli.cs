using Runner.Cli.Parsing;
using Runner.Engine.Errors;
using Runner.Engine.Inventory;

namespace Runner.Cli;

/// <summary>
/// `runner inventory [-i SRC]... (--list | --graph | --host HOST)`, as ansible-inventory: a refused command line
/// exits 2 (<see cref="UsageError"/>); no action, or more than one, is AnsibleOptionsError's exit 5.
/// </summary>
public static class InventoryCli
{
    /// <summary>Runs the command; the inventory goes to stdout.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        var cli = new CliDefinition("runner inventory", "Shows the inventory, as ansible-inventory does.");
        var inventory = cli.Add(Opt.Text("INVENTORY", "specify inventory host path or comma separated host list", "-i", "--inventory", "--inventory-file"));
        var vaultArgs = VaultArguments.AddTo(cli);
        var list = cli.Add(Opt.Flag("Output all hosts info, works as inventory script", "--list"));
        var hostOpt = cli.Add(Opt.Text("HOST", "Output specific host info, works as inventory script", "--host"));
        var graph = cli.Add(Opt.Flag("create inventory graph", "--graph"));
        var p = cli.Parse(args);
        if (p.Help) { Console.WriteLine(cli.HelpText); return ExitCodes.Ok; }
        var host = p.Last(hostOpt);
        var modes = new[] { (p.Flag(list), "list"), (host is not null, "host"), (p.Flag(graph), "graph") }.Where(m => m.Item1).Select(m => m.Item2).ToList();
        if (modes.Count == 0) throw new RunnerException("No action selected, at least one of --host, --graph or --list needs to be specified.", exitCode: ExitCodes.BadOptions);
        if (modes.Count > 1) throw new RunnerException("Conflicting options used, only one of --host, --graph or --list can be used at the same time.", exitCode: ExitCodes.BadOptions);
        var config = Runner.Engine.Config.RunnerConfig.Load();
        VaultArguments.Activate(vaultArgs.Read(p), config);
        var sources = p.All(inventory);
        if (sources.Count == 0) sources.AddRange(config.Paths("inventory"));
        var inv = InventoryLoader.Load(sources);
        return InventoryCommand.Run(inv, modes[0], host, Console.Out);
    }
}

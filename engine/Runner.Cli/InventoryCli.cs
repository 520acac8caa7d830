using Runner.Engine.Errors;
using Runner.Engine.Inventory;

namespace Runner.Cli;

/// <summary>`runner inventory -i SRC (--list | --graph | --host HOST)`, as ansible-inventory.</summary>
public static class InventoryCli
{
    public static int Run(IReadOnlyList<string> args)
    {
        var sources = new List<string>();
        string? mode = null;
        string? host = null;
        var vault = new Runner.Engine.Vault.VaultOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (VaultArguments.TryTake(args, ref i, vault)) continue;
            switch (args[i])
            {
                case "-i": case "--inventory": sources.Add(args[++i]); break;
                case "--list": mode = "list"; break;
                case "--graph": mode = "graph"; break;
                case "--host": mode = "host"; host = args[++i]; break;
                default: throw new RunnerException($"unrecognized arguments: {args[i]}", exitCode: ExitCodes.BadCommandLine);
            }
        }
        if (mode is null) throw new RunnerException("No action selected, at least one of --host, --graph or --list needs to be specified.", exitCode: ExitCodes.BadCommandLine);
        VaultArguments.Activate(vault, Runner.Engine.Config.RunnerConfig.Load());
        if (sources.Count == 0) sources.AddRange(Runner.Engine.Config.RunnerConfig.Load().Paths("inventory"));
        var inv = InventoryLoader.Load(sources);
        return InventoryCommand.Run(inv, mode, host, Console.Out);
    }
}

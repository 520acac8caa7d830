using Runner.Engine.Connections;
using Runner.Engine.Errors;
using Runner.Engine.Execution;
using Runner.Engine.Facts;
using Runner.Engine.Inventory;
using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Variables;
using Runner.Modules;

namespace Runner.Cli;

/// <summary>
/// `runner facts HOST [-i INVENTORY] [-e EXTRA_VARS] [-T TIMEOUT]`: gathers a host's facts over its connection with one batched probe and prints
/// them as `ansible HOST -m setup` does ({"ansible_facts": {...}} as JSON, keys with the ansible_ prefix).
/// </summary>
public static class FactsCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        var a = FactsArguments.Parse(args);
        if (a.Help) { output.WriteLine(a.HelpText); return ExitCodes.Ok; }
        var sources = a.Inventories;
        var pattern = a.Pattern;
        VaultArguments.Activate(a.Vault, Runner.Engine.Config.RunnerConfig.Load());
        var config = Runner.Engine.Config.RunnerConfig.Load();
        if (sources.Count == 0) sources.AddRange(config.Paths("inventory"));
        var inventory = InventoryLoader.Load(sources);
        var hosts = HostPattern.Select(inventory, pattern);
        if (hosts.Count == 0) throw new RunnerException(HostPattern.NoHostsError, exitCode: ExitCodes.Error);
        var templar = new Templar();
        var vars = new VariableManager(inventory, ExtraVars.Parse(a.ExtraVars), templar, new RunSettings(false, false, Array.Empty<string>(), Array.Empty<string>(), sources, config.Path));
        await using var connections = new ConnectionProvider(null);
        var run = new RunContext
        {
            Options = new RunOptions
            {
                Inventories = sources, HostKeyChecking = config.Bool("host_key_checking", true),
                Timeout = a.Timeout ?? (int.TryParse(config.Default("timeout"), out var t) ? t : 10),
            },
            Vars = vars, Templar = templar, Modules = BuiltinModules.CreateRegistry(), Connections = connections,
            Callback = new DefaultCallback(output, false, 0), Inventory = inventory,
        };
        var play = new Play { Hosts = pattern, PlaybookDir = Directory.GetCurrentDirectory(), Name = "facts" };
        var names = hosts.Select(h => h.Name).ToList();
        var pc = new PlayContext { Play = play, PlayHostsAll = names, ActiveHosts = () => names };
        var rc = ExitCodes.Ok;
        foreach (var host in names)
        {
            try
            {
                var connection = await run.ConnectionFor(host, pc, CancellationToken.None);
                var facts = await FactsProbe.GatherAsync(connection, null, CancellationToken.None);
                var prefixed = new Dict();
                foreach (var (k, v) in facts) prefixed[FactsProbe.OutputName(k)] = v;
                output.WriteLine($"{host} | SUCCESS => {PyStr.JsonDumps(new Dict { ["ansible_facts"] = prefixed, ["changed"] = false }, sortKeys: true, indent: 4)}");
            }
            catch (UnreachableException e)
            {
                output.WriteLine($"{host} | UNREACHABLE! => {PyStr.JsonDumps(new Dict { ["changed"] = false, ["msg"] = e.Message, ["unreachable"] = true }, sortKeys: true, indent: 4)}");
                rc = ExitCodes.Unreachable;
            }
        }
        return rc;
    }
}

using Runner.Engine.Errors;
using Runner.Engine.Execution;
using Runner.Engine.Inventory;
using Runner.Engine.Playbooks;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Variables;
using Runner.Modules;

namespace Runner.Cli;

/// <summary>
/// `runner vars HOST [-i INV] [--playbook FILE] [-e ...] [--explain]`: a host's effective variables (raw, before
/// templating) and, with --explain, which precedence level and file:line each value comes from and which lower
/// levels it beat (the ladder of Ansible's "Understanding variable precedence").
/// `runner vars set HOST KEY=VALUE [--group]` and `runner vars unset HOST KEY [--group]` edit host_vars/HOST.yml
/// (group_vars/GROUP.yml with --group) beside the first inventory, keeping comments and formatting.
/// </summary>
public static class VarsCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var a = VarsArguments.Parse(args);
        if (a.Help) { output.WriteLine(a.HelpText); return ExitCodes.Ok; }
        if (a.Verb != "show") return VarsEdit.Run(a, output);
        var sources = a.Inventories;
        var host = a.Host;
        var playbook = a.Playbook;
        VaultArguments.Activate(a.Vault, Runner.Engine.Config.RunnerConfig.Load());
        if (sources.Count == 0) sources.AddRange(Runner.Engine.Config.RunnerConfig.Load().Paths("inventory"));
        var inventory = InventoryLoader.Load(sources);
        if (inventory.FindHost(host) is null)
            throw new RunnerException($"host '{host}' is not in the inventory", exitCode: ExitCodes.Error);
        var templar = new Templar();
        var extraVars = ExtraVars.Parse(a.ExtraVars);
        Play play;
        if (playbook is not null)
        {
            var registry = BuiltinModules.CreateRegistry();
            var cfg = Runner.Engine.Config.RunnerConfig.Load();
            var loader = new PlaybookLoader(n => registry.Find(n)?.Spec, t => t, Runner.Engine.Config.ContentPaths.Roles(cfg), Runner.Engine.Config.ContentPaths.Collections(cfg));
            var plays = loader.LoadPlaybook(playbook);
            play = plays.FirstOrDefault(p => HostPattern.Select(inventory, p.Hosts).Any(h => h.Name == host))
                   ?? throw new RunnerException($"no play in {playbook} targets {host}", exitCode: ExitCodes.Error);
        }
        else
        {
            play = new Play { Hosts = host, PlaybookDir = Directory.GetCurrentDirectory(), Name = "vars" };
        }
        var manager = new VariableManager(inventory, extraVars, templar,
            new RunSettings(false, false, Array.Empty<string>(), Array.Empty<string>(), sources, null));
        var pc = new PlayContext { Play = play, PlayHostsAll = new List<string> { host }, ActiveHosts = () => new List<string> { host } };
        var scope = manager.ForTask(pc, host, null);
        var layers = scope.Layers.Where(l => l.Level != "magic vars").ToList();
        var keys = layers.SelectMany(l => l.Vars.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (!a.Explain)
        {
            var merged = new Dict();
            foreach (var k in keys)
                for (var i = layers.Count - 1; i >= 0; i--)
                    if (layers[i].Vars.TryGetValue(k, out var v)) { merged[k] = v; break; }
            output.WriteLine(PyStr.JsonDumps(merged, sortKeys: true, indent: 4));
            return ExitCodes.Ok;
        }
        var cwd = Directory.GetCurrentDirectory().TrimEnd('/') + "/";
        string Where(ScopeLayer l, string k)
        {
            var loc = l.OriginOf(k);
            var text = loc is not null ? loc.ToString() : l.Origin;
            return text.StartsWith(cwd) ? text[cwd.Length..] : text;
        }
        foreach (var k in keys)
        {
            var defining = layers.Where(l => l.Vars.ContainsKey(k)).Reverse().ToList();
            var winner = defining[0];
            output.WriteLine($"{k} = {PyStr.JsonDumps(winner.Vars[k], sortKeys: true)}");
            output.WriteLine($"    {winner.Level,-36} {Where(winner, k)}");
            foreach (var beaten in defining.Skip(1))
                output.WriteLine($"      beats {beaten.Level,-30} {Where(beaten, k)} = {PyStr.JsonDumps(beaten.Vars[k], sortKeys: true)}");
        }
        return ExitCodes.Ok;
    }
}

using Runner.Engine.Errors;
using Runner.Engine.Inventory;
using Runner.Engine.Variables;
using Runner.Engine.Yaml;

namespace Runner.Cli;

/// <summary>
/// `runner vars set HOST KEY=VALUE [--group] [-i INV]` and `runner vars unset HOST KEY [--group] [-i INV]`: edit
/// host_vars/HOST.yml (group_vars/GROUP.yml with --group) beside the first inventory in place, keeping comments,
/// order and formatting; VALUE is read as a YAML scalar (8080 is a number, "8080" a string). A file that does not
/// parse is refused and left untouched. Prints "changed: PATH KEY" or "ok: PATH KEY".
/// </summary>
public static class VarsEdit
{
    /// <summary>Runs `vars set ARGS` or `vars unset ARGS` (<paramref name="args"/> starts with the verb).
    /// Errors: <see cref="Parsing.UsageError"/> for a refused command line.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output) => Run(VarsArguments.Parse(args), output);

    /// <summary>Runs `vars set` or `vars unset` as <paramref name="a"/> says; prints what it did to <paramref name="output"/>.</summary>
    public static int Run(VarsArguments a, TextWriter output)
    {
        var verb = a.Verb;
        var sources = a.Inventories;
        var positional = new List<string> { a.Host, a.Setting! };
        var group = a.Group;
        if (sources.Count == 0) sources.AddRange(Runner.Engine.Config.RunnerConfig.Load().Paths("inventory"));
        if (sources.Count == 0) throw new RunnerException("no inventory given (-i)", exitCode: ExitCodes.BadCommandLine);
        var inventory = InventoryLoader.Load(sources);
        var name = positional[0];
        if (group ? !inventory.Groups.ContainsKey(name) : inventory.FindHost(name) is null)
            throw new RunnerException($"{(group ? "group" : "host")} '{name}' is not in the inventory", exitCode: ExitCodes.Error);
        var inv = Path.GetFullPath(sources[0]);
        var baseDir = Directory.Exists(inv) ? inv : Path.GetDirectoryName(inv)!;
        var folder = Path.Combine(baseDir, group ? "group_vars" : "host_vars");
        var path = new[] { ".yml", ".yaml", "" }.Select(e => Path.Combine(folder, name + e)).FirstOrDefault(File.Exists)
                   ?? Path.Combine(folder, name + ".yml");
        EditResult result;
        if (verb == "set")
        {
            var eq = positional[1].IndexOf('=');
            if (eq <= 0) throw new RunnerException("expected KEY=VALUE", exitCode: ExitCodes.BadCommandLine);
            var key = positional[1][..eq];
            var value = YamlLoader.Load(positional[1][(eq + 1)..], "VALUE");
            result = VarsFileEditor.Set(path, key, value);
        }
        else
        {
            result = VarsFileEditor.Unset(path, positional[1]);
        }
        output.WriteLine($"{(result.Changed ? "changed" : "ok")}: {path} {result.Key}");
        return ExitCodes.Ok;
    }
}

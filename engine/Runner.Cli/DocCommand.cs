using System.CommandLine;
using Runner.Cli.Parsing;
using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules;
using Runner.Modules.Docs;

namespace Runner.Cli;

/// <summary>
/// `runner doc`: module documentation as ansible-doc (2.14) prints it. `runner doc MODULE...` prints each page
/// (<see cref="DocText"/>); `-j/--json` prints ansible-doc -j's JSON instead (<see cref="DocJson"/>), keyed by the
/// names as given; `-l/--list` lists every module's FQCN and short description (with -j as a JSON mapping).
/// A module Runner does not have gives "[WARNING]: NAME was not found" on stderr and exit 0, as ansible-doc 2.14.18
/// does (measured: `ansible-doc no_such_mod; echo $?` prints that warning and 0; with -j, `{}`); no name at all is
/// exit 5 with the usage, an unknown option exit 2.
/// </summary>
public static class DocCommand
{
    /// <summary>The command's definition: -j/--json, -l/--list and the module names.</summary>
    private sealed class Definition
    {
        public readonly CliDefinition Cli = new("runner doc", "Shows the documentation of Runner's modules, as ansible-doc does.");
        public readonly AnsibleOption<bool> Json, List;
        public readonly Argument<List<string>> Modules;

        public Definition()
        {
            Json = Cli.Add(Opt.Flag("print the documentation as JSON (ansible-doc -j's shape)", "-j", "--json"));
            List = Cli.Add(Opt.Flag("list the available modules with a one-line description", "-l", "--list"));
            Modules = Cli.PositionalList("MODULE", ArgumentArity.ZeroOrMore, "a module name, short (copy) or fully qualified (ansible.builtin.copy)");
        }
    }

    /// <summary>Runs `runner doc ARGS`: pages to <paramref name="output"/>, warnings and errors to <paramref name="error"/>.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter? error = null, ModuleRegistry? registry = null)
    {
        error ??= Console.Error;
        registry ??= BuiltinModules.CreateRegistry();
        var d = new Definition();
        CliParse p;
        try { p = d.Cli.Parse(args); }
        catch (UsageError e)
        {
            error.WriteLine(e.Text);
            return e.ExitCode;
        }
        if (p.Help) { output.WriteLine(d.Cli.HelpText); return ExitCodes.Ok; }
        bool json = p.Flag(d.Json), list = p.Flag(d.List);
        var names = p.Values(d.Modules);
        if (list) return List(registry, json, output);
        if (names.Count == 0)
        {
            output.WriteLine(d.Cli.HelpText);
            error.WriteLine("ERROR! Missing name(s), incorrect options passed for detailed documentation.");
            return ExitCodes.BadOptions;
        }
        var entries = new Dict();
        foreach (var name in names)
        {
            if (registry.Find(name) is not { } module)
            {
                error.WriteLine($"[WARNING]: {name} was not found");
                continue;
            }
            entries[name] = DocJson.Of(module, ModuleDocs.For(module.Name));
        }
        if (json) output.WriteLine(PyStr.JsonDumps(entries, sortKeys: true, indent: 4));
        else if (entries.Count > 0) output.WriteLine(string.Join("\n", entries.Values.Select(e => DocText.Page((Dict)e!, Columns(output)))));
        return ExitCodes.Ok;
    }

    /// <summary>ansible-doc -l: "%-*s %-*.*s" of each FQCN and its short description, cut to the width left.</summary>
    private static int List(ModuleRegistry registry, bool json, TextWriter output)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (module, _) in registry.Modules)
        {
            var doc = ModuleDocs.For(module.Name);
            rows[doc?.Fqcn ?? module.Name] = doc?.ShortDescription ?? "";
        }
        if (json)
        {
            var d = new Dict();
            foreach (var (k, v) in rows) d[k] = v;
            output.WriteLine(PyStr.JsonDumps(d, sortKeys: true, indent: 4));
            return ExitCodes.Ok;
        }
        var displace = rows.Keys.Max(k => k.Length);
        var lineLimit = Columns(output) - displace - 5;
        foreach (var (name, text) in rows)
        {
            var desc = DocText.TtyIfy(text);
            if (desc.Length > lineLimit) desc = desc[..Math.Max(lineLimit, 0)] + "...";
            output.WriteLine(name.PadRight(displace) + " " + desc.PadRight(lineLimit));
        }
        return ExitCodes.Ok;
    }

    /// <summary>Ansible's Display.columns: the terminal's width less one, at least 79; 79 when not printing to a terminal.</summary>
    private static int Columns(TextWriter output)
    {
        if (output != Console.Out || Console.IsOutputRedirected) return 79;
        try { return Math.Max(79, Console.WindowWidth - 1); }
        catch (IOException) { return 79; }
    }
}

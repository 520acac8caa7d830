using Runner.Engine.Config;
using Runner.Engine.Errors;
using Runner.Engine.Galaxy;

namespace Runner.Cli;

/// <summary>
/// `runner galaxy [role|collection] install|list ...`: ansible-galaxy's option names (-r/--role-file/--requirements-file,
/// -p/--roles-path/--collections-path, -f/--force, -i/--ignore-errors, -n/--no-deps, --format) parsed into
/// <see cref="GalaxyOptions"/>; the work is the engine's (<see cref="GalaxyInstall"/>, <see cref="GalaxyList"/>).
/// A usage error is a usage line, one error line and exit 2, as argparse.
/// </summary>
public static class GalaxyCommand
{
    /// <summary>Runs the command; returns the exit code. Errors: <see cref="Parsing.UsageError"/> for a refused command line.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> argv)
    {
        var a = GalaxyArguments.Parse(argv);
        if (a.Help)
        {
            (a.HelpAsked ? Console.Out : Console.Error).WriteLine(a.HelpText);
            return a.HelpAsked ? ExitCodes.Ok : ExitCodes.BadCommandLine;
        }
        var (type, implicitRole, action, file, paths, items) = (a.Type, a.ImplicitRole, a.Action, a.RequirementsFile, a.Paths, a.Items);
        var (force, ignore, noDeps) = (a.Force, a.IgnoreErrors, a.NoDeps);
        var cfg = RunnerConfig.Load();
        var given = paths.SelectMany(p => p.Split(':', StringSplitOptions.RemoveEmptyEntries)).Select(Absolute).ToList();
        var collections = ContentPaths.Collections(cfg);
        var options = new GalaxyOptions
        {
            Type = type, ImplicitRole = implicitRole, RequirementsFile = file, Items = items, Force = force, IgnoreErrors = ignore, NoDeps = noDeps,
            RolesPaths = given.Concat(ContentPaths.Roles(cfg)).Distinct().ToList(), RolesPathGiven = given.Count > 0,
            CollectionsPaths = action == "install" && type == "collection" && given.Count > 0 ? [given[0], .. collections] : given.Concat(collections).Distinct().ToList(),
        };
        var output = new GalaxyOutput(Console.Out, Console.Error);
        if (action == "install") return await GalaxyInstall.RunAsync(options, output);
        return type == "collection"
            ? GalaxyList.Collections(options with { CollectionsPaths = options.CollectionsPaths }, output, collections, a.Format == "json")
            : GalaxyList.Roles(options, output);
    }

    private static string Absolute(string p) =>
        Path.GetFullPath(p.StartsWith('~') ? Environment.GetEnvironmentVariable("HOME") + p[1..] : p);
}

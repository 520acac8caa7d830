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
    private const string UsageLine = "usage: runner galaxy [role|collection] {install,list} [-h] [-r FILE] [-p PATH] [-f] [-i] [-n] [name ...]";

    /// <summary>The help text.</summary>
    public const string Help = $"""
        {UsageLine}

        Installs roles and collections offline (paths, tar.gz archives, git URLs with a ref) and lists them, as ansible-galaxy.

          install [name|path|url ...]   install roles (`role install`, the default) or collections (`collection install`)
          list [name]                   list installed roles (`role list`, the default) or collections (`collection list`)
          -r, --role-file, --requirements-file FILE   a requirements.yml (roles and, without -p, its collections)
          -p, --roles-path, --collections-path PATH   where to install (and where else to look when listing)
          -f, --force                   reinstall what is installed
          -i, --ignore-errors           go on after a role that failed
          -n, --no-deps                 do not install role dependencies
          --format human|json           collection list output
        """;

    /// <summary>Runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> argv)
    {
        var args = argv.ToList();
        var type = "role";
        var implicitRole = true;
        if (args.Count > 0 && args[0] is "role" or "collection") { type = args[0]; implicitRole = false; args.RemoveAt(0); }
        if (args.Count == 0 || args[0] is "-h" or "--help") { Console.WriteLine(Help); return args.Count == 0 ? ExitCodes.BadCommandLine : ExitCodes.Ok; }
        var action = args[0];
        if (action is not ("install" or "list")) return UsageError($"argument ACTION: invalid choice: '{action}' (choose from 'install', 'list')");
        string? file = null, format = null;
        var paths = new List<string>();
        bool force = false, ignore = false, noDeps = false;
        var items = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            var a = args[i];
            string? inline = null;
            if (a.StartsWith("--") && a.Contains('=')) (a, inline) = (a[..a.IndexOf('=')], a[(a.IndexOf('=') + 1)..]);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"argument {a}: expected one argument"));
            try
            {
                switch (a)
                {
                    case "-h" or "--help": Console.WriteLine(Help); return ExitCodes.Ok;
                    case "-r" or "--role-file" or "--requirements-file": file = Value(); break;
                    case "-p" or "--roles-path" or "--collections-path": paths.Add(Value()); break;
                    case "-f" or "--force" or "--force-with-deps": force = true; break;
                    case "-i" or "--ignore-errors": ignore = true; break;
                    case "-n" or "--no-deps": noDeps = true; break;
                    case "--format": format = Value(); break;
                    case "--offline" or "-g" or "--keep-scm-meta": break;
                    case "-v" or "-vv" or "-vvv" or "-vvvv" or "--verbose": break;
                    default:
                        if (a.StartsWith('-') && a.Length > 1) return UsageError($"unrecognized arguments: {a}");
                        items.Add(a);
                        break;
                }
            }
            catch (UsageException e) { return UsageError(e.Message); }
        }
        if (format is not (null or "human" or "json")) return UsageError($"argument --format: invalid choice: '{format}' (choose from 'human', 'json')");
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
            ? GalaxyList.Collections(options with { CollectionsPaths = options.CollectionsPaths }, output, collections, format == "json")
            : GalaxyList.Roles(options, output);
    }

    private static string Absolute(string p) =>
        Path.GetFullPath(p.StartsWith('~') ? Environment.GetEnvironmentVariable("HOME") + p[1..] : p);

    private sealed class UsageException(string message) : Exception(message);

    private static int UsageError(string message)
    {
        Console.Error.WriteLine(UsageLine);
        Console.Error.WriteLine($"runner galaxy: error: {message}");
        return ExitCodes.BadCommandLine;
    }
}

using System.CommandLine;
using Runner.Cli.Parsing;

namespace Runner.Cli;

/// <summary>
/// The options of `runner galaxy [role|collection] install|list`, as ansible-galaxy 2.14's argument parser takes
/// them (lib/ansible/cli/galaxy.py): TYPE role or collection, `role` when the first word is neither (as
/// GalaxyCLI inserts it); install takes -r (--role-file for roles, --requirements-file for collections),
/// -p (--roles-path / --collections-path), -f/--force, -i/--ignore-errors, -n/--no-deps | --force-with-deps,
/// -g/--keep-scm-meta (roles), --offline (collections) and names; list takes -p and one name, and collection
/// list --format human|json. -v/--verbose everywhere. A refused command line is a <see cref="UsageError"/>, exit 2.
/// </summary>
public sealed class GalaxyArguments
{
    /// <summary>"role" or "collection".</summary>
    public string Type { get; private init; } = "role";
    /// <summary>True when no TYPE was written (ansible-galaxy then also installs a requirements file's collections).</summary>
    public bool ImplicitRole { get; private init; }
    /// <summary>"install" or "list".</summary>
    public string Action { get; private init; } = "";
    public string? RequirementsFile { get; private init; }
    /// <summary>Every -p value, as given (each may be a colon-separated list).</summary>
    public List<string> Paths { get; private init; } = new();
    public bool Force { get; private init; }
    public bool IgnoreErrors { get; private init; }
    public bool NoDeps { get; private init; }
    /// <summary>collection list --format: "human" (default) or "json".</summary>
    public string Format { get; private init; } = "human";
    /// <summary>The names, paths or URLs to install, or the one name to list.</summary>
    public List<string> Items { get; private init; } = new();
    /// <summary>-h/--help, or a command named without its action: print <see cref="HelpText"/>.</summary>
    public bool Help { get; private init; }
    /// <summary>True when the help was asked for (exit 0) rather than shown for a missing action (exit 2).</summary>
    public bool HelpAsked { get; private init; }
    public string HelpText { get; private init; } = "";

    /// <summary>Parses the arguments after `galaxy`. Errors: <see cref="UsageError"/>.</summary>
    public static GalaxyArguments Parse(IReadOnlyList<string> argv)
    {
        var args = argv.ToList();
        var implicitRole = args.Count > 0 && args[0] is not ("role" or "collection" or "-h" or "--help");
        if (implicitRole) args.Insert(0, "role");
        var top = new CliDefinition("runner galaxy", "Perform various Role and Collection related operations.");
        var verbose = top.Add(Verbose());
        var actions = new Dictionary<CliDefinition, ActionDefinition>();
        foreach (var type in new[] { "collection", "role" })
        {
            var typeCli = top.Sub(new CliDefinition($"runner galaxy {type}", $"Manage an Ansible Galaxy {type}."));
            typeCli.Add(Verbose());
            actions[typeCli] = new ActionDefinition(typeCli, type, "");
            foreach (var name in new[] { "install", "list" })
            {
                var cli = typeCli.Sub(new CliDefinition($"runner galaxy {type} {name}", name == "install" ? $"Install {type}(s)." : $"Show the name and version of each {type} installed."));
                actions[cli] = new ActionDefinition(cli, type, name);
            }
        }
        var p = top.Parse(args);
        if (!actions.TryGetValue(p.Leaf, out var action) || action.Name == "")
            return new GalaxyArguments { Help = true, HelpAsked = p.Help, HelpText = p.Leaf.HelpText };
        if (p.Help) return new GalaxyArguments { Help = true, HelpAsked = true, HelpText = p.Leaf.HelpText };
        _ = verbose;
        return action.Read(p, implicitRole);
    }

    private static AnsibleOption<bool> Verbose() =>
        Opt.Flag("Causes Ansible to print more debug messages. Adding multiple -v will increase the verbosity.", "-v", "--verbose");

    /// <summary>One action's options.</summary>
    private sealed class ActionDefinition
    {
        public readonly string Type, Name;
        private readonly CliDefinition _cli;
        private readonly AnsibleOption<List<string>>? _file, _paths, _format;
        private readonly AnsibleOption<bool>? _force, _ignore, _noDeps, _forceWithDeps;
        private readonly Argument<List<string>>? _items;
        private readonly Argument<string>? _name;

        public ActionDefinition(CliDefinition cli, string type, string name)
        {
            (_cli, Type, Name) = (cli, type, name);
            if (name == "") return;
            cli.Add(Verbose());
            var pathNames = type == "role" ? new[] { "-p", "--roles-path" } : new[] { "-p", "--collections-path" };
            if (name == "list")
            {
                _paths = cli.Add(Opt.Text(type == "role" ? "ROLES_PATH" : "COLLECTIONS_PATH", $"One or more directories to search for {type}s", pathNames));
                if (type == "collection") _format = cli.Add(Opt.Text("{human,json}", "Format to display the list of collections in.", "--format"));
                _name = cli.OptionalPositional(type, $"The {type} name");
                return;
            }
            _force = cli.Add(Opt.Flag("Force overwriting an existing role or collection", "-f", "--force"));
            _paths = cli.Add(Opt.Text(type == "role" ? "ROLES_PATH" : "COLLECTIONS_PATH", $"The path to the directory containing your {type}s", pathNames));
            _ignore = cli.Add(Opt.Flag("Ignore errors and continue with the next specified role or collection.", "-i", "--ignore-errors"));
            _noDeps = cli.Add(Opt.Flag("Don't download roles listed as dependencies.", "-n", "--no-deps"));
            _forceWithDeps = cli.Add(Opt.Flag("Force overwriting an existing role and its dependencies.", "--force-with-deps"));
            cli.Excludes(_noDeps, _forceWithDeps);
            _file = cli.Add(type == "role"
                ? Opt.Text("REQUIREMENTS", "A file containing a list of roles to be installed.", "-r", "--role-file")
                : Opt.Text("REQUIREMENTS", "A file containing a list of collections to be installed.", "-r", "--requirements-file"));
            if (type == "role") cli.Add(Opt.Flag("Use tar instead of the scm archive option when packaging the role.", "-g", "--keep-scm-meta"));
            else cli.Add(Opt.Flag("Install collection artifacts (tarballs) without contacting any distribution servers.", "--offline"));
            _items = cli.PositionalList(type == "role" ? "role_name" : "collection_name", ArgumentArity.ZeroOrMore, type == "role" ? "Role name, URL or tar file" : "The collection(s) name or path/url to a tar.gz collection artifact.");
        }

        public GalaxyArguments Read(CliParse p, bool implicitRole)
        {
            var format = _format is null ? null : p.Last(_format);
            if (format is not (null or "human" or "json"))
                throw new UsageError(_cli.Prog, _cli.UsageText, $"argument --format: invalid choice: '{format}' (choose from 'human', 'json')");
            bool Flag(AnsibleOption<bool>? o) => o is not null && p.Flag(o);
            return new GalaxyArguments
            {
                Type = Type, ImplicitRole = implicitRole, Action = Name,
                RequirementsFile = _file is null ? null : p.Last(_file),
                Paths = _paths is null ? new() : p.All(_paths),
                Force = Flag(_force) || Flag(_forceWithDeps), IgnoreErrors = Flag(_ignore), NoDeps = Flag(_noDeps),
                Format = format ?? "human",
                Items = _items is not null ? p.Values(_items) : _name is not null && p.Value(_name) is { Length: > 0 } n ? [n] : new(),
            };
        }
    }
}

using System.CommandLine;
using Runner.Cli.Parsing;

namespace Runner.Cli;

/// <summary>
/// The options of `runner play`, spelled as ansible-playbook 2.14's
/// (https://docs.ansible.com/ansible/latest/cli/ansible-playbook.html): the same names, short forms, bundling
/// (-vvv, -Cv) and --opt=value forms. "store" options (-l, -u, -f, ...) keep the last value given, "append" ones
/// (-i, -e, -t, --skip-tags, --vault-id, --vault-password-file) every value. A refused command line is a
/// <see cref="UsageError"/> (exit 2), as argparse's; --forks below 1 too ("The number of processes (--forks)
/// must be >= 1").
/// </summary>
public sealed class PlayArguments
{
    public List<string> Playbooks { get; private init; } = new();
    public List<string> Inventories { get; private init; } = new();
    /// <summary>-l/--limit: the last one given (ansible-playbook keeps only the last); "@FILE" reads patterns from FILE.</summary>
    public string? Limit { get; private init; }
    public List<string> Tags { get; private init; } = new();
    public List<string> SkipTags { get; private init; } = new();
    public bool Check { get; private init; }
    public bool Diff { get; private init; }
    public List<string> ExtraVars { get; private init; } = new();
    public int? Forks { get; private init; }
    /// <summary>How many -v were given (-vvv is 3).</summary>
    public int Verbosity { get; private init; }
    public bool ListHosts { get; private init; }
    public bool ListTasks { get; private init; }
    public bool ListTags { get; private init; }
    public bool SyntaxCheck { get; private init; }
    /// <summary>-h/--help: print <see cref="HelpText"/> and exit 0.</summary>
    public bool Help { get; private init; }
    public string? StartAtTask { get; private init; }
    public bool ForceHandlers { get; private init; }
    /// <summary>-b/--become: true when given, null otherwise (the configuration decides).</summary>
    public bool? Become { get; private init; }
    public string? BecomeUser { get; private init; }
    public string? BecomeMethod { get; private init; }
    public bool AskBecomePass { get; private init; }
    public string? User { get; private init; }
    public string? PrivateKey { get; private init; }
    public string? Connection { get; private init; }
    public string? StdoutCallback { get; private init; }
    /// <summary>-T/--timeout in seconds.</summary>
    public int? Timeout { get; private init; }
    /// <summary>--vault-id, --vault-password-file, --ask-vault-pass.</summary>
    public Runner.Engine.Vault.VaultOptions Vault { get; private init; } = new();

    /// <summary>The help text of `runner play`.</summary>
    public static string HelpText => new Definition().Cli.HelpText;

    /// <summary>Parses the arguments after `play`. Errors: <see cref="UsageError"/>.</summary>
    public static PlayArguments Parse(IReadOnlyList<string> args) => new Definition().Read(args);

    /// <summary>The command's options, declared in ansible-playbook's order.</summary>
    private sealed class Definition
    {
        public readonly CliDefinition Cli = new("runner play", "Runs Ansible playbooks, executing the defined tasks on the targeted hosts.");
        private readonly AnsibleOption<bool> _verbose, _forceHandlers, _become, _askBecome, _check, _diff, _listHosts, _syntax, _listTasks, _listTags;
        private readonly AnsibleOption<List<string>> _key, _user, _connection, _becomeMethod, _becomeUser, _tags, _skipTags, _inventory, _limit, _extra, _startAt, _callback;
        private readonly AnsibleOption<List<int>> _timeout, _forks;
        private readonly VaultArguments _vault;
        private readonly Argument<List<string>> _playbooks;

        public Definition()
        {
            var c = Cli;
            _verbose = c.Add(Opt.Flag("Causes Ansible to print more debug messages. Adding multiple -v will increase the verbosity.", "-v", "--verbose"));
            _key = c.Add(Opt.Text("PRIVATE_KEY_FILE", "use this file to authenticate the connection", "--private-key", "--key-file"));
            _user = c.Add(Opt.Text("REMOTE_USER", "connect as this user (default=None)", "-u", "--user"));
            _connection = c.Add(Opt.Text("CONNECTION", "connection type to use (default=smart)", "-c", "--connection"));
            _timeout = c.Add(Opt.Int("TIMEOUT", "override the connection timeout in seconds (default=10)", "-T", "--timeout"));
            _forceHandlers = c.Add(Opt.Flag("run handlers even if a task fails", "--force-handlers"));
            _become = c.Add(Opt.Flag("run operations with become (does not imply password prompting)", "-b", "--become"));
            _becomeMethod = c.Add(Opt.Text("BECOME_METHOD", "privilege escalation method to use (default=sudo)", "--become-method"));
            _becomeUser = c.Add(Opt.Text("BECOME_USER", "run operations as this user (default=root)", "--become-user"));
            _askBecome = c.Add(Opt.Flag("ask for privilege escalation password", "-K", "--ask-become-pass"));
            _tags = c.Add(Opt.Text("TAGS", "only run plays and tasks tagged with these values", "-t", "--tags"));
            _skipTags = c.Add(Opt.Text("SKIP_TAGS", "only run plays and tasks whose tags do not match these values", "--skip-tags"));
            _check = c.Add(Opt.Flag("don't make any changes; instead, try to predict some of the changes that may occur", "-C", "--check"));
            _diff = c.Add(Opt.Flag("when changing (small) files and templates, show the differences in those files; works great with --check", "-D", "--diff"));
            _inventory = c.Add(Opt.Text("INVENTORY", "specify inventory host path or comma separated host list", "-i", "--inventory", "--inventory-file"));
            _listHosts = c.Add(Opt.Flag("outputs a list of matching hosts; does not execute anything else", "--list-hosts"));
            _limit = c.Add(Opt.Text("SUBSET", "further limit selected hosts to an additional pattern (@FILE: the patterns in FILE, one a line)", "-l", "--limit"));
            _extra = c.Add(Opt.Text("EXTRA_VARS", "set additional variables as key=value or YAML/JSON, if filename prepend with @", "-e", "--extra-vars"));
            _vault = VaultArguments.AddTo(c);
            _forks = c.Add(Opt.Int("FORKS", "specify number of parallel processes to use (default=5)", "-f", "--forks"));
            _syntax = c.Add(Opt.Flag("perform a syntax check on the playbook, but do not execute it", "--syntax-check"));
            _listTasks = c.Add(Opt.Flag("list all tasks that would be executed", "--list-tasks"));
            _listTags = c.Add(Opt.Flag("list all available tags", "--list-tags"));
            _startAt = c.Add(Opt.Text("START_AT_TASK", "start the playbook at the task matching this name", "--start-at-task"));
            _callback = c.Add(Opt.Text("STDOUT_CALLBACK", "the output format: default, json, transcript or junit (Runner's; ansible-playbook takes it from the configuration)", "--stdout-callback"));
            _playbooks = c.PositionalList("playbook", ArgumentArity.OneOrMore, "Playbook(s)");
        }

        public PlayArguments Read(IReadOnlyList<string> args)
        {
            var p = Cli.Parse(args);
            if (p.Help) return new PlayArguments { Help = true };
            var forks = p.Last(_forks);
            if (forks is < 1) throw new UsageError(Cli.Prog, Cli.UsageText, "The number of processes (--forks) must be >= 1");
            return new PlayArguments
            {
                Playbooks = p.Values(_playbooks),
                Inventories = p.All(_inventory),
                Limit = p.Last(_limit),
                Tags = p.All(_tags),
                SkipTags = p.All(_skipTags),
                Check = p.Flag(_check),
                Diff = p.Flag(_diff),
                ExtraVars = p.All(_extra),
                Forks = forks,
                Verbosity = p.Count(_verbose),
                ListHosts = p.Flag(_listHosts),
                ListTasks = p.Flag(_listTasks),
                ListTags = p.Flag(_listTags),
                SyntaxCheck = p.Flag(_syntax),
                StartAtTask = p.Last(_startAt),
                ForceHandlers = p.Flag(_forceHandlers),
                Become = p.Flag(_become) ? true : null,
                BecomeUser = p.Last(_becomeUser),
                BecomeMethod = p.Last(_becomeMethod),
                AskBecomePass = p.Flag(_askBecome),
                User = p.Last(_user),
                PrivateKey = p.Last(_key),
                Connection = p.Last(_connection),
                StdoutCallback = p.Last(_callback),
                Timeout = p.Last(_timeout),
                Vault = _vault.Read(p),
            };
        }
    }
}

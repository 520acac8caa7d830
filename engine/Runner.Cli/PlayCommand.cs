using Runner.Engine.Config;
using Runner.Engine.Errors;
using Runner.Engine.Execution;
using Runner.Engine.Inventory;
using Runner.Engine.Modules;
using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Variables;
using Runner.Modules;

namespace Runner.Cli;

/// <summary>`runner play PLAYBOOK...`: runs playbooks as ansible-playbook does and returns its exit code.</summary>
public static class PlayCommand
{
    /// <summary>Runs `runner play` with these arguments; results go to <paramref name="output"/> (stdout by default).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter? output = null)
    {
        output ??= Console.Out;
        var args = PlayArguments.Parse(argv);
        if (args.Help) { output.WriteLine(PlayArguments.HelpText); return ExitCodes.Ok; }
        var config = RunnerConfig.Load();
        VaultArguments.Activate(args.Vault, config);
        var options = BuildOptions(args, config);
        // CLI.run: from -v on, which configuration file the run uses
        if (options.Verbosity >= 1)
            output.WriteLine(config.Path is null ? "No config file found; using defaults" : $"Using {config.Path} as config file");
        var templar = new Templar { AnsibleManaged = config.Default("ansible_managed") ?? "Ansible managed" };
        var registry = BuiltinModules.CreateRegistry();
        var inventory = InventoryLoader.Load(options.Inventories);
        foreach (var w in inventory.Warnings) Console.Error.WriteLine(Runner.Engine.Results.WarningText.Format(w));
        // CLI.get_host_list: an inventory without hosts leaves only the implicit localhost (LOCALHOST_WARNING)
        if (inventory.Hosts.Count == 0)
            Console.Error.WriteLine(Runner.Engine.Results.WarningText.Format(
                "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'"));

        var loader = new PlaybookLoader(n => registry.Find(n)?.Spec,
            text => Templar.IsTemplate(text) ? templar.RenderString(text, new DictionaryScope(options.ExtraVars)) : text,
            options.RolesPath, options.CollectionsPath);
        var plays = new List<Play>();
        foreach (var pb in args.Playbooks) plays.AddRange(loader.LoadPlaybook(pb));

        if (args.SyntaxCheck)
        {
            output.WriteLine();
            output.WriteLine($"playbook: {string.Join(", ", args.Playbooks)}");
            return ExitCodes.Ok;
        }
        if (args.ListHosts || args.ListTasks || args.ListTags)
            return Listing.Print(plays, inventory, options, args, output);

        var (callback, forPeople) = CreateCallback(args, config, options.Verbosity, output);
        // the live line goes with the default callback's screen output, never into json or transcripts
        var taskProgress = forPeople && ReferenceEquals(output, Console.Out) ? LiveTaskLine.ForConsole() : NoTaskProgress.Instance;
        using var stopProgress = taskProgress as IDisposable;
        templar.Warn = w => { taskProgress.Suspend(); callback.Warning(w); };
        var vars = new VariableManager(inventory, options.ExtraVars, templar,
            new RunSettings(options.Check, options.Diff, options.Tags, options.SkipTags, options.Inventories, config.Path));
        await using var connections = new ConnectionProvider(options.Connection);
        var run = new RunContext
        {
            Options = options, Vars = vars, Templar = templar, Modules = registry,
            Connections = connections, Callback = callback, Inventory = inventory, Progress = taskProgress,
        };
        var executor = new PlaybookExecutor(run, loader);
        foreach (var pb in args.Playbooks) callback.PlaybookStart(pb);
        using var interrupt = new InterruptSignals();
        return await executor.RunAsync(plays, interrupt.Token);
    }

    private static RunOptions BuildOptions(PlayArguments a, RunnerConfig cfg)
    {
        var inventories = a.Inventories.Count > 0 ? a.Inventories.ToList() : cfg.Paths("inventory");
        if (inventories.Count == 0 && File.Exists("/etc/ansible/hosts")) inventories.Add("/etc/ansible/hosts");
        var forks = a.Forks
            ?? (int.TryParse(Environment.GetEnvironmentVariable("RUNNER_FORKS"), out var ef) && ef > 0 ? ef : (int?)null)
            ?? (int.TryParse(cfg.Get("defaults", "forks"), out var cf) && cf > 0 ? cf : 5);
        var rolesPath = ContentPaths.Roles(cfg);
        return new RunOptions
        {
            Inventories = inventories,
            Limit = a.Limit,
            Tags = a.Tags,
            SkipTags = a.SkipTags,
            Check = a.Check,
            Diff = a.Diff,
            ExtraVars = ExtraVars.Parse(a.ExtraVars),
            Forks = forks,
            StartAtTask = a.StartAtTask,
            ForceHandlers = a.ForceHandlers || cfg.Bool("force_handlers", false),
            Become = a.Become ?? (cfg.Default("become") is not null ? cfg.Bool("become", false) : null),
            BecomeUser = a.BecomeUser ?? cfg.Default("become_user"),
            BecomeMethod = a.BecomeMethod ?? cfg.Default("become_method"),
            BecomePassword = a.AskBecomePass ? TerminalPrompt.ReadSecret("BECOME password: ") : null,
            RemoteUser = a.User ?? cfg.Default("remote_user"),
            PrivateKey = a.PrivateKey ?? cfg.Paths("private_key_file").FirstOrDefault(),
            Connection = a.Connection,
            Verbosity = a.Verbosity,
            RolesPath = rolesPath,
            CollectionsPath = ContentPaths.Collections(cfg),
            ConfigFile = cfg.Path,
            HostKeyChecking = cfg.Bool("host_key_checking", true),
            Timeout = a.Timeout ?? (int.TryParse(cfg.Default("timeout"), out var t) ? t : 10),
            Gathering = cfg.Default("gathering") ?? "implicit",
            FactCacheDir = cfg.Default("fact_caching") is "jsonfile" or "ansible.builtin.jsonfile" ? cfg.Paths("fact_caching_connection").FirstOrDefault() : null,
            FactCacheTimeout = int.TryParse(cfg.Default("fact_caching_timeout"), out var fct) ? fct : 86400,
        };
    }

    private static (IRunCallback Callback, bool ForPeople) CreateCallback(PlayArguments a, RunnerConfig cfg, int verbosity, TextWriter output)
    {
        var name = a.StdoutCallback ?? Environment.GetEnvironmentVariable("RUNNER_STDOUT_CALLBACK") ?? cfg.Get("defaults", "stdout_callback") ?? "default";
        var color = Environment.GetEnvironmentVariable("NO_COLOR") is null && !Console.IsOutputRedirected;
        IRunCallback stdout = name switch
        {
            "transcript" => new TranscriptCallback(output),
            "json" or "ansible.posix.json" => new JsonCallback(output),
            _ => new DefaultCallback(output, color && ReferenceEquals(output, Console.Out), verbosity),
        };
        var enabled = (Environment.GetEnvironmentVariable("RUNNER_CALLBACKS_ENABLED") ?? cfg.Get("defaults", "callbacks_enabled") ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (name is "junit" or "community.general.junit" || enabled.Any(e => e is "junit" or "community.general.junit"))
            return (new CompositeCallback(stdout, new JunitCallback(JunitCallback.DefaultOutputDir())), stdout is DefaultCallback);
        return (stdout, stdout is DefaultCallback);
    }
}

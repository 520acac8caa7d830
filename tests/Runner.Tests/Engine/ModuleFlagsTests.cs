using Runner.Engine.Connections;
using Runner.Engine.Execution;
using Runner.Engine.Inventory;
using Runner.Engine.Modules;
using Runner.Engine.Playbooks;
using Runner.Engine.Results;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Variables;
using Runner.Modules;

namespace Runner.Tests.Engine;

/// <summary>
/// The engine reads module behaviour from <see cref="ModuleSpec"/> flags, never from names: test-only modules under
/// new names, given debug's, set_fact's, include_vars', setup's and command's flags, behave as those modules do
/// (shown always, facts in the right variable layer, no connection opened, free-form text parsed as a command).
/// </summary>
public sealed class ModuleFlagsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-flags-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A module made of a spec and a function of its arguments.</summary>
    private sealed class Flagged(string name, ModuleSpec spec, Func<ModuleContext, Dict> run) : IModule
    {
        public string Name => name;
        public ModuleSpec Spec => spec;
        public Dict? LastArgs { get; private set; }

        public Task<Dict> RunAsync(ModuleContext context, CancellationToken ct)
        {
            LastArgs = context.Args;
            return Task.FromResult(run(context));
        }
    }

    /// <summary>Counts the connections the executor asks for; gives local ones.</summary>
    private sealed class CountingConnections : IConnectionProvider
    {
        public int Asked;

        public Task<IConnection> GetAsync(string host, IReadOnlyDictionary<string, object?> connectionVars, CancellationToken ct)
        {
            Interlocked.Increment(ref Asked);
            return Task.FromResult<IConnection>(new LocalConnection(host));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static readonly OptionSpec[] MsgOnly = { new("msg", OptionType.Raw) };

    /// <summary>debug's flags under another name: prints its msg.</summary>
    private static Flagged Say() => new("say", new ModuleSpec(MsgOnly, RunsOnController: true)
        { NeedsConnection = false, VerboseAlways = true, ShowsOnlyOutput = true },
        c => new Dict { ["msg"] = c.Args.GetValueOrDefault("msg"), ["changed"] = false });

    /// <summary>The same module without flags: needs a connection, shows nothing without -v.</summary>
    private static Flagged Plain() => new("plain", new ModuleSpec(MsgOnly),
        c => new Dict { ["msg"] = c.Args.GetValueOrDefault("msg"), ["changed"] = false });

    /// <summary>A module whose every argument becomes a fact in <paramref name="layer"/>.</summary>
    private static Flagged Facts(string name, FactsLayer layer) => new(name,
        new ModuleSpec(Array.Empty<OptionSpec>(), AcceptsAnyArgs: true, RunsOnController: true) { NeedsConnection = false, FactsLayer = layer },
        c => new Dict { ["ansible_facts"] = new Dict(c.Args), ["changed"] = false });

    private sealed record Run(int Rc, string Out, HostRunVars Vars, int ConnectionsAsked);

    private async Task<Run> Play(string tasks, ModuleRegistry modules, string gather = "false")
    {
        File.WriteAllText(Path.Combine(_dir, "inventory.yml"), "all:\n  hosts:\n    box:\n      ansible_connection: local\n");
        var indented = string.Join("\n", tasks.Split('\n').Select(l => "    " + l));
        File.WriteAllText(Path.Combine(_dir, "site.yml"), $"- hosts: all\n  gather_facts: {gather}\n  tasks:\n{indented}\n");
        var output = new StringWriter();
        var inventory = InventoryLoader.Load(new[] { Path.Combine(_dir, "inventory.yml") });
        var templar = new Templar();
        var options = new RunOptions { Inventories = new() { Path.Combine(_dir, "inventory.yml") } };
        var vars = new VariableManager(inventory, new Dict(), templar,
            new RunSettings(false, false, Array.Empty<string>(), Array.Empty<string>(), options.Inventories, null));
        var connections = new CountingConnections();
        var run = new RunContext
        {
            Options = options, Vars = vars, Templar = templar, Modules = modules, Connections = connections,
            Callback = new DefaultCallback(output, false, 0), Inventory = inventory,
        };
        var loader = new PlaybookLoader(n => modules.Find(n)?.Spec, t => t, Array.Empty<string>());
        var rc = await new PlaybookExecutor(run, loader).RunAsync(loader.LoadPlaybook(Path.Combine(_dir, "site.yml")));
        return new Run(rc, output.ToString(), vars.State("box"), connections.Asked);
    }

    private static ModuleRegistry Builtins(params IModule[] extra)
    {
        var r = BuiltinModules.CreateRegistry();
        foreach (var m in extra) r.Add(m);
        return r;
    }

    [Fact]
    public async Task An_assert_without_quiet_is_shown_indented_ok_or_failed_and_with_quiet_as_one_line()
    {
        // as ansible-playbook 2.14 prints them (assert.py sets _ansible_verbose_always unless quiet)
        var run = await Play(
            "- assert: {that: ['1 == 1']}\n" +
            "- assert: {that: ['1 == 1'], quiet: true}\n" +
            "- assert: {that: ['item == 1']}\n  loop: [1, 2]\n  ignore_errors: true\n" +
            "- assert: {that: ['1 == 2'], quiet: true}\n  ignore_errors: true\n" +
            "- assert: {that: ['1 == 2']}\n  register: r\n  ignore_errors: true\n" +
            "- debug: {msg: \"{{ r.keys() | sort }}\"}", Builtins());
        Assert.Contains("ok: [box] => {\n    \"changed\": false,\n    \"msg\": \"All assertions passed\"\n}\n", run.Out);
        Assert.Contains("\nok: [box]\n", run.Out);
        Assert.Contains("ok: [box] => (item=1) => {\n    \"ansible_loop_var\": \"item\",\n    \"changed\": false,\n    \"item\": 1,\n", run.Out);
        Assert.Contains("failed: [box] (item=2) => {\n    \"ansible_loop_var\": \"item\",\n    \"assertion\": \"item == 1\",\n", run.Out);
        Assert.Contains("fatal: [box]: FAILED! => {\"assertion\": \"1 == 2\", \"changed\": false, \"evaluated_to\": false, \"msg\": \"Assertion failed\"}\n", run.Out);
        Assert.Contains("fatal: [box]: FAILED! => {\n    \"assertion\": \"1 == 2\",\n    \"changed\": false,\n    \"evaluated_to\": false,\n    \"msg\": \"Assertion failed\"\n}\n", run.Out);
        // the flag is the callback's: a registered result does not carry it
        Assert.Contains("\"msg\": [\n        \"assertion\",\n        \"changed\",\n        \"evaluated_to\",\n        \"failed\",\n        \"msg\"\n    ]", run.Out);
    }

    [Fact]
    public async Task A_module_with_debugs_flags_is_shown_as_debug_is_and_opens_no_connection()
    {
        var viaDebug = await Play("- name: hello\n  debug:\n    msg: hi {{ 1 + 1 }}", Builtins(Say()));
        var viaSay = await Play("- name: hello\n  say:\n    msg: hi {{ 1 + 1 }}", Builtins(Say()));
        Assert.Equal(0, viaSay.Rc);
        Assert.Contains("ok: [box] => {\n    \"msg\": \"hi 2\"\n}", viaSay.Out);
        Assert.Equal(viaDebug.Out, viaSay.Out);
        Assert.Equal(0, viaDebug.ConnectionsAsked);
        Assert.Equal(0, viaSay.ConnectionsAsked);

        // without the flags: the result is not shown at verbosity 0, and the executor asks for a connection
        var viaPlain = await Play("- name: hello\n  plain:\n    msg: hi", Builtins(Plain()));
        Assert.Contains("ok: [box]\n", viaPlain.Out);
        Assert.DoesNotContain("\"msg\"", viaPlain.Out);
        Assert.Equal(1, viaPlain.ConnectionsAsked);
    }

    [Fact]
    public async Task A_module_that_declares_no_connection_and_uses_one_fails_with_a_clear_message()
    {
        var sneaky = new Flagged("sneaky", new ModuleSpec(MsgOnly, RunsOnController: true) { NeedsConnection = false },
            c => { c.Connection.ExecAsync("true").GetAwaiter().GetResult(); return new Dict(); });
        var r = await Play("- sneaky: {}", Builtins(sneaky));
        Assert.Equal(2, r.Rc);
        Assert.Contains("module sneaky declares no connection (ModuleSpec.NeedsConnection = false) but used one on box", r.Out);
        Assert.Equal(0, r.ConnectionsAsked);
    }

    [Fact]
    public async Task Facts_land_in_the_layer_the_spec_names_and_loops_carry_them_as_set_fact_does()
    {
        var modules = Builtins(Facts("remember", FactsLayer.SetFacts), Facts("load", FactsLayer.IncludeVars), Facts("observe", FactsLayer.HostFacts));
        var r = await Play("""
            - remember: {a: 1}
            - load: {b: 2}
            - observe: {c: 3, ansible_d: 4}
            - remember:
                acc: "{{ (acc | default([])) + [item] }}"
              loop: [x, y, z]
            - debug: msg="{{ a }} {{ b }} {{ c }} {{ ansible_d }} {{ acc | join(',') }}"
            """, modules);
        Assert.Equal(0, r.Rc);
        Assert.Contains("\"msg\": \"1 2 3 4 x,y,z\"", r.Out);
        Assert.Equal(1L, r.Vars.SetFacts["a"]);
        Assert.False(r.Vars.IncludeVars.ContainsKey("a"));
        Assert.Equal(2L, r.Vars.IncludeVars["b"]);
        Assert.False(r.Vars.SetFacts.ContainsKey("b"));
        Assert.Equal(3L, r.Vars.Facts["c"]);
        Assert.Contains("c", r.Vars.BareFacts);
        Assert.Equal(4L, r.Vars.Facts["d"]);
        Assert.DoesNotContain("d", r.Vars.BareFacts);
        Assert.Equal(0, r.ConnectionsAsked);

        // a host-facts module's items do not see earlier items' facts (only the set_fact and include_vars layers carry)
        var noCarry = await Play("- observe:\n    acc: \"{{ (acc | default([])) + [item] }}\"\n  loop: [x, y]\n- debug: var=acc",
            Builtins(Facts("observe", FactsLayer.HostFacts)));
        Assert.Contains("\"acc\": [\n        \"y\"\n    ]", noCarry.Out);
    }

    [Fact]
    public async Task The_implicit_fact_gathering_runs_the_module_that_gathers_facts()
    {
        var gatherer = new Flagged("probe_everything", new ModuleSpec(Array.Empty<OptionSpec>(), AcceptsAnyArgs: true) { GathersFacts = true },
            _ => new Dict { ["ansible_facts"] = new Dict { ["os_family"] = "Testish" }, ["changed"] = false });
        var modules = new ModuleRegistry().Add(gatherer).Add(new DebugModule());
        var r = await Play("- debug: var=ansible_os_family", modules, gather: "true");
        Assert.Equal(0, r.Rc);
        Assert.Contains("TASK [Gathering Facts]", r.Out);
        Assert.Contains("\"ansible_os_family\": \"Testish\"", r.Out);
        Assert.DoesNotContain("os_family", r.Vars.BareFacts);
        Assert.Equal(1, r.ConnectionsAsked);
    }

    [Fact]
    public async Task A_free_form_command_module_keeps_every_word_but_the_command_options()
    {
        var run = new Flagged("execute", new ModuleSpec(new OptionSpec[] { new("_raw_params"), new("chdir", OptionType.Path) }, FreeForm: true) { FreeFormCommand = true },
            _ => new Dict { ["changed"] = false });
        var free = new Flagged("loadfile", new ModuleSpec(new OptionSpec[] { new("_raw_params"), new("name"), new("depth", OptionType.Int) }, FreeForm: true),
            _ => new Dict { ["changed"] = false });
        var r = await Play("- execute: echo a=b chdir=/tmp\n- loadfile: some.yml depth=2", Builtins(run, free));
        Assert.Equal(0, r.Rc);
        Assert.Equal("echo a=b", run.LastArgs!["_raw_params"]);
        Assert.Equal("/tmp", run.LastArgs["chdir"]);
        Assert.Equal("some.yml", free.LastArgs!["_raw_params"]);
        Assert.Equal(2L, free.LastArgs["depth"]);
    }

    [Fact]
    public void Junit_leaves_out_the_tasks_of_a_module_that_gathers_facts_when_told_to()
    {
        var gatherer = new ModuleSpec(Array.Empty<OptionSpec>()) { GathersFacts = true };
        string Xml(bool include)
        {
            var cb = new JunitCallback(_dir, new JunitCallback.Settings { IncludeSetupTasks = include }, () => 0);
            foreach (var (name, spec) in new[] { ("collect", gatherer), ("work", new ModuleSpec(Array.Empty<OptionSpec>())) })
            {
                var task = new TaskItem { Name = name, Action = "probe_" + name, Location = new Runner.Engine.Errors.SourceLocation(Path.Combine(_dir, "site.yml"), 1, 1) };
                cb.TaskStart(task, name, false);
                cb.HostResult(new HostTaskResult { Task = task, TaskName = name, Host = "box", Result = new Dict { ["changed"] = false }, Status = Runner.Engine.Results.TaskStatus.Ok, Spec = spec });
            }
            return cb.BuildXml();
        }
        Assert.Contains("collect", Xml(include: true));
        Assert.DoesNotContain("collect", Xml(include: false));
        Assert.Contains("work", Xml(include: false));
    }

    /// <summary>The Runner.Engine sources route by no module name: (1) no comparison of an action names a registered
    /// module (only engine actions such as include_tasks and meta); (2) the names the engine once tested (debug, setup,
    /// set_fact, ...) appear in no string literal, except where the word is not a module (each exception says why).</summary>
    [Fact]
    public void The_engine_sources_name_no_module()
    {
        var engine = Path.Combine(Runner.Tests.Inventory.TestPaths.RepoRoot, "engine", "Runner.Engine");
        var modules = BuiltinModules.CreateRegistry().Names.ToHashSet();
        string[] once = { "debug", "setup", "set_fact", "include_vars", "gather_facts", "assert", "fail", "command", "shell", "raw", "script", "ping" };
        var allowed = new Dictionary<(string File, string Name), string>
        {
            [("Templating/Lookups/ConfigLookup.cs", "command")] = "the value of Ansible's DEFAULT_MODULE_NAME setting",
            [("Variables/VariableManager.cs", "include_vars")] = "the name of a precedence level shown by vars --explain",
            [("Variables/VariableManager.cs", "set_fact")] = "the name of a precedence level shown by vars --explain",
            [("Playbooks/Keywords.cs", "gather_facts")] = "a play keyword",
            [("Playbooks/PlaybookLoader.cs", "gather_facts")] = "a play keyword",
        };
        var literal = new System.Text.RegularExpressions.Regex("\"([a-z_][a-z0-9_]*)\"");
        var comparison = new System.Text.RegularExpressions.Regex(@"\b(ShortAction|Action|shortName|action)\s*(==|!=|\bis\b)(.*)$");
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(engine, file).Replace('\\', '/');
            if (rel.StartsWith("obj/") || rel.StartsWith("bin/")) continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("//")) continue;
                foreach (System.Text.RegularExpressions.Match m in literal.Matches(lines[i]))
                    if (once.Contains(m.Groups[1].Value) && !allowed.ContainsKey((rel, m.Groups[1].Value)))
                        found.Add($"{rel}:{i + 1}: \"{m.Groups[1].Value}\"");
                if (comparison.Match(lines[i]) is { Success: true } c)
                    foreach (System.Text.RegularExpressions.Match m in literal.Matches(c.Groups[3].Value))
                        if (modules.Contains(m.Groups[1].Value))
                            found.Add($"{rel}:{i + 1}: action compared with \"{m.Groups[1].Value}\"");
            }
        }
        Assert.True(found.Count == 0, "module names in engine code (use a ModuleSpec flag):\n" + string.Join("\n", found));
    }
}

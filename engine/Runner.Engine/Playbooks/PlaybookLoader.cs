using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Playbooks;

/// <summary>
/// Reads playbooks into <see cref="Play"/>s: tasks, blocks, handlers, roles (with meta dependencies) and
/// static imports (import_tasks, import_role, import_playbook) expanded at load time, as Ansible does.
/// Dynamic includes stay as tasks and are loaded by the executor through <see cref="LoadTaskFile"/>.
/// Errors: <see cref="RunnerException"/> with file:line:column and exit code 4 (parser error).
/// </summary>
public sealed class PlaybookLoader
{
    private readonly Func<string, ModuleSpec?> _findModule;
    private readonly Func<string, string> _templateStatic;
    private readonly IReadOnlyList<string> _rolesPath;
    private readonly IReadOnlyList<string> _collectionsPath;

    /// <param name="findModule">The spec of the module an action name (short or FQCN) names, null when none does;
    /// its flags say how k=v text arguments parse (<see cref="ModuleSpec.FreeFormCommand"/>, <see cref="ModuleSpec.FreeForm"/>).</param>
    /// <param name="templateStatic">Templates a static import path with the vars known at load time (extra vars, play vars).</param>
    /// <param name="rolesPath">Extra folders to find roles in (roles_path).</param>
    /// <param name="collectionsPath">Folders to find FQCN roles in (collections_path; see <see cref="CollectionRoles"/>).</param>
    public PlaybookLoader(Func<string, ModuleSpec?> findModule, Func<string, string> templateStatic, IReadOnlyList<string> rolesPath,
        IReadOnlyList<string>? collectionsPath = null)
    {
        _findModule = findModule;
        _templateStatic = templateStatic;
        _rolesPath = rolesPath;
        _collectionsPath = collectionsPath ?? [];
    }

    private readonly List<string> _importChain = new();

    /// <summary>
    /// Marks <paramref name="path"/> as being imported until the result is disposed. A file that imports itself,
    /// directly or through others, is refused as ansible-playbook refuses it (it runs out of recursion: exit 250),
    /// with the chain of files instead of a stack trace.
    /// </summary>
    private IDisposable EnterImport(string path, SourceLocation at, string key)
    {
        if (_importChain.Contains(path))
            throw new RunnerException($"maximum recursion depth exceeded: {path} imports itself ({string.Join(" -> ", _importChain.SkipWhile(p => p != path).Append(path).Select(Path.GetFileName))})",
                at, key, ExitCodes.Unexpected);
        _importChain.Add(path);
        return new ImportScope(_importChain);
    }

    private sealed class ImportScope(List<string> chain) : IDisposable
    {
        public void Dispose() => chain.RemoveAt(chain.Count - 1);
    }

    /// <summary>Loads every play of a playbook file (following import_playbook).</summary>
    public List<Play> LoadPlaybook(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new RunnerException($"the playbook: {path} could not be found", new SourceLocation(path, 0, 0), exitCode: ExitCodes.Error);
        var data = YamlLoader.LoadFile(path);
        if (data is null or List<object?> { Count: 0 })
            throw new RunnerException($"Empty playbook, nothing to do: {path}", new SourceLocation(path, 0, 0), exitCode: ExitCodes.ParserError);
        if (data is not List<object?> list)
            throw Parse("A playbook must be a list of plays, got a " + TypeName(data) + " instead", data, path);
        var plays = new List<Play>();
        foreach (var item in list)
        {
            if (item is not Dict d) throw Parse("A play must be a mapping, got a " + TypeName(item) + " instead", list, path);
            if (d.TryGetValue("import_playbook", out var ip) || d.TryGetValue("ansible.builtin.import_playbook", out ip))
            {
                var target = _templateStatic(PyStr.Str(ip));
                var full = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(path)!, target));
                using (EnterImport(full, SourceMap.Of(d) ?? new SourceLocation(path, 0, 0), "import_playbook"))
                    plays.AddRange(LoadPlaybook(full));
                continue;
            }
            plays.Add(LoadPlay(d, path));
        }
        return plays;
    }

    private static string TypeName(object? o) => o switch
    {
        Dict => "dict", List<object?> => "list", string => "string", null => "null", _ => o.GetType().Name,
    };

    private static RunnerException Parse(string msg, object? node, string file, string? key = null) =>
        new(msg, (key is null ? SourceMap.Of(node) : SourceMap.OfKey(node, key)) ?? new SourceLocation(file, 0, 0), key, ExitCodes.ParserError);

    private Play LoadPlay(Dict d, string file)
    {
        var dir = Path.GetDirectoryName(file)!;
        RoleHandlers.Clear();
        LoadedRoles.Clear();
        CurrentPlaybookDir = dir;
        foreach (var key in d.Keys)
            if (!Keywords.Play.Contains(key))
                throw Parse($"'{key}' is not a valid attribute for a Play", d, file, key);
        if (!d.TryGetValue("hosts", out var hosts) || hosts is null)
            throw Parse("the field 'hosts' is required but was not set", d, file);
        var play = new Play
        {
            Hosts = hosts is List<object?> hl ? string.Join(',', hl.Select(PyStr.Str)) : PyStr.Str(hosts),
            Location = SourceMap.Of(d),
            PlaybookDir = dir,
            Name = d.TryGetValue("name", out var n) && n is not null ? PyStr.Str(n) : "",
        };
        if (play.Name == "") play.Name = play.Hosts;
        if (d.TryGetValue("gather_facts", out var gf)) play.GatherFacts = gf;
        if (d.TryGetValue("vars", out var v)) play.Vars = AsVars(v, d, file, "vars");
        if (d.TryGetValue("vars_files", out var vf) && vf is not null)
            play.VarsFiles = vf is List<object?> vfl ? vfl : new List<object?> { vf };
        play.Tags = AsStringList(d.GetValueOrDefault("tags"));
        play.Serial = d.GetValueOrDefault("serial");
        play.AnyErrorsFatal = Truthy(d.GetValueOrDefault("any_errors_fatal"));
        play.ForceHandlers = Truthy(d.GetValueOrDefault("force_handlers"));
        CheckModuleDefaults(d);
        foreach (var k in Keywords.Inheritable)
            if (d.TryGetValue(k, out var kv)) play.Keywords[k] = kv;
        _playCollections = play.Collections = AsStringList(d.GetValueOrDefault("collections"));

        var ctx = new LoadContext(file, null, dir);
        play.PreTasks = LoadTaskList(d.GetValueOrDefault("pre_tasks"), ctx, d, "pre_tasks");
        if (d.TryGetValue("roles", out var roles) && roles is not null)
        {
            if (roles is not List<object?> rl) throw Parse("'roles' must be a list", d, file, "roles");
            var seen = new HashSet<string>();
            foreach (var r in rl)
                play.Tasks.AddRange(LoadRoleReference(r, rl, ctx, play, seen));
        }
        play.Tasks.AddRange(LoadTaskList(d.GetValueOrDefault("tasks"), ctx, d, "tasks"));
        play.PostTasks = LoadTaskList(d.GetValueOrDefault("post_tasks"), ctx, d, "post_tasks");
        play.Handlers.AddRange(RoleHandlers);
        foreach (var h in TaskTree.Flatten(LoadTaskList(d.GetValueOrDefault("handlers"), ctx, d, "handlers")))
        {
            h.IsHandler = true;
            play.Handlers.Add(h);
        }
        play.Roles = LoadedRoles.ToList();
        return play;
    }


    /// <summary>
    /// Base._load_module_defaults: module_defaults is a mapping or a list of mappings whose keys name actions (a short
    /// name is looked up as ansible.legacy.NAME) or group/NAME; refused at load with ansible-core's message, no place.
    /// </summary>
    private void CheckModuleDefaults(Dict owner)
    {
        if (!owner.TryGetValue("module_defaults", out var value) || value is null) return;
        foreach (var entry in value is List<object?> l ? l : new List<object?> { value })
        {
            if (entry is not Dict d)
                throw new RunnerException("The field 'module_defaults' is supposed to be a dictionary or list of dictionaries, the keys of which must be static action, module, " +
                                          "or group names. Only the values may contain templates. For example: {'ping': \"{{ ping_defaults }}\"}", exitCode: ExitCodes.ParserError);
            foreach (var key in d.Keys)
                if (!key.StartsWith("group/", StringComparison.Ordinal) && _findModule(key) is null && !Keywords.EngineActions.Contains(key[(key.LastIndexOf('.') + 1)..]))
                    throw new RunnerException($"Could not resolve action {(key.Split('.').Length < 3 ? "ansible.legacy." + key : key)} in module_defaults", exitCode: ExitCodes.ParserError);
        }
    }

    /// <param name="UnderDynamicInclude">The tasks are loaded for an include_tasks (or a dynamic include) at run time:
    /// Ansible's all_parents_static() is false for them, so a legacy `include` among them stays dynamic.</param>
    private sealed record LoadContext(string File, RoleInstance? Role, string Dir, bool UnderDynamicInclude = false);

    private static bool Truthy(object? v) => v is string s ? s.ToLowerInvariant() is "yes" or "true" or "on" or "1" : Data.Truthy(v);

    private static Dict AsVars(object? v, object? owner, string file, string key)
    {
        if (v is null) return new Dict();
        if (v is Dict dv) return dv;
        if (v is List<object?> lv && lv.All(x => x is Dict))
        {
            var merged = new Dict();
            foreach (Dict x in lv) foreach (var (k, val) in x) merged[k] = val;
            return merged;
        }
        throw Parse($"Vars in a {key} must be specified as a dictionary, or a list of dictionaries", owner, file, key);
    }

    /// <summary>Tags as strings: a list, or a comma-separated string.</summary>
    public static List<string> AsStringList(object? v) => v switch
    {
        null => new List<string>(),
        List<object?> l => l.Select(PyStr.Str).ToList(),
        string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        _ => new List<string> { PyStr.Str(v) },
    };

    private List<TaskNode> LoadTaskList(object? v, LoadContext ctx, object? owner, string key)
    {
        if (v is null) return new List<TaskNode>();
        if (v is not List<object?> list) throw Parse($"A list of tasks was expected for '{key}'", owner, ctx.File, key);
        var result = new List<TaskNode>();
        foreach (var item in list)
        {
            if (item is null) continue;
            if (item is not Dict d) throw Parse($"A task must be a mapping, got a {TypeName(item)}: {PyStr.Str(item)}", list, ctx.File, null);
            result.Add(LoadNode(d, ctx));
        }
        return result;
    }

    /// <summary>Loads a task file (for include_tasks at run time, or import_tasks at load time).</summary>
    public List<TaskNode> LoadTaskFile(string path, RoleInstance? role)
    {
        var data = YamlLoader.LoadFile(path);
        return LoadTaskList(data ?? new List<object?>(), new LoadContext(path, role, Path.GetDirectoryName(path)!, true), data, "tasks");
    }

    private TaskNode LoadNode(Dict d, LoadContext ctx)
    {
        if (d.ContainsKey("block")) return LoadBlock(d, ctx);
        var task = LoadTask(d, ctx);
        var shortAction = task.ShortAction;
        if (shortAction == "import_tasks" || shortAction == "include" && IsStaticInclude(task, ctx)) return ExpandImportTasks(task, ctx);
        if (shortAction == "import_role") return ExpandImportRole(task, ctx);
        return task;
    }

    private BlockItem LoadBlock(Dict d, LoadContext ctx)
    {
        foreach (var key in d.Keys)
            if (!Keywords.Task.Contains(key))
                throw Parse($"'{key}' is not a valid attribute for a Block", d, ctx.File, key);
        var b = new BlockItem
        {
            Location = SourceMap.Of(d),
            Name = d.GetValueOrDefault("name") is { } n ? PyStr.Str(n) : null,
            Role = ctx.Role,
        };
        ApplyCommon(b, d, ctx);
        b.Block = LoadTaskList(d.GetValueOrDefault("block"), ctx, d, "block");
        b.Rescue = LoadTaskList(d.GetValueOrDefault("rescue"), ctx, d, "rescue");
        b.Always = LoadTaskList(d.GetValueOrDefault("always"), ctx, d, "always");
        foreach (var c in b.Block.Concat(b.Rescue).Concat(b.Always)) c.Parent = b;
        return b;
    }

    private void ApplyCommon(TaskNode node, Dict d, LoadContext ctx)
    {
        CheckModuleDefaults(d);
        node.Tags = AsStringList(d.GetValueOrDefault("tags"));
        if (d.TryGetValue("when", out var w) && w is not null)
            node.When = w is List<object?> wl ? wl : new List<object?> { w };
        if (d.TryGetValue("vars", out var v)) node.Vars = AsVars(v, d, ctx.File, "vars");
        foreach (var k in Keywords.Inheritable)
            if (d.TryGetValue(k, out var kv)) node.Keywords[k] = kv;
    }

    private TaskItem LoadTask(Dict d, LoadContext ctx)
    {
        string? action = null;
        object? rawArgs = null;
        Dict? loopControl = null;
        object? loop = null;
        string? loopWith = null;
        foreach (var (key, value) in d)
        {
            if (key.StartsWith("with_", StringComparison.Ordinal))
            {
                loop = value;
                loopWith = key[5..];
                continue;
            }
            if (Keywords.Task.Contains(key)) continue;
            if (action is not null)
                throw Parse($"conflicting action statements: {action}, {key}", d, ctx.File, key);
            action = key;
            rawArgs = value;
        }
        if (action is null && d.TryGetValue("action", out var act) || action is null && d.TryGetValue("local_action", out act))
        {
            var text = act is Dict ad ? PyStr.Str(ad.GetValueOrDefault("module")) : PyStr.Str(act);
            var first = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            action = first.Length > 0 ? first[0] : "";
            rawArgs = act is Dict ad2 ? new Dict(ad2.Where(kv => kv.Key != "module")) : (first.Length > 1 ? first[1] : null);
            if (d.ContainsKey("local_action")) d["delegate_to"] = "localhost";
        }
        if (action is null)
            throw Parse("no module/action detected in task.", d, ctx.File);
        var shortName = action.Contains('.') ? action[(action.LastIndexOf('.') + 1)..] : action;
        var spec = Keywords.EngineActions.Contains(shortName) ? null : _findModule(action);
        if (!Keywords.EngineActions.Contains(shortName) && spec is null && !AnsibleBuiltinModules.Contains(action))
            throw Parse($"couldn't resolve module/action '{action}'. This often indicates a misspelling, missing collection, or incorrect module path.", d, ctx.File, action);

        var task = new TaskItem
        {
            Action = action,
            Location = SourceMap.OfKey(d, action) is { } l ? SourceMap.Of(d) ?? l : null,
            Name = d.GetValueOrDefault("name") is { } n ? PyStr.Str(n) : null,
            Role = ctx.Role,
            Loop = d.TryGetValue("loop", out var lp) ? lp : loop,
            LoopWith = d.ContainsKey("loop") ? null : loopWith,
            Register = d.GetValueOrDefault("register") is { } r ? PyStr.Str(r) : null,
            Notify = AsStringList(d.GetValueOrDefault("notify")),
            Listen = AsStringList(d.GetValueOrDefault("listen")),
            ChangedWhen = d.GetValueOrDefault("changed_when"),
            FailedWhen = d.GetValueOrDefault("failed_when"),
            Until = d.GetValueOrDefault("until"),
        };
        if (d.TryGetValue("notify", out var nt) && nt is string ns) task.Notify = new List<string> { ns };
        if (d.TryGetValue("listen", out var ls) && ls is string lss) task.Listen = new List<string> { lss };
        if (d.TryGetValue("loop_control", out var lc)) loopControl = lc as Dict;
        task.LoopControl = loopControl ?? new Dict();
        foreach (var k in new[] { "retries", "delay", "until", "async", "poll" })
            if (d.TryGetValue(k, out var kv)) task.Keywords[k] = kv;
        ApplyCommon(task, d, ctx);
        task.Args = ParseArgs(action, shortName, spec, rawArgs, d, ctx);
        if (d.TryGetValue("args", out var extra) && extra is Dict ed)
            foreach (var (k, val) in ed) task.Args.TryAdd(k, val);
        return task;
    }

    /// <summary>A task's arguments as mod_args.py reads them: a mapping as it is; k=v text as parse_kv does, with
    /// check_raw for free-form commands; a free-form module's other words under "_raw_params".</summary>
    private static Dict ParseArgs(string action, string shortName, ModuleSpec? spec, object? raw, Dict d, LoadContext ctx)
    {
        switch (raw)
        {
            case null: return new Dict();
            case Dict dict: return new Dict(dict);
            case string s:
            {
                if (shortName is "include_role" or "import_role") return KeyValueParser.Parse(s, false);
                // the legacy include is not one of mod_args.py's FREEFORM_ACTIONS: each k=v word is an argument
                if (shortName == "include") return RawLast(KeyValueParser.Parse(s, true));
                if (shortName is "include_tasks" or "import_tasks" or "import_playbook")
                    return RawLast(KeyValueParser.Parse(s, true, new HashSet<string> { "file", "name", "apply" }));
                if (shortName == "meta") return new Dict { ["_raw_params"] = s.Trim() };
                if (spec?.FreeFormCommand == true)
                    return KeyValueParser.Parse(s, true, Keywords.FreeFormOptions);
                // parse_kv without check_raw: every k=v word is an option, the other words are the free-form text
                if (spec?.FreeForm == true) return RawLast(KeyValueParser.Parse(s, true));
                try { return KeyValueParser.Parse(s, false); }
                catch (FormatException e) { throw Parse(e.Message, d, ctx.File, action); }
            }
            default:
                if (spec?.FreeFormCommand == true) return new Dict { ["_raw_params"] = PyStr.Str(raw) };
                throw Parse($"the arguments of '{action}' must be a mapping or key=value text", d, ctx.File, action);
        }
    }

    private static Dict RawLast(Dict kvs)
    {
        if (kvs.Remove("_raw_params", out var file)) kvs["_raw_params"] = file;
        return kvs;
    }

    private string ResolveTaskFile(string file, LoadContext ctx, RoleInstance? role)
    {
        if (Path.IsPathRooted(file)) return file;
        var candidates = new List<string> { Path.Combine(ctx.Dir, file) };
        if (role is not null) candidates.Add(Path.Combine(role.Path, "tasks", file));
        candidates.Add(Path.Combine(ctx.Dir, "tasks", file));
        foreach (var c in candidates) if (File.Exists(c)) return Path.GetFullPath(c);
        return Path.GetFullPath(candidates[0]);
    }

    /// <summary>Resolves an include_tasks file name as Ansible does: beside the including file, in the role's tasks/, then the playbook folder.</summary>
    public static string ResolveIncludeFile(string file, string? includingFile, RoleInstance? role, string playbookDir)
    {
        if (Path.IsPathRooted(file)) return file;
        var candidates = new List<string>();
        if (role is not null) candidates.Add(Path.Combine(role.Path, "tasks", file));
        if (includingFile is not null) candidates.Add(Path.Combine(Path.GetDirectoryName(includingFile)!, file));
        candidates.Add(Path.Combine(playbookDir, file));
        foreach (var c in candidates) if (File.Exists(c)) return Path.GetFullPath(c);
        return Path.GetFullPath(candidates[^1]);
    }

    /// <summary>
    /// Whether a legacy `include` of tasks is loaded statically, as ansible-core 2.14's helpers.load_list_of_tasks
    /// decides: its file name holds no template, it has no loop, and no include_tasks (dynamic include) loaded the
    /// file it is in. A static include is an import_tasks whose arguments other than the file are also vars of
    /// the imported tasks (TaskInclude.get_vars); a dynamic one runs as include_tasks.
    /// </summary>
    private static bool IsStaticInclude(TaskItem task, LoadContext ctx) =>
        !ctx.UnderDynamicInclude && task.Loop is null &&
        !Templating.Templar.IsTemplate(PyStr.Str(task.Args.GetValueOrDefault("_raw_params") ?? task.Args.GetValueOrDefault("file")));

    private BlockItem ExpandImportTasks(TaskItem task, LoadContext ctx)
    {
        var file = PyStr.Str(task.Args.GetValueOrDefault("file") ?? task.Args.GetValueOrDefault("_raw_params"));
        file = _templateStatic(file);
        var path = ResolveTaskFile(file, ctx, ctx.Role);
        if (!File.Exists(path))
            throw new RunnerException($"Could not find or access '{file}' (searched {path})", task.Location, "import_tasks", ExitCodes.Error);
        var b = new BlockItem { Location = task.Location, Name = task.Name, Role = ctx.Role };
        b.Tags = task.Tags; b.When = task.When; b.Vars = task.Vars; b.Keywords = task.Keywords;
        if (task.ShortAction == "include")
        {
            b.Vars = new Dict(task.Vars);
            foreach (var (k, v) in task.Args) if (k is not ("tags" or "when")) b.Vars[k] = v;
        }
        using (EnterImport(path, task.Location ?? new SourceLocation(ctx.File, 0, 0), "import_tasks"))
            b.Block = LoadTaskList(YamlLoader.LoadFile(path) ?? new List<object?>(), new LoadContext(path, ctx.Role, Path.GetDirectoryName(path)!, ctx.UnderDynamicInclude), null, "tasks");
        foreach (var c in b.Block) c.Parent = b;
        return b;
    }

    private BlockItem ExpandImportRole(TaskItem task, LoadContext ctx)
    {
        var name = _templateStatic(PyStr.Str(task.Args.GetValueOrDefault("name")));
        var role = LoadRole(name, task.Location, ctx, task.Args);
        var b = BuildRoleBlock(role, task.Args, null, new HashSet<string>(), task.Location);
        b.Tags = task.Tags; b.When = task.When;
        foreach (var (k, v) in task.Vars) b.Params[k] = v;
        b.Keywords = task.Keywords;
        return b;
    }

    /// <summary>Finds a role folder: an FQCN role in the collections (<see cref="CollectionRoles"/>), else roles/ beside
    /// the playbook, the including role's folder, roles_path, then the playbook folder.</summary>
    public string? FindRole(string name, string playbookDir, string? currentRolePath = null)
    {
        if (Path.IsPathRooted(name) && Directory.Exists(name)) return name;
        if (CollectionRoles.Find(name, playbookDir, _collectionsPath) is { } inCollection) return inCollection;
        var candidates = new List<string> { Path.Combine(playbookDir, "roles", name) };
        if (currentRolePath is not null) candidates.Add(Path.Combine(Path.GetDirectoryName(currentRolePath)!, name));
        candidates.AddRange(_rolesPath.Select(p => Path.Combine(p, name)));
        candidates.Add(Path.Combine(playbookDir, name));
        var shortName = name.Contains('.') && !Directory.Exists(candidates[0]) ? name[(name.LastIndexOf('.') + 1)..] : null;
        if (shortName is not null) candidates.Add(Path.Combine(playbookDir, "roles", shortName));
        return candidates.FirstOrDefault(Directory.Exists) is { } found ? Path.GetFullPath(found) : null;
    }

    /// <summary>The play's `collections` keyword: collections searched for a role named without a collection.</summary>
    private List<string> _playCollections = [];

    /// <summary>A short role name qualified by the first of the play's collections that has it (Ansible searches the
    /// collections keyword before roles paths), else the name as it is.</summary>
    private string QualifyByPlayCollections(string name, string playbookDir) =>
        name.Contains('.') ? name
        : _playCollections.Where(c => c is not ("ansible.builtin" or "ansible.legacy")).Select(c => $"{c}.{name}")
            .FirstOrDefault(fq => CollectionRoles.Find(fq, playbookDir, _collectionsPath) is not null) ?? name;

    private RoleInstance LoadRole(string name, Errors.SourceLocation? loc, LoadContext ctx, Dict? args = null)
    {
        var playbookDir = PlaybookDirOf(ctx);
        name = QualifyByPlayCollections(name, playbookDir);
        var path = FindRole(name, playbookDir, ctx.Role?.Path)
            ?? throw new RunnerException($"the role '{name}' was not found in {Path.Combine(playbookDir, "roles")}:{string.Join(':', _rolesPath)}:{playbookDir}", loc, name, ExitCodes.Error);
        var defaultsFrom = args?.GetValueOrDefault("defaults_from") is { } df ? PyStr.Str(df) : "main";
        var varsFrom = args?.GetValueOrDefault("vars_from") is { } vf ? PyStr.Str(vf) : "main";
        return new RoleInstance
        {
            Name = path == CollectionRoles.Find(name, playbookDir, _collectionsPath) ? name : Path.GetFileName(path),
            Path = path,
            Defaults = LoadVarsFile(path, "defaults", defaultsFrom),
            Vars = LoadVarsFile(path, "vars", varsFrom),
        };
    }

    private string PlaybookDirOf(LoadContext ctx)
    {
        var dir = ctx.Role is not null ? Path.GetDirectoryName(Path.GetDirectoryName(ctx.Role.Path)!)! : ctx.Dir;
        return CurrentPlaybookDir ?? dir;
    }

    /// <summary>The folder of the playbook being loaded (set by the executor for include_role at run time).</summary>
    public string? CurrentPlaybookDir { get; set; }

    /// <summary>Loads role/SUB/NAME(.yml|.yaml|.json|) as a vars dict, or an empty one.</summary>
    public static Dict LoadVarsFile(string rolePath, string sub, string name)
    {
        foreach (var ext in new[] { ".yml", ".yaml", ".json", "" })
        {
            var p = Path.Combine(rolePath, sub, name + ext);
            if (File.Exists(p)) return YamlLoader.LoadFile(p) as Dict ?? new Dict();
        }
        return new Dict();
    }

    private static string? FindRoleFile(string rolePath, string sub, string name)
    {
        foreach (var ext in new[] { ".yml", ".yaml", ".json", "" })
        {
            var p = Path.Combine(rolePath, sub, name + ext);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private IEnumerable<TaskNode> LoadRoleReference(object? r, object owner, LoadContext ctx, Play play, HashSet<string> seen)
    {
        Dict spec = r switch
        {
            string s => new Dict { ["role"] = s },
            Dict d => d,
            _ => throw Parse("a role entry must be a name or a mapping", owner, ctx.File),
        };
        var name = _templateStatic(PyStr.Str(spec.GetValueOrDefault("role") ?? spec.GetValueOrDefault("name")));
        var role = LoadRole(name, SourceMap.Of(spec) ?? SourceMap.Of(owner), ctx);
        var block = BuildRoleBlock(role, spec, play, seen, SourceMap.Of(spec));
        block.Tags = AsStringList(spec.GetValueOrDefault("tags"));
        if (spec.TryGetValue("when", out var w) && w is not null) block.When = w is List<object?> wl ? wl : new List<object?> { w };
        if (spec.TryGetValue("vars", out var v) && v is Dict vd) foreach (var (k, val) in vd) block.Params[k] = val;
        foreach (var (k, val) in spec)
            if (k is not ("role" or "name" or "tags" or "when" or "vars") && !Keywords.Task.Contains(k)) block.Params[k] = val;
        CheckModuleDefaults(spec);
        foreach (var k in Keywords.Inheritable)
            if (spec.TryGetValue(k, out var kv)) block.Keywords[k] = kv;
        role.Params = block.Params;
        yield return block;
    }

    /// <summary>The handlers of roles loaded so far, to be appended to the play's handlers.</summary>
    public List<TaskItem> RoleHandlers { get; } = new();

    /// <summary>Every role instance loaded (for defaults/vars exposure to the play).</summary>
    public List<RoleInstance> LoadedRoles { get; } = new();

    private readonly List<string> _roleChain = new();

    private BlockItem BuildRoleBlock(RoleInstance role, Dict spec, Play? play, HashSet<string> seen, SourceLocation? loc)
    {
        _roleChain.Add(role.Path);
        try { return BuildRoleBlockIn(role, spec, play, seen, loc); }
        finally { _roleChain.RemoveAt(_roleChain.Count - 1); }
    }

    private BlockItem BuildRoleBlockIn(RoleInstance role, Dict spec, Play? play, HashSet<string> seen, SourceLocation? loc)
    {
        var b = new BlockItem { Location = loc, Role = role, Name = role.Name };
        LoadedRoles.Add(role);
        var roleCtx = new LoadContext(Path.Combine(role.Path, "tasks", "main.yml"), role, Path.Combine(role.Path, "tasks"));
        // meta/main.yml dependencies run first
        var meta = FindRoleFile(role.Path, "meta", "main");
        if (meta is not null && YamlLoader.LoadFile(meta) is Dict md && md.GetValueOrDefault("dependencies") is List<object?> deps)
        {
            foreach (var dep in deps)
            {
                Dict ds = dep is string s ? new Dict { ["role"] = s } : dep as Dict ?? new Dict();
                var depName = _templateStatic(PyStr.Str(ds.GetValueOrDefault("role") ?? ds.GetValueOrDefault("name")));
                var key = depName + PyStr.Repr(ds);
                var depRole = LoadRole(depName, SourceMap.Of(ds), roleCtx);
                if (_roleChain.Contains(depRole.Path))
                    throw new RunnerException("A recursion loop was detected with the roles specified. Make sure child roles do not have dependencies on parent roles " +
                        $"({string.Join(" -> ", _roleChain.SkipWhile(p => p != depRole.Path).Append(depRole.Path).Select(Path.GetFileName))})",
                        SourceMap.Of(ds) ?? new SourceLocation(meta, 0, 0), "dependencies", ExitCodes.Error);
                if (!seen.Add(key)) continue;
                var depBlock = BuildRoleBlock(depRole, ds, play, seen, SourceMap.Of(ds));
                depBlock.Tags = AsStringList(ds.GetValueOrDefault("tags"));
                foreach (var (k, val) in ds)
                    if (k is not ("role" or "name" or "tags" or "when")) depBlock.Params[k] = val;
                depRole.Params = depBlock.Params;
                depBlock.Parent = b;
                b.Block.Add(depBlock);
            }
        }
        var tasksFrom = spec.GetValueOrDefault("tasks_from") is { } tf ? PyStr.Str(tf) : "main";
        if (ValidationTask(role, spec, tasksFrom) is var (validation, specFile))
            foreach (var n in LoadTaskList(new List<object?> { validation }, roleCtx with { File = specFile }, null, "tasks")) { n.Parent = b; b.Block.Add(n); }
        var tasksFile = FindRoleFile(role.Path, "tasks", tasksFrom);
        if (tasksFile is not null)
        {
            var nodes = LoadTaskList(YamlLoader.LoadFile(tasksFile) ?? new List<object?>(), roleCtx with { File = tasksFile }, null, "tasks");
            foreach (var n in nodes) { n.Parent = b; b.Block.Add(n); }
        }
        else if (tasksFrom != "main")
            throw new RunnerException($"Could not find specified file in role: tasks/{tasksFrom}", loc, "tasks_from", ExitCodes.Error);
        var handlersFile = FindRoleFile(role.Path, "handlers", "main");
        if (handlersFile is not null)
        {
            foreach (var h in TaskTree.Flatten(LoadTaskList(YamlLoader.LoadFile(handlersFile) ?? new List<object?>(), roleCtx with { File = handlersFile }, null, "handlers")))
            {
                h.IsHandler = true;
                h.Role = role;
                RoleHandlers.Add(h);
            }
        }
        return b;
    }

    /// <summary>
    /// The task Ansible puts first in a role whose argument spec has the entry point <paramref name="entry"/> (role
    /// argument validation, playbook/role/__init__.py _prepend_validation_task in ansible-core 2.14): the spec comes
    /// from meta/argument_specs.yml (or .yaml), else from meta/main.yml's argument_specs; the task is named
    /// "Validating arguments against arg spec 'ENTRY'" (" - SHORT_DESCRIPTION" when given), tagged always, and runs
    /// validate_argument_spec with the entry's options and the role's parameters. Null when there is no such entry
    /// or rolespec_validate is false; else the task and the file it comes from.
    /// </summary>
    private (Dict Task, string File)? ValidationTask(RoleInstance role, Dict spec, string entry)
    {
        if (spec.GetValueOrDefault("rolespec_validate") is { } rv && !Data.Truthy(rv)) return null;
        var file = FindRoleFile(role.Path, "meta", "argument_specs");
        if (file is not null && !file.EndsWith(".yml", StringComparison.Ordinal) && !file.EndsWith(".yaml", StringComparison.Ordinal)) file = null;
        file ??= FindRoleFile(role.Path, "meta", "main");
        if (file is null || YamlLoader.LoadFile(file) is not Dict meta || meta.GetValueOrDefault("argument_specs") is not Dict specs ||
            specs.GetValueOrDefault(entry) is not Dict entrySpec) return null;
        var name = $"Validating arguments against arg spec '{entry}'";
        if (entrySpec.TryGetValue("short_description", out var sd)) name += " - " + PyStr.Str(sd);
        // the parameters of a roles: or dependencies entry (rolespec_validate among them, as 2.14 passes it); include_role has none
        var roleParams = new Dict();
        if (!_includingRole)
            foreach (var (k, v) in spec)
                if (k is not ("role" or "name" or "tags" or "when" or "vars") && !Keywords.Task.Contains(k)) roleParams[k] = v;
        return (new Dict
        {
            ["name"] = name,
            ["ansible.builtin.validate_argument_spec"] = new Dict
            {
                ["argument_spec"] = entrySpec.GetValueOrDefault("options") as Dict ?? new Dict(),
                ["provided_arguments"] = roleParams,
                ["validate_args_context"] = new Dict { ["type"] = "role", ["name"] = role.Name, ["argument_spec_name"] = entry, ["path"] = role.Path },
            },
            ["tags"] = new List<object?> { "always" },
        }, file);
    }

    /// <summary>True while an include_role's block is built: its arguments are not role parameters.</summary>
    private bool _includingRole;

    /// <summary>Builds the block an include_role task runs (loaded at run time); <paramref name="playCollections"/> is
    /// the play's `collections` keyword.</summary>
    public BlockItem LoadIncludeRole(TaskItem task, Dict args, string playbookDir, List<string>? playCollections = null)
    {
        CurrentPlaybookDir = playbookDir;
        _playCollections = playCollections ?? [];
        var name = PyStr.Str(args.GetValueOrDefault("name"));
        var ctx = new LoadContext(task.Location?.File ?? playbookDir, task.Role, playbookDir);
        var role = LoadRole(name, task.Location, ctx, args);
        _includingRole = true;
        try { return BuildRoleBlock(role, args, null, new HashSet<string>(), task.Location); }
        finally { _includingRole = false; }
    }
}

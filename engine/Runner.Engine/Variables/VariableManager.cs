using System.Collections.Concurrent;
using Runner.Engine.Errors;
using Runner.Engine.Inventory;
using Runner.Engine.Playbooks;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Variables;

/// <summary>What a host has learned during the run: facts, set_fact/registered values, include_vars.</summary>
public sealed class HostRunVars
{
    /// <summary>Gathered facts, without the ansible_ prefix (the `ansible_facts` dict).</summary>
    public Dict Facts { get; } = new();
    /// <summary>
    /// The facts a module other than setup returned without the ansible_ prefix (service_facts' "services"): Ansible
    /// injects them as variables under their own name, not as ansible_NAME.
    /// </summary>
    public HashSet<string> BareFacts { get; } = new(StringComparer.Ordinal);
    /// <summary>The variable name a fact is injected as: its own name for <see cref="BareFacts"/>, else ansible_NAME.</summary>
    public string FactVariable(string fact) => BareFacts.Contains(fact) ? fact : "ansible_" + fact;
    /// <summary>set_fact and register results (precedence level 19).</summary>
    public Dict SetFacts { get; } = new();
    /// <summary>include_vars results (level 18).</summary>
    public Dict IncludeVars { get; } = new();
    /// <summary>Where include_vars values came from, for --explain.</summary>
    public Dictionary<string, string> IncludeVarsOrigin { get; } = new();
}

/// <summary>Play-wide facts the magic variables need.</summary>
public sealed class PlayContext
{
    public required Play Play { get; init; }
    /// <summary>Hosts the play targets (after --limit), in inventory order: ansible_play_hosts_all.</summary>
    public required List<string> PlayHostsAll { get; init; }
    /// <summary>Hosts still active (not failed): ansible_play_hosts.</summary>
    public required Func<List<string>> ActiveHosts { get; init; }
    /// <summary>The current serial batch: ansible_play_batch.</summary>
    public List<string> Batch { get; set; } = new();
}

/// <summary>Run-wide settings the magic variables report.</summary>
public sealed record RunSettings(bool CheckMode, bool DiffMode, IReadOnlyList<string> Tags, IReadOnlyList<string> SkipTags,
    IReadOnlyList<string> InventorySources, string? ConfigFile);

/// <summary>
/// Builds the variables a task sees on a host, following Ansible's precedence ladder (docs:
/// "Understanding variable precedence"), lowest first: role defaults; inventory file group vars;
/// inventory group_vars/all; playbook group_vars/all; inventory group_vars/*; playbook group_vars/*;
/// inventory file host vars; inventory host_vars; playbook host_vars; host facts; play vars; vars_files;
/// role vars; block vars; task vars; include_vars; set_fact/registered; role and include params; extra vars;
/// then the magic variables. vars_files entries are templated per host and per task, as 2.14 does
/// (an entry whose path is undefined is skipped; a list entry takes the first file found).
/// Thread-safe: hosts are worked on in parallel.
/// </summary>
public sealed class VariableManager
{
    private InventoryData _inventory;
    private readonly Templar _templar;
    private readonly RunSettings _settings;
    private readonly ConcurrentDictionary<string, HostRunVars> _hostState = new();
    private readonly ConcurrentDictionary<(string, string), List<VariableLayer>> _inventoryLayers = new();
    private readonly ConcurrentDictionary<string, Dict> _fileCache = new();

    public VariableManager(InventoryData inventory, Dict extraVars, Templar templar, RunSettings settings)
    {
        _inventory = inventory;
        ExtraVars = extraVars;
        _templar = templar;
        _settings = settings;
        Omit = "__omit_place_holder__" + Guid.NewGuid().ToString("N")[..16];
    }

    /// <summary>-e values (highest precedence).</summary>
    public Dict ExtraVars { get; }

    /// <summary>The value of the `omit` variable: an argument templated to it is dropped.</summary>
    public string Omit { get; }

    /// <summary>Uses <paramref name="inventory"/> from now on (meta: refresh_inventory): host and group variables are
    /// read from it afresh; what the run learned (facts, set_fact, registered values) stays.</summary>
    public void Refresh(InventoryData inventory)
    {
        _inventory = inventory;
        _inventoryLayers.Clear();
    }

    /// <summary>The run state of a host (created on first use).</summary>
    public HostRunVars State(string host) => _hostState.GetOrAdd(host, _ => new HostRunVars());

    private List<VariableLayer> InventoryLayers(string host, string playbookDir) =>
        _inventoryLayers.GetOrAdd((host, playbookDir), key =>
        {
            var h = _inventory.FindHost(key.Item1);
            return h is null ? new List<VariableLayer>() : HostVariableLayers.For(_inventory, h, key.Item2);
        });

    /// <summary>A host's inventory-level variables merged (what `runner inventory --host` shows plus playbook-adjacent files).</summary>
    public Dict HostLevelVars(string host, string playbookDir)
    {
        var d = new Dict();
        foreach (var l in InventoryLayers(host, playbookDir))
            foreach (var (k, v) in l.Vars) d[k] = v;
        return d;
    }

    /// <summary>
    /// The scope for <paramref name="node"/> (or the play itself when null) on <paramref name="host"/>.
    /// <paramref name="extra"/> goes on top (loop item, loop vars).
    /// </summary>
    public VariableScope ForTask(PlayContext pc, string host, TaskNode? node, IReadOnlyDictionary<string, object?>? extra = null,
        RoleInstance? roleOverride = null)
    {
        var play = pc.Play;
        var role = roleOverride ?? node?.Role;
        var layers = new List<ScopeLayer>();
        foreach (var r in play.Roles)
            if (r.Defaults.Count > 0) layers.Add(new("role defaults", r.DefaultsFile, r.Defaults));
        if (role is not null && role.Defaults.Count > 0) layers.Add(new("role defaults", role.DefaultsFile, role.Defaults));
        foreach (var l in InventoryLayers(host, play.PlaybookDir)) layers.Add(new(l.Level, l.Origin, l.Vars) { KeyOrigin = l.OriginOf });
        var state = State(host);
        if (state.Facts.Count > 0)
        {
            var injected = new Dict();
            foreach (var (k, v) in state.Facts) injected[state.FactVariable(k)] = v;
            injected["ansible_facts"] = state.Facts;
            layers.Add(new("host facts", "gathered facts", injected));
        }
        if (play.Vars.Count > 0) layers.Add(new("play vars", play.Location?.File ?? "play", play.Vars));
        var magic = MagicVars(pc, host, role);
        foreach (var vf in VarsFilesLayers(pc, host, layers, magic)) layers.Add(vf);
        foreach (var r in play.Roles)
            if (r.Vars.Count > 0) layers.Add(new("role vars", r.VarsFile, r.Vars));
        if (role is not null && role.Vars.Count > 0) layers.Add(new("role vars", role.VarsFile, role.Vars));
        if (node is not null)
        {
            var chain = node.VarsChain();
            for (var i = 0; i < chain.Count; i++)
                if (chain[i].Count > 0)
                    layers.Add(new(i == chain.Count - 1 && node is TaskItem ? "task vars" : "block vars", node.Location?.File ?? "", chain[i]));
        }
        if (state.IncludeVars.Count > 0) layers.Add(new("include_vars", "include_vars", state.IncludeVars));
        if (state.SetFacts.Count > 0) layers.Add(new("set_fact / registered vars", "set_fact", state.SetFacts));
        if (node is not null)
        {
            var parents = new List<BlockItem>();
            for (var b = node.Parent; b is not null; b = b.Parent) parents.Add(b);
            parents.Reverse();
            foreach (var b in parents)
                if (b.Params.Count > 0) layers.Add(new("role and include params", b.Location?.File ?? "", b.Params));
        }
        if (ExtraVars.Count > 0) layers.Add(new("extra vars", "-e", ExtraVars));
        layers.Add(new("magic vars", "runner", magic));
        if (extra is not null) layers.Add(new("loop vars", "loop", extra));
        var search = new List<string>();
        if (role is not null) search.Add(role.Path);
        if (node?.Location?.File is { Length: > 0 } f) search.Add(Path.GetDirectoryName(f)!);
        search.Add(play.PlaybookDir);
        return new VariableScope(layers, search.Distinct().ToList());
    }

    private IEnumerable<ScopeLayer> VarsFilesLayers(PlayContext pc, string host, List<ScopeLayer> below, Dict magic)
    {
        var play = pc.Play;
        if (play.VarsFiles.Count == 0) yield break;
        var tempLayers = new List<ScopeLayer>(below);
        if (ExtraVars.Count > 0) tempLayers.Add(new("extra vars", "-e", ExtraVars));
        tempLayers.Add(new("magic vars", "runner", magic));
        var temp = new VariableScope(tempLayers, new[] { play.PlaybookDir });
        foreach (var entry in play.VarsFiles)
        {
            var candidates = entry is List<object?> l ? l : new List<object?> { entry };
            ScopeLayer? found = null;
            var undefined = false;
            foreach (var c in candidates)
            {
                string name;
                try { name = _templar.RenderString(PyStr.Str(c), temp); }
                catch (TemplateError) { undefined = true; break; }
                var path = FindVarsFile(name, play.PlaybookDir);
                if (path is null) continue;
                found = new ScopeLayer("vars_files", path, LoadVarsFile(path));
                break;
            }
            if (undefined) continue;
            if (found is null)
                throw new RunnerException($"vars file {PyStr.Str(entry)} was not found", play.Location, "vars_files");
            yield return found;
        }
    }

    private static string? FindVarsFile(string name, string playbookDir)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        foreach (var c in new[] { Path.Combine(playbookDir, "vars", name), Path.Combine(playbookDir, name) })
            if (File.Exists(c)) return c;
        return null;
    }

    /// <summary>Loads a YAML/JSON vars file (cached for the run); it must hold a mapping.</summary>
    public Dict LoadVarsFile(string path) => _fileCache.GetOrAdd(Path.GetFullPath(path), p =>
    {
        var data = YamlLoader.LoadFile(p);
        return data switch
        {
            null => new Dict(),
            Dict d => d,
            _ => throw new RunnerException($"{p} must be stored as a dictionary/hash", new SourceLocation(p, 1, 1)),
        };
    });

    private Dict MagicVars(PlayContext pc, string host, RoleInstance? role)
    {
        var h = _inventory.FindHost(host);
        var groupNames = h is null ? new List<object?>() : h.GroupNames();
        var active = pc.ActiveHosts();
        var d = new Dict
        {
            ["inventory_hostname"] = host,
            ["inventory_hostname_short"] = host.Split('.')[0],
            ["group_names"] = groupNames,
            ["groups"] = GroupsVar(),
            ["hostvars"] = HostVars(pc),
            ["play_hosts"] = active.Cast<object?>().ToList(),
            ["ansible_play_hosts"] = active.Cast<object?>().ToList(),
            ["ansible_play_hosts_all"] = pc.PlayHostsAll.Cast<object?>().ToList(),
            // VariableManager._get_magic_variables: the batch without the play's removed hosts (failed, end_host)
            ["ansible_play_batch"] = pc.Batch.Where(active.Contains).Cast<object?>().ToList(),
            ["ansible_play_name"] = pc.Play.Name,
            ["playbook_dir"] = pc.Play.PlaybookDir,
            ["ansible_check_mode"] = _settings.CheckMode,
            ["ansible_diff_mode"] = _settings.DiffMode,
            ["ansible_run_tags"] = (_settings.Tags.Count == 0 ? new List<object?> { "all" } : _settings.Tags.Cast<object?>().ToList()),
            ["ansible_skip_tags"] = _settings.SkipTags.Cast<object?>().ToList(),
            ["ansible_version"] = new Dict { ["full"] = "2.14.18", ["major"] = 2L, ["minor"] = 14L, ["revision"] = 18L, ["string"] = "2.14.18" },
            ["ansible_config_file"] = _settings.ConfigFile,
            ["omit"] = Omit,
        };
        if (_settings.InventorySources.Count > 0)
        {
            var inv = Path.GetFullPath(_settings.InventorySources[0]);
            d["inventory_file"] = inv;
            d["inventory_dir"] = Directory.Exists(inv) ? inv : Path.GetDirectoryName(inv);
        }
        if (!State(host).Facts.Any()) d["ansible_facts"] = new Dict();
        if (role is not null)
        {
            d["role_name"] = role.Name;
            d["ansible_role_name"] = role.Name;
            d["role_path"] = role.Path;
        }
        return d;
    }

    private Dict? _groupsVar;

    private Dict GroupsVar()
    {
        if (_groupsVar is not null) return _groupsVar;
        var d = new Dict();
        foreach (var (name, g) in _inventory.Groups)
            d[name] = g.AllHosts().Select(x => (object?)x.Name).ToList();
        return _groupsVar = d;
    }

    private HostVarsView HostVars(PlayContext pc) =>
        new(_inventory.Hosts.Select(x => x.Name).ToList(), name =>
        {
            var d = HostLevelVars(name, pc.Play.PlaybookDir);
            var st = State(name);
            foreach (var (k, v) in st.Facts) d[st.FactVariable(k)] = v;
            d["ansible_facts"] = st.Facts;
            foreach (var (k, v) in st.IncludeVars) d[k] = v;
            foreach (var (k, v) in st.SetFacts) d[k] = v;
            foreach (var (k, v) in ExtraVars) d[k] = v;
            d["inventory_hostname"] = name;
            return d;
        });
}

using Runner.Engine.Errors;

namespace Runner.Engine.Inventory;

/// <summary>
/// A loaded inventory, as Ansible's <c>InventoryData</c>: hosts in order of first appearance, groups in order of
/// creation (<c>all</c> and <c>ungrouped</c> first), the inventory sources (for group_vars/ and host_vars/
/// beside them) and warnings met while loading. Build one with <see cref="InventoryLoader.Load"/>.
/// Follows https://docs.ansible.com/ansible/2.14/inventory_guide/intro_inventory.html.
/// </summary>
public sealed class InventoryData
{
    /// <summary>Names Ansible treats as the local machine (C.LOCALHOST).</summary>
    public static readonly IReadOnlyList<string> LocalhostNames = ["localhost", "127.0.0.1", "::1"];

    private readonly List<Host> _hosts = new();
    private readonly Dictionary<string, Host> _hostIndex = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = new();
    private readonly List<string> _sources = new();
    private Host? _localhost;

    internal InventoryData()
    {
        All = AddGroup("all", null);
        AddGroup("ungrouped", null);
        AddChild(All, _groups["ungrouped"]);
    }

    /// <summary>Hosts in order of first appearance in the inventory sources (the implicit localhost is not listed).</summary>
    public IReadOnlyList<Host> Hosts => _hosts;

    /// <summary>Groups by name, in creation order; always contains <c>all</c> and <c>ungrouped</c>.</summary>
    public IReadOnlyDictionary<string, Group> Groups => _groups;

    /// <summary>The <c>all</c> group.</summary>
    public Group All { get; }

    /// <summary>Warnings met while loading (text without the "[WARNING]: " prefix), in order.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Full paths of the inventory sources that exist on disk (files or folders), in the order given; comma host lists are not included.</summary>
    public IReadOnlyList<string> Sources => _sources;

    /// <summary>The implicit localhost, once a pattern or <see cref="FindHost"/> has created it; else null.</summary>
    public Host? ImplicitLocalhost { get; private set; }

    internal VarsFileCache VarsFiles { get; } = new();

    /// <summary>
    /// The host named <paramref name="name"/>, as Ansible's InventoryData.get_host: for localhost, 127.0.0.1 or ::1
    /// absent from the inventory, the first localhost-like inventory host, else the implicit localhost
    /// (created on first use with ansible_connection=local). Null when there is no such host.
    /// </summary>
    public Host? FindHost(string name)
    {
        if (_hostIndex.TryGetValue(name, out var h)) return h;
        if (!LocalhostNames.Contains(name)) return null;
        if (_localhost is not null) return _localhost;
        if (ImplicitLocalhost is null)
        {
            var implicitHost = new Host(name, implicitHost: true);
            implicitHost.SetVariable("ansible_connection", "local", null);
            ImplicitLocalhost = implicitHost;
        }
        return ImplicitLocalhost;
    }

    internal void Warn(string message)
    {
        if (!_warnings.Contains(message)) _warnings.Add(message);
    }

    internal void AddSource(string path) => _sources.Add(path);

    internal Group AddGroup(string name, string? sourceFile)
    {
        if (string.IsNullOrEmpty(name)) throw new RunnerException("Invalid empty/false group name provided");
        if (!_groups.TryGetValue(name, out var g))
        {
            g = new Group(name) { SourceFile = sourceFile };
            _groups[name] = g;
        }
        return g;
    }

    internal Host AddHost(string name, Group? group, long? port, string? sourceFile)
    {
        if (string.IsNullOrEmpty(name)) throw new RunnerException($"Invalid empty host name provided: {name}");
        if (!_hostIndex.TryGetValue(name, out var h))
        {
            h = new Host(name);
            if (port is not null) h.SetVariable("ansible_port", port.Value, null);
            if (sourceFile is not null)
            {
                h.SetVariable("inventory_file", sourceFile, null);
                h.SetVariable("inventory_dir", Path.GetDirectoryName(sourceFile) ?? "", null);
            }
            _hosts.Add(h);
            _hostIndex[name] = h;
            if (LocalhostNames.Contains(name)) _localhost ??= h;
        }
        if (group is not null && !group.HostList.Contains(h))
        {
            group.HostList.Add(h);
            h.DirectGroups.Add(group);
        }
        return h;
    }

    /// <summary>Adds <paramref name="child"/> under <paramref name="parent"/>; errors on loops as Ansible does.</summary>
    internal void AddChild(Group parent, Group child, SourceLocation? where = null)
    {
        if (parent == child) throw new RunnerException($"can't add group to itself: {parent.Name}", where, exitCode: ExitCodes.ParserError);
        if (parent.ChildList.Contains(child)) return;
        if (parent.Ancestors().Contains(child))
            throw new RunnerException($"Adding group '{child.Name}' as child to '{parent.Name}' creates a recursive dependency loop.", where, exitCode: ExitCodes.ParserError);
        parent.ChildList.Add(child);
        child.ParentList.Add(parent);
    }

    /// <summary>Ansible's reconcile_inventory: orphan groups go under all, hosts in no group into ungrouped, depths computed.</summary>
    internal void Reconcile()
    {
        var ungrouped = _groups["ungrouped"];
        foreach (var g in _groups.Values.ToList())
            if (g != All && g.ParentList.Count == 0) AddChild(All, g);
        foreach (var h in _hosts)
        {
            var mine = h.AllGroups().ToList();
            if (mine.Contains(ungrouped))
            {
                if (mine.Any(g => g != All && g != ungrouped))
                {
                    ungrouped.HostList.Remove(h);
                    h.DirectGroups.Remove(ungrouped);
                }
            }
            else if (mine.Count == 0 || mine.All(g => g == All))
            {
                ungrouped.HostList.Add(h);
                h.DirectGroups.Add(ungrouped);
            }
        }
        var depth = new Dictionary<Group, int>();
        int Depth(Group g) => depth.TryGetValue(g, out var d) ? d : depth[g] = g.ParentList.Count == 0 ? 0 : g.ParentList.Max(p => Depth(p) + 1);
        foreach (var g in _groups.Values) g.Depth = Depth(g);
        foreach (var name in _groups.Keys)
            if (_hostIndex.ContainsKey(name)) Warn($"Found both group and host with same name: {name}");
    }
}

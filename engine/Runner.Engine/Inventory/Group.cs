using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Inventory;

/// <summary>
/// One inventory group, as Ansible's <c>ansible.inventory.group.Group</c>: variables from the inventory file,
/// child and parent groups, direct hosts, a depth (longest path from <c>all</c>, which has depth 0) and a
/// priority (<c>ansible_group_priority</c>, default 1) used to order group variables.
/// </summary>
public sealed class Group
{
    internal readonly List<Group> ChildList = new();
    internal readonly List<Group> ParentList = new();
    internal readonly List<Host> HostList = new();
    internal readonly Dictionary<string, SourceLocation> VarOrigins = new(StringComparer.Ordinal);

    internal Group(string name) => Name = name;

    /// <summary>The group name.</summary>
    public string Name { get; }

    /// <summary>Variables set on the group in inventory files (<c>vars:</c> / <c>[g:vars]</c>), in the order first set.</summary>
    public Dict Vars { get; } = new();

    /// <summary>Direct child groups, in the order they were added.</summary>
    public IReadOnlyList<Group> Children => ChildList;

    /// <summary>Direct parent groups, in the order they were added.</summary>
    public IReadOnlyList<Group> Parents => ParentList;

    /// <summary>Direct member hosts, in the order they were added.</summary>
    public IReadOnlyList<Host> Hosts => HostList;

    /// <summary>Longest distance from <c>all</c> (all = 0, its children 1, ...). Used to order group vars.</summary>
    public int Depth { get; internal set; }

    /// <summary><c>ansible_group_priority</c> (default 1); among groups of equal depth, higher priority wins.</summary>
    public int Priority { get; internal set; } = 1;

    /// <summary>The inventory file that first defined this group (null for the implicit all/ungrouped).</summary>
    public string? SourceFile { get; internal set; }

    /// <summary>
    /// The group itself followed by its descendants, breadth first, as Ansible's
    /// <c>Group.get_descendants(include_self=True, preserve_ordering=True)</c>.
    /// </summary>
    public IEnumerable<Group> SelfAndDescendants()
    {
        var seen = new HashSet<Group> { this };
        var ordered = new List<Group> { this };
        var level = new List<Group>();
        foreach (var c in ChildList)
            if (seen.Add(c)) { ordered.Add(c); level.Add(c); }
        while (level.Count > 0)
        {
            var next = new List<Group>();
            foreach (var g in level)
                foreach (var c in g.ChildList)
                    if (seen.Add(c)) { ordered.Add(c); next.Add(c); }
            level = next;
        }
        return ordered;
    }

    /// <summary>
    /// All hosts of the group and its descendants, each once, in Ansible's <c>Group.get_hosts()</c> order:
    /// the group's own hosts, then those of its children, then grandchildren (breadth first).
    /// This is the order plays run hosts in. The implicit localhost is never in <c>all</c>.
    /// </summary>
    public IEnumerable<Host> AllHosts()
    {
        var seen = new HashSet<Host>();
        foreach (var g in SelfAndDescendants())
            foreach (var h in g.HostList)
                if (seen.Add(h) && !(Name == "all" && h.Implicit))
                    yield return h;
    }

    /// <summary>All ancestors (parents, grandparents, ...), each once.</summary>
    public IEnumerable<Group> Ancestors()
    {
        var seen = new HashSet<Group>();
        var queue = new Queue<Group>(ParentList);
        while (queue.Count > 0)
        {
            var g = queue.Dequeue();
            if (!seen.Add(g)) continue;
            yield return g;
            foreach (var p in g.ParentList) queue.Enqueue(p);
        }
    }

    /// <summary>Sets a group variable as Ansible's Group.set_variable does: <c>ansible_group_priority</c> sets <see cref="Priority"/> instead.</summary>
    internal void SetVariable(string key, object? value, SourceLocation? origin)
    {
        if (key == "ansible_group_priority")
        {
            Priority = value switch
            {
                long l => (int)l,
                double d => (int)d,
                string s when int.TryParse(s.Trim(), out var i) => i,
                _ => throw new RunnerException($"Invalid ansible_group_priority '{PyStr.Str(value)}' for group '{Name}': an integer is required", origin),
            };
            return;
        }
        Vars[key] = value;
        if (origin is not null) VarOrigins[key] = origin;
    }

    public override string ToString() => Name;
}

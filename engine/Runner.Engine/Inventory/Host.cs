using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Inventory;

/// <summary>
/// One inventory host, as Ansible's <c>ansible.inventory.host.Host</c>: a name, the variables set on it
/// by inventory sources (inline YAML host vars, INI <c>k=v</c> pairs, <c>ansible_port</c> from
/// <c>host:port</c>, and <c>inventory_file</c>/<c>inventory_dir</c> of the first source naming it) and the
/// groups it is a direct member of. Vars from host_vars/ files are not here: see <see cref="HostVariableLayers"/>.
/// </summary>
public sealed class Host
{
    internal readonly List<Group> DirectGroups = new();
    internal readonly Dictionary<string, SourceLocation> VarOrigins = new(StringComparer.Ordinal);

    internal Host(string name, bool implicitHost = false)
    {
        Name = name;
        Implicit = implicitHost;
    }

    /// <summary>The inventory hostname (inventory_hostname).</summary>
    public string Name { get; }

    /// <summary>Variables set on the host by the inventory file(s), in the order first set.</summary>
    public Dict Vars { get; } = new();

    /// <summary>True for the implicit localhost Ansible creates when a pattern names localhost/127.0.0.1/::1 absent from the inventory; it is not in <c>all</c>.</summary>
    public bool Implicit { get; }

    /// <summary>The groups the host is a direct member of, in the order it was added to them.</summary>
    public IReadOnlyList<Group> Groups => DirectGroups;

    /// <summary>All groups of the host: direct parents and their ancestors (including <c>all</c>), each once, parents before grandparents.</summary>
    public IEnumerable<Group> AllGroups()
    {
        var seen = new HashSet<Group>();
        var queue = new Queue<Group>(DirectGroups);
        while (queue.Count > 0)
        {
            var g = queue.Dequeue();
            if (!seen.Add(g)) continue;
            yield return g;
            foreach (var p in g.ParentList) queue.Enqueue(p);
        }
    }

    /// <summary>
    /// The magic variable <c>group_names</c>: sorted (ordinal) names of all the host's groups except <c>all</c>.
    /// As observed in ansible-core 2.14, an ungrouped host gets <c>["ungrouped"]</c>.
    /// </summary>
    public List<object?> GroupNames() =>
        AllGroups().Select(g => g.Name).Where(n => n != "all").Distinct()
            .OrderBy(n => n, StringComparer.Ordinal).Cast<object?>().ToList();

    /// <summary>Sets a host variable as Ansible's Host.set_variable does (later assignments replace earlier ones).</summary>
    internal void SetVariable(string key, object? value, SourceLocation? origin)
    {
        Vars[key] = value;
        if (origin is not null) VarOrigins[key] = origin;
        else VarOrigins.Remove(key);
    }

    public override string ToString() => Name;
}

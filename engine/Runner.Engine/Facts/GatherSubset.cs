namespace Runner.Engine.Facts;

/// <summary>
/// Which collectors a gather_subset selects, as ansible-core 2.14's collector.get_collector_names and
/// select_collector_classes decide (lib/ansible/module_utils/facts/collector.py, modules/setup.py): "min" (the
/// minimal set) is always added first; "all" adds every collector; "!name" excludes a collector name with its alias
/// fact ids (or one fact id), "!min" the minimal set, "!all" everything but the minimal set; an explicitly named subset wins over
/// an exclusion; with nothing added, everything is; required collectors are added back. An unknown name is an error.
/// </summary>
public static class GatherSubset
{
    /// <summary>setup's minimal_gather_subset.</summary>
    public static readonly IReadOnlySet<string> Minimal = new HashSet<string>(StringComparer.Ordinal)
    {
        "apparmor", "caps", "cmdline", "date_time", "distribution", "dns", "env", "fips", "local", "lsb", "pkg_mgr",
        "platform", "python", "selinux", "service_mgr", "ssh_pub_keys", "user",
    };

    /// <summary>
    /// The collector names <paramref name="subsets"/> selects.
    /// Errors: <see cref="ArgumentException"/> with Ansible's "Bad subset" message for an unknown name.
    /// </summary>
    public static IReadOnlySet<string> Resolve(IEnumerable<string> subsets)
    {
        var byId = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var c in FactCollectors.All)
            foreach (var id in c.FactIds.Append(c.Name))
            {
                if (!byId.TryGetValue(id, out var set)) byId[id] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(c.Name);
            }
        var valid = byId.Keys.ToHashSet(StringComparer.Ordinal);
        var list = subsets.ToList();
        if (list.Count == 0) list.Add("all");
        var add = new HashSet<string>(StringComparer.Ordinal);
        var exclude = new HashSet<string>(StringComparer.Ordinal);
        var explicitly = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in list.Prepend("min"))
        {
            if (s == "min") { add.UnionWith(Minimal); continue; }
            if (s == "all") { add.UnionWith(valid); continue; }
            if (s.StartsWith('!'))
            {
                var x = s[1..];
                if (x == "min") exclude.UnionWith(Minimal);
                else if (x == "all") exclude.UnionWith(valid.Except(Minimal));
                else
                {
                    exclude.Add(x);
                    if (FactCollectors.All.FirstOrDefault(c => c.Name == x) is { } named) exclude.UnionWith(named.FactIds);
                }
                continue;
            }
            if (!valid.Contains(s))
                throw new ArgumentException($"Bad subset '{s}' given to Ansible. gather_subset options allowed: all, {string.Join(", ", valid.Order(StringComparer.Ordinal))}");
            explicitly.Add(s);
            add.Add(s);
        }
        if (add.Count == 0) add.UnionWith(valid);
        add.ExceptWith(exclude.Except(explicitly));
        var names = new HashSet<string>(add.SelectMany(id => byId.TryGetValue(id, out var c) ? c : new HashSet<string>()), StringComparer.Ordinal);
        foreach (var c in FactCollectors.All.Where(c => names.Contains(c.Name)).ToList())
            names.UnionWith(c.Requires);
        return names;
    }
}

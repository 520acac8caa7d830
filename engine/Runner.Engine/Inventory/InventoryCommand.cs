using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Inventory;

/// <summary>
/// <c>runner inventory</c>: the output of <c>ansible-inventory</c> 2.14
/// (https://docs.ansible.com/ansible/2.14/cli/ansible-inventory.html) for <c>--list</c>, <c>--graph [GROUP]</c> and <c>--host HOST</c>.
/// </summary>
public static class InventoryCommand
{
    /// <summary>Variables ansible-inventory strips from host and group vars (its INTERNAL_VARS).</summary>
    public static readonly IReadOnlySet<string> InternalVars = new HashSet<string>(StringComparer.Ordinal)
    {
        "ansible_diff_mode", "ansible_config_file", "ansible_facts", "ansible_forks", "ansible_inventory_sources",
        "ansible_limit", "ansible_playbook_python", "ansible_run_tags", "ansible_skip_tags", "ansible_verbosity",
        "ansible_version", "inventory_dir", "inventory_file", "inventory_hostname", "inventory_hostname_short",
        "groups", "group_names", "omit", "playbook_dir",
    };

    /// <summary>
    /// Prints the inventory to <paramref name="output"/> and returns the exit code (0).
    /// <paramref name="mode"/>: "list" (JSON: groups with children/hosts, <c>_meta.hostvars</c> with each host's merged
    /// inventory vars; sorted keys, indent 4), "graph" (tree from <c>all</c>, or from the group named by <paramref name="host"/>)
    /// or "host" (the merged vars of the single host matched by the pattern <paramref name="host"/>, JSON, sorted, indent 4).
    /// <paramref name="playbookDir"/> plays the role of <c>--playbook-dir</c>; <paramref name="export"/> of <c>--export</c>
    /// (list: group vars shown under each group and hostvars limited to host-level vars).
    /// Errors: RunnerException with exit code 5 for a bad mode, a --host pattern not matching exactly one host, or an unknown --graph group.
    /// </summary>
    public static int Run(InventoryData inv, string mode, string? host, TextWriter output, string? playbookDir = null, bool export = false)
    {
        switch (mode)
        {
            case "list":
                output.WriteLine(PyStr.JsonDumps(ListJson(inv, playbookDir, export), sortKeys: true, indent: 4));
                return ExitCodes.Ok;
            case "graph":
            {
                var name = host ?? "all";
                if (!inv.Groups.TryGetValue(name, out var start))
                    throw new RunnerException("Pattern must be valid group name when using --graph", exitCode: ExitCodes.BadOptions);
                var lines = new List<string>();
                Graph(start, 0, lines);
                output.WriteLine(string.Join("\n", lines));
                return ExitCodes.Ok;
            }
            case "host":
            {
                if (string.IsNullOrEmpty(host))
                    throw new RunnerException("You must pass a single valid host to --host parameter", exitCode: ExitCodes.BadOptions);
                var hosts = HostPattern.Select(inv, host);
                if (hosts.Count != 1)
                    throw new RunnerException("You must pass a single valid host to --host parameter", exitCode: ExitCodes.BadOptions);
                output.WriteLine(PyStr.JsonDumps(HostVars(inv, hosts[0], playbookDir, export), sortKeys: true, indent: 4));
                return ExitCodes.Ok;
            }
            default:
                throw new RunnerException($"Unknown inventory action '{mode}': use --list, --graph or --host HOST", exitCode: ExitCodes.BadOptions);
        }
    }

    /// <summary>The --list document (before JSON encoding).</summary>
    public static Dict ListJson(InventoryData inv, string? playbookDir = null, bool export = false)
    {
        var results = new Dict();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        FormatGroup(inv, inv.All, results, seen, playbookDir, export);
        var hostvars = new Dict();
        foreach (var h in inv.All.AllHosts())
        {
            var hv = HostVars(inv, h, playbookDir, export);
            if (hv.Count > 0) hostvars[h.Name] = hv;
        }
        results["_meta"] = new Dict { ["hostvars"] = hostvars };
        return results;
    }

    private static void FormatGroup(InventoryData inv, Group group, Dict results, HashSet<string> seen, string? playbookDir, bool export)
    {
        var entry = new Dict();
        results[group.Name] = entry;
        if (group.Name != "all") entry["hosts"] = group.Hosts.Select(h => (object?)h.Name).ToList();
        var children = new List<object?>();
        entry["children"] = children;
        foreach (var child in group.Children)
        {
            children.Add(child.Name);
            if (seen.Add(child.Name)) FormatGroup(inv, child, results, seen, playbookDir, export);
        }
        if (export) entry["vars"] = GroupVars(inv, group, playbookDir);
        foreach (var key in entry.Keys.ToList())
            if (entry[key] is System.Collections.ICollection { Count: 0 }) entry.Remove(key);
        if (entry.Count == 0) results.Remove(group.Name);
    }

    private static void Graph(Group group, int depth, List<string> lines)
    {
        lines.Add(GraphName($"@{group.Name}:", depth));
        foreach (var kid in group.Children) Graph(kid, depth + 1, lines);
        if (group.Name != "all")
            foreach (var h in group.Hosts) lines.Add(GraphName(h.Name, depth + 1));
    }

    private static string GraphName(string name, int depth) =>
        depth == 0 ? name : string.Concat(Enumerable.Repeat("  |", depth)) + "--" + name;

    /// <summary>A host's vars as ansible-inventory shows them: all inventory layers merged (export: host-level layers only), internal vars removed.</summary>
    public static Dict HostVars(InventoryData inv, Host host, string? playbookDir = null, bool export = false)
    {
        var layers = HostVariableLayers.For(inv, host, playbookDir);
        if (export)
            layers = layers.Where(l => l.Level is VariableLevels.InventoryFileHostVars or VariableLevels.InventoryHostVars or VariableLevels.PlaybookHostVars).ToList();
        var merged = HostVariableLayers.Merge(layers);
        foreach (var k in InternalVars) merged.Remove(k);
        return merged;
    }

    private static Dict GroupVars(InventoryData inv, Group group, string? playbookDir)
    {
        var res = group.Vars.DeepCopy();
        var dirs = inv.Sources.Select(s => Directory.Exists(s) ? s : Path.GetDirectoryName(s) ?? "/").ToList();
        if (playbookDir is not null) dirs.Add(playbookDir);
        foreach (var dir in dirs)
            foreach (var file in inv.VarsFiles.Find(Path.Combine(dir, "group_vars"), group.Name))
                if (inv.VarsFiles.Load(file) is { } d)
                    foreach (var (k, v) in d) res[k] = Data.DeepCopy(v);
        if (group.Priority != 1) res["ansible_group_priority"] = (long)group.Priority;
        foreach (var k in InternalVars) res.Remove(k);
        return res;
    }
}

using Runner.Engine.Values;

namespace Runner.Engine.Inventory;

/// <summary>
/// The inventory part of a host's variables, as Ansible 2.14's VariableManager.get_vars builds it with the default
/// VARIABLE_PRECEDENCE (all_inventory, groups_inventory, all_plugins_inventory, all_plugins_play,
/// groups_plugins_inventory, groups_plugins_play) followed by host vars, inventory host_vars and playbook host_vars.
/// See "Understanding variable precedence": https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_variables.html.
/// Groups are ordered as Ansible's sort_groups: by depth, then <c>ansible_group_priority</c>, then name (ordinal),
/// so a child group overrides its parent. group_vars/ and host_vars/ are looked up beside every inventory source
/// (in a source folder, or in the folder of a source file), source by source, and beside the playbook.
/// </summary>
public static class HostVariableLayers
{
    /// <summary>
    /// The ordered layers (lowest precedence first) for <paramref name="host"/>. <paramref name="playbookDir"/> is the folder of
    /// the playbook file (null: no playbook group_vars/host_vars). Empty layers are left out.
    /// Errors: RunnerException (exit 4) for unreadable or invalid vars files.
    /// </summary>
    public static List<VariableLayer> For(InventoryData inv, Host host, string? playbookDir)
    {
        var layers = new List<VariableLayer>();
        var groups = SortedGroups(host);
        var all = inv.All;

        void AddGroupInventory(Group g)
        {
            if (g.Vars.Count == 0) return;
            layers.Add(new VariableLayer(VariableLevels.InventoryFileGroupVars, $"inventory file {g.SourceFile ?? "(implicit)"}", g.Vars.DeepCopy())
            { KeyOrigins = new Dictionary<string, Errors.SourceLocation>(g.VarOrigins) });
        }

        void AddFiles(string level, string baseDir, string sub, string name)
        {
            var folder = Path.Combine(baseDir, sub);
            foreach (var file in inv.VarsFiles.Find(folder, name))
            {
                var data = inv.VarsFiles.Load(file);
                if (data is not null) layers.Add(new VariableLayer(level, file, data));
            }
        }

        var sourceDirs = inv.Sources.Select(s => Directory.Exists(s) ? s : Path.GetDirectoryName(s) ?? "/").ToList();

        AddGroupInventory(all);
        foreach (var g in groups) AddGroupInventory(g);
        foreach (var dir in sourceDirs) AddFiles(VariableLevels.InventoryGroupVarsAll, dir, "group_vars", "all");
        if (playbookDir is not null) AddFiles(VariableLevels.PlaybookGroupVarsAll, playbookDir, "group_vars", "all");
        foreach (var dir in sourceDirs)
            foreach (var g in groups) AddFiles(VariableLevels.InventoryGroupVars, dir, "group_vars", g.Name);
        if (playbookDir is not null)
            foreach (var g in groups) AddFiles(VariableLevels.PlaybookGroupVars, playbookDir, "group_vars", g.Name);
        if (host.Vars.Count > 0)
            layers.Add(new VariableLayer(VariableLevels.InventoryFileHostVars,
                host.Implicit ? "implicit localhost" : $"inventory file {host.Vars.Get("inventory_file") ?? "(host list)"}",
                host.Vars.DeepCopy()) { KeyOrigins = new Dictionary<string, Errors.SourceLocation>(host.VarOrigins) });
        foreach (var dir in sourceDirs) AddFiles(VariableLevels.InventoryHostVars, dir, "host_vars", host.Name);
        if (playbookDir is not null) AddFiles(VariableLevels.PlaybookHostVars, playbookDir, "host_vars", host.Name);
        return layers;
    }

    /// <summary>The host's groups except <c>all</c>, in Ansible's sort_groups order (depth, priority, name).</summary>
    public static List<Group> SortedGroups(Host host) =>
        host.AllGroups().Where(g => g.Name != "all")
            .OrderBy(g => g.Depth).ThenBy(g => g.Priority).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();

    /// <summary>Merges <paramref name="layers"/> in order (hash_behaviour=replace: a later key replaces the whole value, keeping its first position).</summary>
    public static Dict Merge(IEnumerable<VariableLayer> layers)
    {
        var result = new Dict();
        foreach (var layer in layers)
            foreach (var (k, v) in layer.Vars)
                result[k] = Data.DeepCopy(v);
        return result;
    }

    /// <summary>The merged inventory variables of <paramref name="host"/> (<see cref="For"/> then <see cref="Merge"/>).</summary>
    public static Dict MergedFor(InventoryData inv, Host host, string? playbookDir) => Merge(For(inv, host, playbookDir));
}

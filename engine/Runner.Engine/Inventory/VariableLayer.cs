using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Inventory;

/// <summary>
/// One layer of a host's inventory variables: the precedence level it belongs to (see <see cref="VariableLevels"/>),
/// where it came from (a vars file path, or "inventory file PATH" for vars written in the inventory itself)
/// and its variables. Layers are merged lowest first, later keys replacing earlier ones.
/// </summary>
public sealed record VariableLayer(string Level, string Origin, Dict Vars)
{
    /// <summary>Per-key positions when they are not the positions of <see cref="Vars"/>' own keys (inventory-file vars).</summary>
    internal IReadOnlyDictionary<string, SourceLocation>? KeyOrigins { get; init; }

    /// <summary>Where <paramref name="key"/> of this layer was written (file:line:column), or null when unknown or absent.</summary>
    public SourceLocation? OriginOf(string key)
    {
        if (!Vars.ContainsKey(key)) return null;
        if (KeyOrigins is not null && KeyOrigins.TryGetValue(key, out var loc)) return loc;
        return SourceMap.OfKey(Vars, key);
    }
}

/// <summary>
/// Names of the inventory precedence levels, lowest first, as listed on the Ansible docs page
/// "Understanding variable precedence" (https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_variables.html#understanding-variable-precedence), entries 2-10.
/// </summary>
public static class VariableLevels
{
    public const string InventoryFileGroupVars = "inventory file or script group vars";
    public const string InventoryGroupVarsAll = "inventory group_vars/all";
    public const string PlaybookGroupVarsAll = "playbook group_vars/all";
    public const string InventoryGroupVars = "inventory group_vars/*";
    public const string PlaybookGroupVars = "playbook group_vars/*";
    public const string InventoryFileHostVars = "inventory file or script host vars";
    public const string InventoryHostVars = "inventory host_vars/*";
    public const string PlaybookHostVars = "playbook host_vars/*";
}

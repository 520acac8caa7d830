namespace Runner.Engine.Modules;

/// <summary>
/// The module names ansible-core 2.14 ships as ansible.builtin (`ansible-doc -t module -l ansible.builtin`, kept in
/// ansible-builtin-modules.txt beside this file), so that
/// a playbook naming one that Runner does not implement loads as it does under ansible-playbook: public roles carry
/// tasks for other systems (`yum:` guarded by `when: ansible_os_family == 'RedHat'`) that are skipped on Debian.
/// Such a task fails only when it runs (<see cref="NotImplementedMessage"/>); a name no one knows is still refused at
/// load time with Ansible's "couldn't resolve module/action" error. The same holds for the modules of the collections
/// the ansible 7 package ships beside ansible-core 2.14 (Debian 12's `ansible`: every
/// ansible_collections/NS/COLL/plugins/modules/NAME.py as NS.COLL.NAME, kept in ansible-collection-modules.txt),
/// named by their fully qualified name: roles use community.general.pamd and the like under a `when`.
/// </summary>
public static class AnsibleBuiltinModules
{
    /// <summary>The names, one a line in the embedded ansible-builtin-modules.txt (data, so the engine's code names no module).</summary>
    private static readonly HashSet<string> Names = Load("ansible-builtin-modules.txt");

    /// <summary>The fully qualified names of the shipped collections' modules (embedded ansible-collection-modules.txt).</summary>
    private static readonly Lazy<HashSet<string>> CollectionNames = new(() => Load("ansible-collection-modules.txt"));

    private static HashSet<string> Load(string resource)
    {
        using var stream = typeof(AnsibleBuiltinModules).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in Runner.Engine");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True for NAME, ansible.builtin.NAME and ansible.legacy.NAME where NAME is an ansible.builtin module.</summary>
    public static bool Contains(string action)
    {
        foreach (var prefix in new[] { "ansible.builtin.", "ansible.legacy." })
            if (action.StartsWith(prefix, StringComparison.Ordinal)) return Names.Contains(action[prefix.Length..]);
        return Names.Contains(action) || InCollection(action);
    }

    /// <summary>True for NS.COLL.NAME, a module of a collection shipped with the ansible package.</summary>
    private static bool InCollection(string action) => action.Count(c => c == '.') == 2 && CollectionNames.Value.Contains(action);

    /// <summary>The failure of a task that runs an ansible.builtin or shipped collection module Runner does not implement.</summary>
    public static string NotImplementedMessage(string action) => InCollection(action)
        ? $"Runner does not implement the module '{action}' (the ansible package's collections have it; the task was not run)"
        : $"Runner does not implement the module '{action}' (ansible-core has it; the task was not run)";
}

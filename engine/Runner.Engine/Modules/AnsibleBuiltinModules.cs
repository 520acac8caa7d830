namespace Runner.Engine.Modules;

/// <summary>
/// The module names ansible-core 2.14 ships as ansible.builtin (`ansible-doc -t module -l ansible.builtin`, kept in
/// ansible-builtin-modules.txt beside this file), so that
/// a playbook naming one that Runner does not implement loads as it does under ansible-playbook: public roles carry
/// tasks for other systems (`yum:` guarded by `when: ansible_os_family == 'RedHat'`) that are skipped on Debian.
/// Such a task fails only when it runs (<see cref="NotImplementedMessage"/>); a name no one knows is still refused at
/// load time with Ansible's "couldn't resolve module/action" error.
/// </summary>
public static class AnsibleBuiltinModules
{
    /// <summary>The names, one a line in the embedded ansible-builtin-modules.txt (data, so the engine's code names no module).</summary>
    private static readonly HashSet<string> Names = Load();

    private static HashSet<string> Load()
    {
        using var stream = typeof(AnsibleBuiltinModules).Assembly.GetManifestResourceStream("ansible-builtin-modules.txt")
            ?? throw new InvalidOperationException("ansible-builtin-modules.txt is not embedded in Runner.Engine");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True for NAME, ansible.builtin.NAME and ansible.legacy.NAME where NAME is an ansible.builtin module.</summary>
    public static bool Contains(string action)
    {
        foreach (var prefix in new[] { "ansible.builtin.", "ansible.legacy." })
            if (action.StartsWith(prefix, StringComparison.Ordinal)) return Names.Contains(action[prefix.Length..]);
        return Names.Contains(action);
    }

    /// <summary>The failure of a task that runs an ansible.builtin module Runner does not implement.</summary>
    public static string NotImplementedMessage(string action) =>
        $"Runner does not implement the module '{action}' (ansible-core has it; the task was not run)";
}

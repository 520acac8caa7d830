namespace Runner.Engine.Modules;

/// <summary>
/// The module names ansible-core 2.14 ships as ansible.builtin (`ansible-doc -t module -l ansible.builtin`), so that
/// a playbook naming one that Runner does not implement loads as it does under ansible-playbook: public roles carry
/// tasks for other systems (`yum:` guarded by `when: ansible_os_family == 'RedHat'`) that are skipped on Debian.
/// Such a task fails only when it runs (<see cref="NotImplementedMessage"/>); a name no one knows is still refused at
/// load time with Ansible's "couldn't resolve module/action" error.
/// </summary>
public static class AnsibleBuiltinModules
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "add_host", "apt", "apt_key", "apt_repository", "assemble", "assert", "async_status", "blockinfile", "command",
        "copy", "cron", "debconf", "debug", "dnf", "dpkg_selections", "expect", "fail", "fetch", "file", "find",
        "gather_facts", "get_url", "getent", "git", "group", "group_by", "hostname", "import_playbook", "import_role",
        "import_tasks", "include", "include_role", "include_tasks", "include_vars", "iptables", "known_hosts",
        "lineinfile", "meta", "package", "package_facts", "pause", "ping", "pip", "raw", "reboot", "replace", "rpm_key",
        "script", "service", "service_facts", "set_fact", "set_stats", "setup", "shell", "slurp", "stat", "subversion",
        "systemd", "systemd_service", "sysvinit", "tempfile", "template", "unarchive", "uri", "user",
        "validate_argument_spec", "wait_for", "wait_for_connection", "yum", "yum_repository",
    };

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

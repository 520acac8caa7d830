namespace Runner.Engine.Config;

/// <summary>
/// Where roles and collections live, as Ansible 2.14's settings say (docs: "Ansible Configuration Settings",
/// DEFAULT_ROLES_PATH and COLLECTIONS_PATHS): roles_path (ANSIBLE_ROLES_PATH), else
/// ~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles; collections_path or collections_paths
/// (ANSIBLE_COLLECTIONS_PATH, ANSIBLE_COLLECTIONS_PATHS), else ~/.ansible/collections:/usr/share/ansible/collections.
/// "~/.ansible" is ANSIBLE_HOME when that is set. Every path is absolute.
/// </summary>
public static class ContentPaths
{
    /// <summary>The roles search path, first entry first (ansible-galaxy installs into the first).</summary>
    public static List<string> Roles(RunnerConfig cfg) =>
        cfg.Paths("roles_path") is { Count: > 0 } p ? p : [Path.Combine(Home, "roles"), "/usr/share/ansible/roles", "/etc/ansible/roles"];

    /// <summary>The collections search path (folders that hold an ansible_collections/ folder), first entry first.</summary>
    public static List<string> Collections(RunnerConfig cfg) =>
        cfg.Paths("collections_path") is { Count: > 0 } p ? p
        : cfg.Paths("collections_paths") is { Count: > 0 } q ? q
        : [Path.Combine(Home, "collections"), "/usr/share/ansible/collections"];

    /// <summary>ANSIBLE_HOME, else ~/.ansible.</summary>
    public static string Home =>
        Environment.GetEnvironmentVariable("ANSIBLE_HOME") is { Length: > 0 } h ? Path.GetFullPath(h)
        : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ansible");
}

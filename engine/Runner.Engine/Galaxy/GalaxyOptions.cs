namespace Runner.Engine.Galaxy;

/// <summary>
/// What `runner galaxy install|list` was asked, as ansible-galaxy 2.14's options (docs: ansible-galaxy CLI):
/// the roles path (-p/--roles-path prepended to roles_path; installs go to the first entry), the collections path
/// (collection install -p, else the first collections_path), -r/--role-file, positional items, -f/--force,
/// -i/--ignore-errors, -n/--no-deps; <see cref="RolesPathGiven"/> says whether -p was used (then
/// `galaxy install -r` skips the file's collections, as ansible-galaxy does).
/// </summary>
public sealed record GalaxyOptions
{
    /// <summary>"role" or "collection": which kind a command is about (`galaxy install` is role, as ansible-galaxy's implicit role).</summary>
    public string Type { get; init; } = "role";

    /// <summary>True for `runner galaxy install` / `galaxy list` without `role` or `collection`.</summary>
    public bool ImplicitRole { get; init; } = true;

    /// <summary>The roles search path, absolute, -p entries first.</summary>
    public List<string> RolesPaths { get; init; } = [];

    /// <summary>Whether -p/--roles-path was given.</summary>
    public bool RolesPathGiven { get; init; }

    /// <summary>The collections search path, absolute (for `collection install`, its first entry is where to install).</summary>
    public List<string> CollectionsPaths { get; init; } = [];

    /// <summary>-r: the requirements file, as given.</summary>
    public string? RequirementsFile { get; init; }

    /// <summary>Positional items: role or collection names, paths, archives or URLs (for list: the one to show).</summary>
    public List<string> Items { get; init; } = [];

    /// <summary>-f/--force: reinstall what is installed.</summary>
    public bool Force { get; init; }

    /// <summary>-i/--ignore-errors: go on after a role that failed.</summary>
    public bool IgnoreErrors { get; init; }

    /// <summary>-n/--no-deps: do not add role dependencies.</summary>
    public bool NoDeps { get; init; }

    /// <summary>Where clones and archives go while installing (removed by the caller).</summary>
    public string TempDir { get; init; } = Path.GetTempPath();
}

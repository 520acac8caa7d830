namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// Ansible's DataLoader.path_dwim_relative_stack (lib/ansible/parsing/dataloader.py): an absolute or "~" name is
/// taken as is; otherwise, for each search path P (the role's path, then the task file's folder, ...):
/// P/SUBDIR/NAME then P/NAME (for a path inside a role's tasks/ folder: ROLE/SUBDIR/NAME then tasks/NAME),
/// and last the playbook's folder: BASEDIR/SUBDIR/NAME, BASEDIR/NAME. Files and folders both count.
/// </summary>
internal static class SearchPath
{
    public static string? Find(LookupCall call, string subdir, string name)
    {
        if (name.StartsWith('~'))
            name = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + name[1..];
        if (Path.IsPathRooted(name)) return Exists(name) ? Path.GetFullPath(name) : null;
        foreach (var candidate in Candidates(call.Paths, call.BaseDir, subdir, name))
            if (Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }

    /// <summary>The candidates in Ansible's order.</summary>
    public static IEnumerable<string> Candidates(IEnumerable<string> paths, string baseDir, string subdir, string name)
    {
        foreach (var p in paths)
        {
            var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(p)) ?? "";
            if (parent.EndsWith("/tasks", StringComparison.Ordinal) && IsRole(p))
            {
                yield return Path.Combine(Path.GetDirectoryName(parent)!, subdir, name);
                yield return Path.Combine(parent, name);
            }
            else
            {
                yield return Path.Combine(p, subdir, name);
                yield return Path.Combine(p, name);
            }
        }
        yield return Path.Combine(baseDir, subdir, name);
        yield return Path.Combine(baseDir, name);
    }

    private static bool Exists(string p) => File.Exists(p) || Directory.Exists(p);

    /// <summary>DataLoader._is_role: a tasks/ or meta/ main file beside or above the path.</summary>
    private static bool IsRole(string path)
    {
        var parent = Path.GetDirectoryName(path) ?? "";
        foreach (var dir in new[] { path, parent })
            foreach (var f in new[] { "tasks/main.yml", "tasks/main.yaml", "tasks/main", "meta/main.yml", "meta/main.yaml", "meta/main" })
                if (File.Exists(Path.Combine(dir, f))) return true;
        return File.Exists(Path.Combine(path, "main.yml")) || File.Exists(Path.Combine(path, "main.yaml"));
    }
}

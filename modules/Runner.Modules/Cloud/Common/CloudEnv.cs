namespace Runner.Modules.Cloud.Common;

/// <summary>
/// Environment lookup for controller-side cloud modules: the task's `environment:` (ExecOptions.Environment)
/// wins over the runner process's own environment, as a module run by Ansible on localhost would see it.
/// </summary>
internal static class CloudEnv
{
    /// <summary>The variable's value from the task environment <paramref name="env"/>, else the process's; null when unset or empty.</summary>
    public static string? Get(IReadOnlyDictionary<string, string>? env, string name)
    {
        if (env is not null && env.TryGetValue(name, out var v)) return string.IsNullOrEmpty(v) ? null : v;
        var p = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(p) ? null : p;
    }

    /// <summary>The user's home folder (HOME from <paramref name="env"/>, else the process's).</summary>
    public static string Home(IReadOnlyDictionary<string, string>? env) =>
        Get(env, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}

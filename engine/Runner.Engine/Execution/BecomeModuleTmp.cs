using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>
/// What an Ansible module does on the target before its own work when the task becomes an unprivileged user
/// (ActionBase._is_become_unprivileged in ansible-core 2.14: become_user neither root nor the login user). The action
/// then sends no _ansible_tmpdir, and AnsibleModule (module_utils/basic.py: _set_cwd, the tmpdir property), finding
/// its working directory (the login user's home) unreadable, creates its remote_tmp, the become user's
/// ~/.ansible/tmp (missing parents with the default mode, the folder itself 0700), and warns "Module remote_tmp
/// DIR did not exist and was created with a mode of 0700, ...". A become that cannot start the module at all
/// (sudo: unknown user) is Ansible's MODULE FAILURE: the become tool's stderr as module_stderr, its rc.
/// Only modules that run on the target (a result with an invocation) do this; the check runs in check mode too.
/// </summary>
internal static class BecomeModuleTmp
{
    private const string Marker = "__RUNNER_BECAME__";
    private const string Created = "created ";

    /// <summary>The probe, run as the become user: the marker, then "created DIR" when it made the remote_tmp.</summary>
    internal static string Script =>
        $"echo {Marker}; [ -r . ] && exit 0; d=\"$HOME/.ansible/tmp\"; [ -e \"$d\" ] && exit 0; " +
        $"mkdir -p -m 0700 -- \"$d\" 2>/dev/null && printf '{Created}%s\\n' \"$d\"; exit 0";

    /// <summary>True when the task's module would run as an unprivileged become user (see the type's summary).</summary>
    internal static bool Applies(ModuleSpec spec, ExecOptions exec, IConnection connection) =>
        spec.ReportsInvocation && !spec.RunsOnController && exec.BecomeUser is { } user && user != "root" &&
        user != LoginUser(connection);

    /// <summary>
    /// Runs <see cref="Script"/> through <paramref name="ctx"/>: the warning to give (or null), or the failed result when
    /// the become itself failed.
    /// </summary>
    internal static async Task<(string? Warning, Dict? Failure)> PrepareAsync(ModuleContext ctx, CancellationToken ct)
    {
        var r = await ctx.ShAsync(Script, ct);
        return Interpret(r);
    }

    /// <summary>The warning or failure <see cref="Script"/>'s output means (see <see cref="PrepareAsync"/>).</summary>
    internal static (string? Warning, Dict? Failure) Interpret(CommandResult r)
    {
        var lines = r.Stdout.Split('\n');
        if (!lines.Contains(Marker))
            return (null, new Dict
            {
                ["failed"] = true, ["msg"] = "MODULE FAILURE\nSee stdout/stderr for the exact error",
                ["module_stdout"] = r.Stdout, ["module_stderr"] = r.Stderr, ["rc"] = (long)r.ExitCode,
            });
        var made = lines.FirstOrDefault(l => l.StartsWith(Created, StringComparison.Ordinal));
        return (made is null ? null : $"Module remote_tmp {made[Created.Length..]} did not exist and was created with a mode of 0700, " +
            "this may cause issues when running as another user. To avoid this, create the remote_tmp dir with the correct permissions manually", null);
    }

    /// <summary>Prepends <paramref name="warning"/> to the result's warnings (AnsibleModule warns it before the module's own).</summary>
    internal static void AddWarning(Dict result, string warning)
    {
        var list = result.Get("warnings") is List<object?> l ? l : new List<object?>();
        list.Insert(0, warning);
        result["warnings"] = list;
    }

    private static string? LoginUser(IConnection connection) => connection switch
    {
        SshConnection ssh => ssh.Settings.User,
        LocalConnection => Environment.UserName,
        _ => null,
    };
}

using Runner.Engine.Connections;
using Runner.Engine.Modules;

namespace Runner.Modules.Sys;

/// <summary>
/// How the git module runs git on the target, as Ansible's git.py sets up its process: the C locale, the module's
/// umask (an octal string, validated before), and GIT_SSH_COMMAND built by set_git_ssh_env: the task's GIT_SSH or
/// GIT_SSH_COMMAND (else ssh) followed by the ssh options (ssh_opts, StrictHostKeyChecking for accept_hostkey,
/// BatchMode=yes, "-i KEY -o IdentitiesOnly=yes" for key_file). A command runs in a folder when one is given.
/// </summary>
internal sealed class GitShell
{
    private readonly string _prefix;

    /// <summary>A shell for git with these ssh options (as set_git_ssh_env leaves them) and umask (null: the login's).</summary>
    public GitShell(string sshOpts, string? umask)
    {
        SshOpts = sshOpts;
        _prefix = (umask is null ? "" : $"umask {umask} && ") + "LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C " +
                  "GIT_SSH_COMMAND=\"${GIT_SSH:-${GIT_SSH_COMMAND:-ssh}}\"" + ShellQuote.Quote(sshOpts.Length > 0 ? " " + sshOpts : "");
    }

    /// <summary>The ssh options after the ssh command (Ansible's ssh_opts once set_git_ssh_env has run).</summary>
    public string SshOpts { get; }

    /// <summary>
    /// The ssh options set_git_ssh_env builds from <paramref name="sshOpts"/> (null: none given), the task's
    /// GIT_SSH_OPTS, accept_hostkey and key_file.
    /// </summary>
    public static string Options(string? sshOpts, string? envOpts, bool acceptHostKey, string? keyFile)
    {
        var opts = sshOpts is null ? envOpts ?? "" : (envOpts ?? "") + " " + sshOpts;
        if (acceptHostKey && !opts.Contains("StrictHostKeyChecking=no")) opts += " -o StrictHostKeyChecking=no";
        if (!opts.Contains("BatchMode=yes")) opts += " -o BatchMode=yes";
        if (keyFile is not null)
        {
            if (!opts.Contains("-i " + keyFile)) opts += "  -i " + keyFile;
            if (!opts.Contains("IdentitiesOnly=yes")) opts += " -o IdentitiesOnly=yes";
        }
        return opts;
    }

    /// <summary>The sh command line running <paramref name="git"/> in <paramref name="cwd"/> (null: the login folder).</summary>
    public string Run(Argv git, string? cwd = null) =>
        (cwd is null or "" ? "" : $"cd -- {ShellQuote.Quote(cwd)} && ") + _prefix + " " + git;
}

using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// A user's crontab as `crontab -l` prints it (with `-u USER` only when USER is not the user running the task, as
/// Ansible's cron module reads it): the text, whether -u was needed, and crontab's exit code (1: no crontab, which
/// reads as empty). crontab is looked up as Ansible's get_bin_path does (<see cref="ExecutableFact.Lookup"/>); when it is
/// missing, <see cref="Crontab.Missing"/> has Ansible's message.
/// </summary>
public sealed class CrontabFact : Fact<Crontab>
{
    private readonly string? _user;

    /// <summary>The crontab of <paramref name="user"/> (null: the task's user).</summary>
    public CrontabFact(string? user) => _user = user;

    /// <inheritdoc/>
    public override string Key => "crontab:" + _user;

    /// <inheritdoc/>
    public override string Script => ExecutableFact.Lookup("crontab") + "[ -n \"$b\" ] || { printf 'missing %s\\n' \"$p\"; exit 0; }; " + (_user is null
        ? "printf 'self %s\\n' \"$b\"; \"$b\" -l"
        : $"u={ShellQuote.Quote(_user)}; if [ \"$(id -un)\" = \"$u\" ]; then printf 'self %s\\n' \"$b\"; \"$b\" -l; else printf 'other %s\\n' \"$b\"; \"$b\" -u \"$u\" -l; fi");

    /// <inheritdoc/>
    public override Crontab Parse(CommandResult output)
    {
        var nl = output.Stdout.IndexOf('\n');
        var head = (nl < 0 ? output.Stdout : output.Stdout[..nl]).Split(' ', 2);
        var rest = nl < 0 ? "" : output.Stdout[(nl + 1)..];
        var arg = head.Length > 1 ? head[1] : "";
        if (head[0] == "missing") return new Crontab("", false, 0, "", null, new ExecutableFact.Found(null, arg).Missing("crontab"));
        return new Crontab(rest, head[0] == "other", output.ExitCode, output.Stderr.Trim(), arg, null);
    }
}

/// <summary>A crontab's text, whether it belongs to another user than the task's (crontab -u), crontab's exit code and
/// stderr, the crontab program's path, or Ansible's message when there is no crontab program.</summary>
public sealed record Crontab(string Text, bool OtherUser, int ExitCode, string Error, string? Program, string? Missing);

using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>A user's passwd entry from `getent passwd NAME` (NSS), or null when there is no such user.</summary>
internal sealed class PasswdFact : Fact<UserModule.Passwd?>
{
    private readonly string _name;

    /// <summary>The user named <paramref name="name"/>.</summary>
    public PasswdFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "passwd:" + _name;

    /// <inheritdoc/>
    public override string Script => "getent passwd " + ShellQuote.Quote(_name);

    /// <inheritdoc/>
    public override UserModule.Passwd? Parse(CommandResult output) =>
        output.ExitCode == 0 ? UserModule.Passwd.Parse(output.Stdout.Split('\n')[0]) : null;
}

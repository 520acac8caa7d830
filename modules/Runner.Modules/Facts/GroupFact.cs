using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>A group's gid from `getent group NAME` (NSS: /etc/group, LDAP, ...), or null when there is no such group.</summary>
public sealed class GroupFact : Fact<long?>
{
    private readonly string _name;

    /// <summary>The group named <paramref name="name"/>.</summary>
    public GroupFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "group:" + _name;

    /// <inheritdoc/>
    public override string Script => "getent group " + ShellQuote.Quote(_name);

    /// <inheritdoc/>
    public override long? Parse(CommandResult output)
    {
        var f = output.Stdout.Split('\n')[0].Split(':');
        return output.ExitCode == 0 && f.Length >= 3 && long.TryParse(f[2], out var g) ? g : null;
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// A user account as NSS knows it: the passwd entry (uid, gid, GECOS comment, home, shell), the password hash from
/// shadow ("" when unreadable, as for a login user without root), the groups the user is in and the primary
/// group's name (`id -Gn`, `id -gn`).
/// </summary>
public sealed record UserAccount(string Name, long Uid, long Gid, string Comment, string Home, string Shell,
    string Hash, IReadOnlyList<string> Groups, string PrimaryGroup);

/// <summary>
/// A user from `getent passwd NAME`, `getent shadow NAME` and `id -Gn/-gn NAME`, or null when there is no such user
/// (or its passwd line does not parse: "name:x:uid:gid:gecos:home:shell").
/// </summary>
public sealed class UserFact : Fact<UserAccount?>
{
    private readonly string _name;

    /// <summary>The user named <paramref name="name"/>.</summary>
    public UserFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "user:" + _name;

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var q = ShellQuote.Quote(_name);
            return $"getent passwd {q} || exit 2; {TargetScript.Sep}; getent shadow {q} | cut -d: -f2; {TargetScript.Sep}; " +
                   $"id -Gn {q} 2>/dev/null; {TargetScript.Sep}; id -gn {q} 2>/dev/null";
        }
    }

    /// <inheritdoc/>
    public override UserAccount? Parse(CommandResult output)
    {
        if (output.ExitCode != 0) return null;
        var s = TargetScript.Sections(output.Stdout);
        var f = s[0].Split('\n')[0].Split(':');
        if (f.Length < 7 || !long.TryParse(f[2], out var uid) || !long.TryParse(f[3], out var gid)) return null;
        string At(int i) => i < s.Length ? s[i].Trim() : "";
        var groups = At(2).Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new UserAccount(f[0], uid, gid, f[4], f[5], f[6], At(1), groups, At(3));
    }
}

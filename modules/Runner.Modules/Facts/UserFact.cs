using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// A user account as NSS knows it: the passwd entry (uid, gid, GECOS comment, home, shell), the password hash from
/// shadow ("" when unreadable, as for a login user without root), the groups the user is in and the primary
/// group's name (`id -Gn`, `id -gn`); from shadow too the account's expiry day (days since the epoch) and the
/// password's minimum and maximum age in days, each -1 when the field is empty or unreadable.
/// </summary>
public sealed record UserAccount(string Name, long Uid, long Gid, string Comment, string Home, string Shell,
    string Hash, IReadOnlyList<string> Groups, string PrimaryGroup, long Expire = -1, long PasswordMin = -1, long PasswordMax = -1);

/// <summary>
/// A user from `getent passwd NAME`, `getent shadow NAME` (fields hash, min, max, expire) and `id -Gn/-gn NAME`, or null when there is no such user
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
            return $"getent passwd {q} || exit 2; {TargetScript.Sep}; getent shadow {q} | cut -d: -f2,4,5,8; {TargetScript.Sep}; " +
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
        var sh = At(1).Split(':');
        long Day(int i) => i < sh.Length && long.TryParse(sh[i], out var n) ? n : -1;
        return new UserAccount(f[0], uid, gid, f[4], f[5], f[6], sh[0], groups, At(3), Day(3), Day(1), Day(2));
    }
}

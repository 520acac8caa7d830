using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>$HOME of the user the task runs as (after become), as Python's os.path.expanduser reads it.</summary>
internal sealed class HomeFact : Fact<string>
{
    /// <inheritdoc/>
    public override string Key => "home";

    /// <inheritdoc/>
    public override string Script => "printf '%s\\n' \"$HOME\"";

    /// <inheritdoc/>
    public override string Parse(CommandResult output) => output.Stdout.TrimEnd('\n');

    /// <summary>
    /// <paramref name="path"/> with a leading "~" or "~/" replaced by $HOME and "~USER" by USER's home (type='path'
    /// options, expanded on the target as Ansible's modules do); other paths unchanged, "~USER" of no user too.
    /// </summary>
    public static async Task<string> ExpandUserAsync(PlanContext ctx, string path, CancellationToken ct)
    {
        if (!path.StartsWith('~')) return path;
        var slash = path.IndexOf('/');
        var user = slash < 0 ? path[1..] : path[1..slash];
        var rest = slash < 0 ? "" : path[slash..];
        var home = user.Length == 0 ? await ctx.Facts.GetAsync(new HomeFact(), ct)
            : (await ctx.Facts.GetAsync(new UserFact(user), ct))?.Home;
        if (home is null) return path;
        var expanded = home.TrimEnd('/') + rest;
        return expanded.Length > 0 ? expanded : "/";
    }
}

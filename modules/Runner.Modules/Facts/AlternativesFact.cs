using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// One alternative group from `LC_ALL=C update-alternatives --display NAME`, parsed as community.general.alternatives
/// does: mode (auto/manual), the path the link points to, the link, and every alternative's priority and followers
/// (slaves). Null when update-alternatives knows no such group (or prints no mode).
/// </summary>
internal sealed class AlternativesFact : Fact<AlternativesFact.Group?>
{
    /// <summary>A follower link: name, path, and the link from the "follower NAME is LINK" line (null when not shown).</summary>
    public sealed record Follower(string Name, string Path, string? Link);

    /// <summary>One alternative: its priority and followers.</summary>
    public sealed record Alternative(long Priority, IReadOnlyList<Follower> Followers);

    /// <summary>The group: mode, current path and link (null when not shown), alternatives by path in output order.</summary>
    public sealed record Group(string Mode, string? CurrentPath, string? Link, IReadOnlyList<(string Path, Alternative Alternative)> Alternatives)
    {
        /// <summary>The alternative at <paramref name="path"/>, or null.</summary>
        public Alternative? Find(string path) => Alternatives.LastOrDefault(a => a.Path == path).Alternative;
    }

    private readonly string _name;

    /// <summary>The group named <paramref name="name"/>.</summary>
    public AlternativesFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "alternatives:" + _name;

    /// <inheritdoc/>
    public override string Script => "LC_ALL=C update-alternatives --display " + ShellQuote.Quote(_name);

    private static readonly Regex ModeRe = new(@"\s-\s(?:status\sis\s)?(\w*)(?:\smode|.)$", RegexOptions.Multiline);
    private static readonly Regex PathRe = new(@"^\s*link currently points to (.*)$", RegexOptions.Multiline);
    private static readonly Regex LinkRe = new(@"^\s*link \w+ is (.*)$", RegexOptions.Multiline);
    private static readonly Regex FollowerLinkRe = new(@"^\s*(?:slave|follower) (\S+) is (.*)$", RegexOptions.Multiline);
    private static readonly Regex AlternativeRe = new(@"^(\/.*)\s-\s(?:family\s\S+\s)?priority\s(\d+)((?:\s+(?:slave|follower).*)*)", RegexOptions.Multiline);
    private static readonly Regex FollowerRe = new(@"^\s+(?:slave|follower) (.*): (.*)$", RegexOptions.Multiline);

    /// <inheritdoc/>
    public override Group? Parse(CommandResult output)
    {
        var text = output.Stdout;
        if (output.ExitCode != 0 || ModeRe.Match(text) is not { Success: true } mode) return null;
        var links = new Dictionary<string, string>();
        foreach (Match m in FollowerLinkRe.Matches(text)) links[m.Groups[1].Value] = m.Groups[2].Value;
        var alternatives = AlternativeRe.Matches(text).Select(m => (m.Groups[1].Value, new Alternative(long.Parse(m.Groups[2].Value),
            FollowerRe.Matches(m.Groups[3].Value).Where(f => f.Groups[2].Value != "(null)")
                .Select(f => new Follower(f.Groups[1].Value, f.Groups[2].Value, links.GetValueOrDefault(f.Groups[1].Value))).ToList()))).ToList();
        return new Group(mode.Groups[1].Value, PathRe.Match(text) is { Success: true } p ? p.Groups[1].Value : null,
            LinkRe.Match(text) is { Success: true } l ? l.Groups[1].Value : null, alternatives);
    }
}

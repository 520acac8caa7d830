using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Common;

namespace Runner.Modules.Facts;

/// <summary>
/// The entries under a directory on the target, each with its lstat (<see cref="FileState"/>), in the order `find`
/// meets them (readdir order, depth first), down to <c>maxDepth</c> levels (null: all; 1: the directory's own entries);
/// <c>follow</c> descends into symlinked directories (find -L). Read with find and coreutils stat. Value: null when
/// the path is not a directory, else the entries; <see cref="TreeEntry.DirLike"/> marks directories and symlinks to
/// directories (what Python's os.walk lists as dirs).
/// </summary>
internal sealed class WalkTreeFact : Fact<List<TreeEntry>?>
{
    private const string Format = "S=%f|%u|%g|%U|%G|%s|%.9Y|%.9X|%.9Z|%i|%h|%d|%b|%o|%t|%T|%n";
    private readonly string _path;
    private readonly int? _maxDepth;
    private readonly bool _follow;

    /// <summary>The tree under <paramref name="path"/> (a leading "~" is the target's $HOME).</summary>
    public WalkTreeFact(string path, int? maxDepth, bool follow) => (_path, _maxDepth, _follow) = (path, maxDepth, follow);

    /// <inheritdoc/>
    public override string Key => $"walk:{(_follow ? "follow" : "nofollow")}:{_maxDepth?.ToString() ?? "-"}:{_path}";

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var p = _path == "~" ? "\"$HOME\"" : _path.StartsWith("~/") ? "\"$HOME\"" + ShellQuote.Quote(_path[1..]) : ShellQuote.Quote(_path);
            var depth = _maxDepth is { } d ? $" -maxdepth {d}" : "";
            return $"p={p}\n[ -d \"$p\" ] || exit 3\n" +
                   $"find {(_follow ? "-L " : "")}\"$p\" -mindepth 1{depth} -exec sh -c " +
                   ShellQuote.Quote("stat -c \"$0\" -- \"$@\"; for f; do if [ -L \"$f\" ] && [ -d \"$f\" ]; then printf 'D=%s\\n' \"$f\"; fi; done") +
                   $" {ShellQuote.Quote(Format)} {{}} +\nexit 0\n";
        }
    }

    /// <inheritdoc/>
    public override List<TreeEntry>? Parse(CommandResult output)
    {
        if (output.ExitCode == 3) return null;
        var lines = output.Stdout.Split('\n');
        var linkDirs = lines.Where(l => l.StartsWith("D=")).Select(l => l[2..]).ToHashSet(StringComparer.Ordinal);
        var entries = new List<TreeEntry>();
        foreach (var line in lines.Where(l => l.StartsWith("S=")))
        {
            var f = line.Split('|', 17);
            if (f.Length < 17) continue;
            var st = FileProbe.Parse(f[16], string.Join('|', f[..16]));
            if (st.Owner == "UNKNOWN") st = st with { Owner = "" };
            if (st.Group == "UNKNOWN") st = st with { Group = "" };
            entries.Add(new TreeEntry(st, st.Type == "directory" || linkDirs.Contains(f[16])));
        }
        return entries;
    }
}

/// <summary>One entry of a <see cref="WalkTreeFact"/>: its lstat and whether os.walk would list it as a directory.</summary>
internal sealed record TreeEntry(FileState Stat, bool DirLike);

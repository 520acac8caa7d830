using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// What a folder on the target holds, at any depth (find -mindepth 1): its folders and its other entries (files,
/// links, ...), as paths under the folder, in find's order; both empty for an empty folder or a path that is no folder.
/// For file state=absent's diff (Ansible's path_content) and for the check that a folder is empty.
/// </summary>
public sealed class DirectoryTreeFact : Fact<DirectoryTreeFact.Tree>
{
    /// <summary>The folders and the other entries below the folder.</summary>
    public sealed record Tree(IReadOnlyList<string> Directories, IReadOnlyList<string> Files)
    {
        /// <summary>Nothing below the folder.</summary>
        public bool IsEmpty => Directories.Count == 0 && Files.Count == 0;
    }

    private readonly string _path;

    /// <summary>The tree below <paramref name="path"/>.</summary>
    public DirectoryTreeFact(string path) => _path = path;

    /// <inheritdoc/>
    public override string Key => "tree:" + _path;

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var q = ShellQuote.Quote(_path);
            return $"[ -d {q} ] && [ ! -L {q} ] || exit 0; find {q} -mindepth 1 -type d -printf 'd%p\\n'; find {q} -mindepth 1 ! -type d -printf 'f%p\\n'";
        }
    }

    /// <inheritdoc/>
    public override Tree Parse(CommandResult output)
    {
        var lines = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new Tree(lines.Where(x => x[0] == 'd').Select(x => x[1..]).ToList(), lines.Where(x => x[0] == 'f').Select(x => x[1..]).ToList());
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// A mount point's path as ansible.posix.mount looks at it: whether it is a mount point by ansible.posix's
/// module_utils/mount.py ismount (not a symlink; on another device than the folder holding its real path, or the same
/// inode as it: the root), whether it exists (os.path.exists, symlinks followed), and which of its leading folders
/// ("/a", "/a/b", ... the path itself last) is the first missing one: the folders the module's mkdir creates and a
/// failed mount removes again.
/// </summary>
public sealed class MountPointFact : Fact<MountPointFact.State>
{
    /// <summary>Whether the path is a mount point, exists, and the index in <see cref="Prefixes"/> of the first missing folder (null: none).</summary>
    public sealed record State(bool IsMount, bool Exists, int? FirstMissing);

    private readonly string _path;

    /// <summary>The path <paramref name="path"/> (as the task gives it).</summary>
    public MountPointFact(string path) => _path = path;

    /// <summary>The folders mkdir -p would create for <paramref name="path"/>, outermost first (Ansible's curpath loop; relative paths stay relative).</summary>
    public static List<string> Prefixes(string path)
    {
        var result = new List<string>();
        var cur = "";
        foreach (var part in path.Trim('/').Split('/'))
        {
            cur = cur + "/" + part;
            result.Add(path.StartsWith('/') ? cur : cur.TrimStart('/'));
        }
        return result;
    }

    /// <inheritdoc/>
    public override string Key => "mountpoint:" + _path;

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var q = ShellQuote.Quote(_path);
            var prefixes = string.Join(" ", Prefixes(_path).Select(ShellQuote.Quote));
            return $"p={q}; if [ ! -L \"$p\" ] && s=$(stat -c '%d %i' -- \"$p\" 2>/dev/null) && r=$(readlink -f -- \"$p\") && " +
                   "t=$(stat -c '%d %i' -- \"$(dirname -- \"$r\")\" 2>/dev/null); then printf 'S %s\\nP %s\\n' \"$s\" \"$t\"; fi; " +
                   "[ -e \"$p\" ] && echo E; i=0; for d in " + prefixes + "; do [ -e \"$d\" ] || { echo \"M $i\"; break; }; i=$((i+1)); done; :";
        }
    }

    /// <inheritdoc/>
    public override State Parse(CommandResult output)
    {
        string? self = null, parent = null;
        var exists = false;
        int? missing = null;
        foreach (var line in output.Stdout.Split('\n'))
        {
            if (line.StartsWith("S ")) self = line[2..].Trim();
            else if (line.StartsWith("P ")) parent = line[2..].Trim();
            else if (line == "E") exists = true;
            else if (line.StartsWith("M ") && int.TryParse(line[2..], out var i)) missing = i;
        }
        var isMount = false;
        if (self?.Split(' ') is [var dev1, var ino1] && parent?.Split(' ') is [var dev2, var ino2])
            isMount = dev1 != dev2 || ino1 == ino2;
        return new State(isMount, exists, missing);
    }
}

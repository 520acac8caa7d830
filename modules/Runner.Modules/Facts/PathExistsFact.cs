using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// Whether a path exists on the target, following symlinks (`test -e`, Python's os.path.exists; a broken link does not
/// exist): the creates/removes of uri and script (Ansible's action _remote_file_exists runs the same test).
/// </summary>
public sealed class PathExistsFact : Fact<bool>
{
    private readonly string _path;

    /// <summary>Whether <paramref name="path"/> exists.</summary>
    public PathExistsFact(string path) => _path = path;

    /// <inheritdoc/>
    public override string Key => "exists:" + _path;

    /// <inheritdoc/>
    public override string Script => $"test -e {ShellQuote.Quote(_path)}";

    /// <inheritdoc/>
    public override bool Parse(CommandResult output) => output.ExitCode == 0;
}

using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// The bytes of a regular file on the target (read with coreutils base64), or null when the path is not a readable
/// regular file. For diffs and content comparison; large files are better compared by checksum (<see cref="FileStatFact"/>).
/// </summary>
public sealed class FileContentFact : Fact<byte[]?>
{
    private readonly string _path;

    /// <summary>The content of <paramref name="path"/>.</summary>
    public FileContentFact(string path) => _path = path;

    /// <inheritdoc/>
    public override string Key => "content:" + _path;

    /// <inheritdoc/>
    public override string Script => $"p={ShellQuote.Quote(_path)}; [ -f \"$p\" ] && [ -r \"$p\" ] || exit 3; base64 < \"$p\"";

    /// <inheritdoc/>
    public override byte[]? Parse(CommandResult output) =>
        output.ExitCode == 0 ? Convert.FromBase64String(string.Concat(output.Stdout.Where(c => !char.IsWhiteSpace(c)))) : null;
}

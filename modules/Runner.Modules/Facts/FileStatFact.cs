using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Common;

namespace Runner.Modules.Facts;

/// <summary>
/// What a path on the target is (<see cref="FileState"/>: type, mode, owner, size, times, link target, and with
/// <c>checksum</c> the digest of a regular file), read by <see cref="FileProbe.Script"/> with stat, test and readlink.
/// </summary>
/// <exception cref="InvalidOperationException">From <see cref="Parse"/>: stat itself failed (message: its stderr).</exception>
internal sealed class FileStatFact : Fact<FileState>
{
    private readonly string _path;
    private readonly bool _follow;
    private readonly string? _algorithm;

    /// <summary>The state of <paramref name="path"/>; <paramref name="follow"/> describes a symlink's target; <paramref name="checksum"/> (md5, sha1, sha256, ...) adds the digest.</summary>
    public FileStatFact(string path, bool follow = false, string? checksum = null) => (_path, _follow, _algorithm) = (path, follow, checksum);

    /// <inheritdoc/>
    public override string Key => $"stat:{(_follow ? "follow" : "nofollow")}:{_algorithm ?? "-"}:{_path}";

    /// <inheritdoc/>
    public override string Script => FileProbe.Script(_path, _follow, _algorithm is not null, _algorithm ?? "sha1");

    /// <inheritdoc/>
    public override FileState Parse(CommandResult output) =>
        output.ExitCode == 0 ? FileProbe.Parse(_path, output.Stdout) : throw new InvalidOperationException(output.Stderr.Trim());
}

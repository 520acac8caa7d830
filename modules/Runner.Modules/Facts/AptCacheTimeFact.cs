using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// When apt's package lists were last updated, in epoch seconds: the mtime of /var/lib/apt/periodic/update-success-stamp,
/// else of /var/lib/apt/lists, else 0 (as Ansible's apt module, get_cache_mtime).
/// </summary>
public sealed class AptCacheTimeFact : Fact<long>
{
    /// <inheritdoc/>
    public override string Key => "apt-cache-time";

    /// <inheritdoc/>
    public override string Script =>
        "f=/var/lib/apt/periodic/update-success-stamp; [ -e $f ] || f=/var/lib/apt/lists; stat -c %Y $f 2>/dev/null || echo 0";

    /// <inheritdoc/>
    public override long Parse(CommandResult output) => long.TryParse(output.Stdout.Trim(), out var t) ? t : 0;
}

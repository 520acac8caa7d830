using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// Where apt keeps its one-line sources, as apt_pkg.config.find_file("Dir::Etc::sourcelist") and
/// find_dir("Dir::Etc::sourceparts") give them to Ansible's apt_repository (read here with `apt-config shell`):
/// the sources.list path and the sources.list.d folder (with its trailing slash). Null when the target has no
/// apt-config (not a Debian family host).
/// </summary>
public sealed class AptSourcePathsFact : Fact<AptSourcePathsFact.Paths?>
{
    /// <summary>sources.list and sources.list.d (ending with '/').</summary>
    public sealed record Paths(string SourceList, string SourceParts);

    /// <inheritdoc/>
    public override string Key => "apt-source-paths";

    /// <inheritdoc/>
    public override string Script =>
        "command -v apt-config >/dev/null 2>&1 || exit 3; " +
        "eval \"$(apt-config shell L Dir::Etc::sourcelist/f P Dir::Etc::sourceparts/d)\"; printf '%s\\n%s\\n' \"$L\" \"$P\"";

    /// <inheritdoc/>
    public override Paths? Parse(CommandResult output)
    {
        if (output.ExitCode != 0) return null;
        var l = output.Stdout.Split('\n');
        return new Paths(l[0].Length > 0 ? l[0] : "/etc/apt/sources.list", l.Length > 1 && l[1].Length > 0 ? l[1] : "/etc/apt/sources.list.d/");
    }
}

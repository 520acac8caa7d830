using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>The target's package manager when no ansible_pkg_mgr fact says it: "apt" when apt-get is on PATH, else "unknown".</summary>
public sealed class PackageManagerFact : Fact<string>
{
    /// <inheritdoc/>
    public override string Key => "pkg-mgr";

    /// <inheritdoc/>
    public override string Script => "command -v apt-get >/dev/null && echo apt || echo unknown";

    /// <inheritdoc/>
    public override string Parse(CommandResult output) => output.Stdout.Trim();
}

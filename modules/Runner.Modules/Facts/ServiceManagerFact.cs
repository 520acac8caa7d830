using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// The host's service manager when no ansible_service_mgr fact was gathered: "systemd" when /run/systemd/system
/// exists (systemd is PID 1, sd_booted(3)), else "unknown".
/// </summary>
public sealed class ServiceManagerFact : Fact<string>
{
    /// <inheritdoc/>
    public override string Key => "service-manager";

    /// <inheritdoc/>
    public override string Script => "[ -d /run/systemd/system ] && echo systemd || echo unknown";

    /// <inheritdoc/>
    public override string Parse(CommandResult output) => output.Stdout.Trim();
}

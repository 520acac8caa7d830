using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// The host's names as the hostname module reads them: whether systemd manages the host (systemctl installed and one
/// of sd_booted's canaries, as Ansible's ServiceMgrFactCollector.is_systemd_managed), the transient and static names
/// from hostnamectl (null when it is missing; the rc and output when it fails) and /etc/hostname stripped (null when
/// not a file).
/// </summary>
public sealed class HostnameFact : Fact<HostnameState>
{
    /// <inheritdoc/>
    public override string Key => "hostname";

    /// <inheritdoc/>
    public override string Script =>
        "if command -v systemctl >/dev/null 2>&1 && { [ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ]; }; then echo S=1; fi\n" +
        "if command -v hostnamectl >/dev/null 2>&1; then\n" +
        "  t=$(hostnamectl --transient status 2>&1); printf 'T=%s|%s\\n' \"$?\" \"$t\" | head -n1\n" +
        "  p=$(hostnamectl --static status 2>&1); printf 'P=%s|%s\\n' \"$?\" \"$p\" | head -n1\n" +
        "fi\n" +
        "if [ -f /etc/hostname ]; then printf 'F=%s\\n' \"$(tr '\\n' ' ' < /etc/hostname)\"; fi\n";

    /// <inheritdoc/>
    public override HostnameState Parse(CommandResult output)
    {
        var s = new HostnameState();
        foreach (var line in output.Stdout.Split('\n'))
        {
            if (line.Length < 2 || line[1] != '=') continue;
            var v = line[2..];
            switch (line[0])
            {
                case 'S': s = s with { Systemd = true }; break;
                case 'T': s = s with { Transient = Named(v) }; break;
                case 'P': s = s with { Static = Named(v) }; break;
                case 'F': s = s with { File = v.Trim() }; break;
            }
        }
        return s;
    }

    private static HostnameRead Named(string v)
    {
        var bar = v.IndexOf('|');
        return new HostnameRead(int.TryParse(v[..Math.Max(bar, 0)], out var rc) ? rc : 255, v[(bar + 1)..].Trim());
    }
}

/// <summary>What <see cref="HostnameFact"/> read; a null name was not readable that way.</summary>
public sealed record HostnameState(bool Systemd = false, HostnameRead? Transient = null, HostnameRead? Static = null, string? File = null);

/// <summary>One hostnamectl read: its exit code and output (the name when rc is 0).</summary>
public sealed record HostnameRead(int Rc, string Output);

/// <summary>
/// Python's socket.getfqdn() on the target, approximated with NSS: the first of the names `getent hosts` gives for the
/// current hostname that has a dot, else the hostname.
/// </summary>
public sealed class FqdnFact : Fact<string>
{
    /// <inheritdoc/>
    public override string Key => "fqdn";

    /// <inheritdoc/>
    public override string Script => "h=$(hostname); echo \"$h\"; getent hosts \"$h\" | head -n1";

    /// <inheritdoc/>
    public override string Parse(CommandResult output)
    {
        var lines = output.Stdout.Split('\n');
        var name = lines[0].Trim();
        var names = lines.Length > 1 ? lines[1].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Skip(1) : Enumerable.Empty<string>();
        return names.FirstOrDefault(n => n.Contains('.')) ?? name;
    }
}

namespace Runner.Engine.Facts;

/// <summary>
/// service_mgr and pkg_mgr as ansible-core 2.14 decides them on Linux (lib/ansible/module_utils/facts/system/service_mgr.py,
/// pkg_mgr.py).
/// </summary>
internal static class ServiceAndPackageManager
{
    /// <summary>
    /// The name of PID 1 (/proc/1/comm) unless it is too generic (init, *sh), then systemd when /run/systemd/system
    /// exists, openrc, sysvinit when /etc/init.d exists, else "service".
    /// </summary>
    public static string Service(ProbeOutput p)
    {
        var p1 = p.Value("proc1").Trim();
        if (p1.Length > 0 && p1 != "init" && !p1.EndsWith("sh", StringComparison.Ordinal)) return p1;
        if (p.Has("systemd_booted")) return "systemd";
        if (p.Has("openrc")) return "openrc";
        if (p.Has("initd")) return "sysvinit";
        return "service";
    }

    /// <summary>apt on the Debian family, dnf before yum, then zypper, apk, pacman; else "unknown".</summary>
    public static string Package(IReadOnlyList<string> found, string? family)
    {
        if (family == "Debian" && found.Contains("apt-get")) return "apt";
        foreach (var (exe, name) in new[] { ("dnf", "dnf"), ("yum", "yum"), ("zypper", "zypper"), ("apk", "apk"), ("pacman", "pacman"), ("apt-get", "apt") })
            if (found.Contains(exe)) return name;
        return "unknown";
    }
}

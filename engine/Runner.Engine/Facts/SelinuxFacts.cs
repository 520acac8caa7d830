using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// selinux and selinux_python_present as ansible-core 2.14's SelinuxFactCollector reports them
/// (lib/ansible/module_utils/facts/system/selinux.py, which loads libselinux.so.1 through ctypes): present when
/// libselinux.so.1 is installed; status "disabled" unless selinuxfs is mounted (/sys/fs/selinux/enforce), then
/// "enabled" with policyvers, mode (from enforce), config_mode and type (from /etc/selinux/config).
/// </summary>
internal static class SelinuxFacts
{
    public static Dict From(ProbeOutput p)
    {
        if (!p.Has("libselinux"))
            return new Dict { ["selinux"] = new Dict { ["status"] = "Missing selinux Python library" }, ["selinux_python_present"] = false };
        var s = new Dict();
        var enforce = p.Content("/sys/fs/selinux/enforce");
        if (enforce is null) s["status"] = "disabled";
        else
        {
            s["status"] = "enabled";
            s["policyvers"] = long.TryParse(p.Content("/sys/fs/selinux/policyvers"), out var pv) ? pv : "unknown";
            var config = p.Lines("/etc/selinux/config").Select(l => l.Split('=', 2)).Where(w => w.Length == 2)
                .GroupBy(w => w[0].Trim()).ToDictionary(g => g.Key, g => g.Last()[1].Trim().Trim('"'));
            s["config_mode"] = config.TryGetValue("SELINUX", out var cm) && cm is "enforcing" or "permissive" or "disabled" ? cm : "unknown";
            s["mode"] = enforce == "1" ? "enforcing" : enforce == "0" ? "permissive" : "unknown";
            s["type"] = config.TryGetValue("SELINUXTYPE", out var t) ? t : "unknown";
        }
        return new Dict { ["selinux"] = s, ["selinux_python_present"] = true };
    }
}

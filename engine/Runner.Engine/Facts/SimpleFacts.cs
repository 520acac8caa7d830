using System.Globalization;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// The ansible-core 2.14 collectors that read one file or test one path (lib/ansible/module_utils/facts/):
/// fips, apparmor, is_chroot (system/chroot.py), ssh_host_key_*_public (system/ssh_pub_keys.py), loadavg,
/// uptime_seconds, iscsi_iqn (network/iscsi.py), hostnqn (network/nvme.py), fibre_channel_wwn (network/fc_wwn.py),
/// lvm (hardware/linux.py get_lvm_facts).
/// </summary>
internal static class SimpleFacts
{
    public static Dict Fips(ProbeOutput p) => new() { ["fips"] = p.Content("/proc/sys/crypto/fips_enabled") == "1" };

    public static Dict Apparmor(ProbeOutput p) => new() { ["apparmor"] = new Dict { ["status"] = p.Has("apparmor") ? "enabled" : "disabled" } };

    /// <summary>debian_chroot set, else / differs from /proc/1/root, else (no access) /'s inode is not its fs's root inode.</summary>
    public static Dict Chroot(ProbeOutput p)
    {
        bool chroot;
        var root = p.Value("root_stat");
        var proc1 = p.Value("proc1_root_stat");
        if (p.Has("debian_chroot")) chroot = true;
        else if (proc1.Length > 0) chroot = root != proc1;
        else
        {
            var fs = p.Value("root_fstype");
            var rootIno = fs.Contains("btrfs", StringComparison.Ordinal) ? "256" : fs.Contains("xfs", StringComparison.Ordinal) ? "128" : "2";
            chroot = root.Split(' ').LastOrDefault() != rootIno;
        }
        return new Dict { ["is_chroot"] = chroot };
    }

    public static Dict SshKeys(ProbeOutput p)
    {
        var f = new Dict();
        foreach (var v in p.Values("sshkey"))
        {
            var w = v.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length < 3) continue;
            f[$"ssh_host_key_{w[0]}_public"] = w[2];
            f[$"ssh_host_key_{w[0]}_public_keytype"] = w[1];
        }
        return f;
    }

    public static Dict LoadAvg(ProbeOutput p)
    {
        var w = (p.Content("/proc/loadavg") ?? "").Split(' ');
        if (w.Length < 3 || !w.Take(3).All(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out _))) return new Dict();
        double D(int i) => double.Parse(w[i], CultureInfo.InvariantCulture);
        return new Dict { ["loadavg"] = new Dict { ["1m"] = D(0), ["5m"] = D(1), ["15m"] = D(2) } };
    }

    public static Dict Uptime(ProbeOutput p) =>
        double.TryParse((p.Content("/proc/uptime") ?? "").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? new Dict { ["uptime_seconds"] = (long)s } : new Dict();

    public static Dict Iscsi(ProbeOutput p) => new()
    {
        ["iscsi_iqn"] = (p.Content("/etc/iscsi/initiatorname.iscsi") ?? "").Split('\n')
            .Where(l => !l.StartsWith('#') && !l.StartsWith(';') && l.Trim().Length > 0)
            .FirstOrDefault(l => l.StartsWith("InitiatorName=", StringComparison.Ordinal))?.Split('=', 2)[1] ?? "",
    };

    public static Dict Nvme(ProbeOutput p) => new()
    {
        ["hostnqn"] = (p.Content("/etc/nvme/hostnqn") ?? "").Split('\n').FirstOrDefault(l => l.StartsWith("nqn.", StringComparison.Ordinal)) ?? "",
    };

    public static Dict FibreChannel(ProbeOutput p) => new()
    {
        ["fibre_channel_wwn"] = p.FilesUnder("/sys/class/fc_host/").Where(kv => kv.Key.EndsWith("/port_name", StringComparison.Ordinal))
            .SelectMany(kv => kv.Value.Trim().Split('\n')).Where(l => l.Length > 0).Select(l => (object?)(l.TrimEnd().Length > 2 ? l.TrimEnd()[2..] : "")).ToList(),
    };

    /// <summary>lvm: "N/A" unless root with vgs; then vgs/lvs/pvs from their comma-separated reports.</summary>
    public static Dict Lvm(ProbeOutput p)
    {
        if (p.Command("vgs") is null) return new Dict { ["lvm"] = "N/A" };
        IEnumerable<string[]> Rows(string cmd) => (p.Command(cmd)?.Out ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l.Split(','));
        var vgs = new Dict();
        foreach (var r in Rows("vgs").Where(r => r.Length >= 4)) vgs[r[0]] = new Dict { ["size_g"] = r[^2], ["free_g"] = r[^1], ["num_lvs"] = r[2], ["num_pvs"] = r[1] };
        var lvs = new Dict();
        foreach (var r in Rows("lvs").Where(r => r.Length >= 4)) lvs[r[0]] = new Dict { ["size_g"] = r[3], ["vg"] = r[1] };
        var pvs = new Dict();
        foreach (var r in Rows("pvs").Where(r => r.Length >= 6)) pvs[r[0]] = new Dict { ["size_g"] = r[4], ["free_g"] = r[5], ["vg"] = r[1] };
        return new Dict { ["lvm"] = new Dict { ["lvs"] = lvs, ["vgs"] = vgs, ["pvs"] = pvs } };
    }
}

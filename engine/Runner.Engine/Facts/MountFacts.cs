using System.Text.RegularExpressions;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// mounts as ansible-core 2.14's LinuxHardware.get_mount_facts reports them (lib/ansible/module_utils/facts/hardware/linux.py):
/// one entry per mount point of /etc/mtab (else /proc/mounts) whose device starts with / or \ or has ":/" and whose
/// fstype is not "none" (a later line for the same mount point replaces the earlier one, keeping its place);
/// octal escapes decoded; ",bind" added for findmnt's bind mounts; sizes from statvfs (get_mount_size, here
/// `stat -f`: size_total = frsize*blocks, size_available = frsize*bavail, block_used = blocks-bavail,
/// inode_used = files-ffree); uuid from lsblk, else udevadm's ID_FS_UUID, else "N/A".
/// </summary>
internal static class MountFacts
{
    private static readonly Regex Octal = new(@"\\[0-9]{3}", RegexOptions.CultureInvariant);
    private static readonly Regex BindSource = new(@"^.*\]", RegexOptions.CultureInvariant);
    private static readonly Regex MtabBind = new(@"^.*bind.*""", RegexOptions.CultureInvariant);

    public static Dict From(ProbeOutput p)
    {
        var f = new Dict();
        var mtab = p.Raw(p.Value("mtab"));
        if (mtab is null) return f;
        var binds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in (p.Ok("findmnt") ?? "").Split('\n'))
        {
            var w = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (w.Length >= 2 && BindSource.IsMatch(w[1])) binds.Add(w[0]);
        }
        var uuids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (p.Ok("lsblk") ?? "").Split('\n'))
        {
            var w = line.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (w.Length >= 2) uuids.TryAdd(string.Join(' ', w[..^1]), w[^1]);
        }
        var sizes = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var v in p.Values("statvfs"))
        {
            var w = v.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length == 8) sizes[Unescape(w[7])] = w[..7];
        }
        var mounts = new Dict();
        foreach (var line in mtab.Split('\n'))
        {
            var w = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Unescape).ToArray();
            if (w.Length < 4) continue;
            var (device, mount, fstype, options) = (w[0], w[1], w[2], w[3]);
            if (!device.StartsWith('/') && !device.StartsWith('\\') && !device.Contains(":/", StringComparison.Ordinal) || fstype == "none") continue;
            var info = new Dict { ["mount"] = mount, ["device"] = device, ["fstype"] = fstype, ["options"] = options };
            if (binds.Contains(mount) && !MtabBind.IsMatch(options)) info["options"] = options + ",bind";
            if (sizes.TryGetValue(mount, out var s) && s.All(x => long.TryParse(x, out _)))
            {
                var n = s.Select(long.Parse).ToArray(); // frsize bsize blocks bfree bavail files ffree
                info["size_total"] = n[0] * n[2];
                info["size_available"] = n[0] * n[4];
                info["block_size"] = n[1];
                info["block_total"] = n[2];
                info["block_available"] = n[4];
                info["block_used"] = n[2] - n[4];
                info["inode_total"] = n[5];
                info["inode_available"] = n[6];
                info["inode_used"] = n[5] - n[6];
            }
            info["uuid"] = uuids.TryGetValue(device, out var u) && u.Length > 0 ? u : Udevadm(p, w[0]) ?? "N/A";
            mounts[mount] = info;
        }
        f["mounts"] = mounts.Values.ToList();
        return f;
    }

    private static string? Udevadm(ProbeOutput p, string device) =>
        p.Ok("udevadm:" + device) is { } o && Regex.Match(o + "\n", "ID_FS_UUID=(.*)\n") is { Success: true } m ? m.Groups[1].Value : null;

    private static string Unescape(string s) => Octal.Replace(s, m => ((char)Convert.ToInt32(m.Value[1..], 8)).ToString());
}

using System.Text.RegularExpressions;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// devices and device_links as ansible-core 2.14's LinuxHardware.get_device_facts / get_all_device_links report them
/// (lib/ansible/module_utils/facts/hardware/linux.py): one entry per /sys/block device (readdir order) with
/// holders, host (lspci -D name of the PCI parent), links, model, partitions, removable, rotational, sas_address,
/// sas_device_handle, scheduler_mode, sectors, sectorsize, size, support_discard, vendor, virtual (and serial, wwn
/// when known); device_links maps /dev/disk/by-{id,uuid,label} and /sys/block/*/slaves to device names.
/// </summary>
internal static class DeviceFacts
{
    private static readonly Regex PciId = new(@"^.+/([a-f0-9]{4}:[a-f0-9]{2}:[0|1][a-f0-9]\.[0-7])/", RegexOptions.CultureInvariant);
    private static readonly Regex Scheduler = new(@"^.*?(\[(.*)\])", RegexOptions.CultureInvariant);

    public static Dict From(ProbeOutput p)
    {
        var f = new Dict();
        var devices = new Dict();
        f["devices"] = devices;
        var blocks = p.Dir("/sys/block");
        if (blocks is null) return f;
        var links = Links(p);
        f["device_links"] = links;
        var wwn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, target) in p.LinksUnder("/dev/disk/by-id/"))
        {
            var name = path["/dev/disk/by-id/".Length..];
            if (name.StartsWith("wwn-", StringComparison.Ordinal)) wwn[Path.GetFileName(target)] = name[4..];
        }
        var sysdirs = p.Values("blockdir").Select(v => v.Split(' ', 2)).Where(w => w.Length == 2).ToDictionary(w => w[0], w => w[1], StringComparer.Ordinal);
        var pci = p.Ok("lspci");
        foreach (var block in blocks)
        {
            if (!sysdirs.TryGetValue(block, out var sysdir)) continue;
            var d = new Dict { ["virtual"] = 1L, ["links"] = LinksOf(links, block) };
            foreach (var k in new[] { "vendor", "model", "sas_address", "sas_device_handle" }) d[k] = p.Content($"{sysdir}/device/{k}");
            if (p.Content($"{sysdir}/device/serial") is { } serial) d["serial"] = serial;
            d["removable"] = p.Content(sysdir + "/removable");
            d["support_discard"] = p.Content(sysdir + "/queue/discard_granularity");
            if (wwn.TryGetValue(block, out var w)) d["wwn"] = w;
            var parts = new Dict();
            var partRe = new Regex("(" + Regex.Escape(block) + @"[p]?\d+)", RegexOptions.CultureInvariant);
            foreach (var entry in p.Dir(sysdir) ?? Array.Empty<string>())
            {
                var m = partRe.Match(entry);
                if (!m.Success) continue;
                var name = m.Groups[1].Value;
                var ps = sysdir + "/" + name;
                var part = new Dict { ["links"] = LinksOf(links, name) };
                part["start"] = p.Content(ps + "/start") ?? (object)0L;
                part["sectors"] = p.Content(ps + "/size") ?? (object)0L;
                part["sectorsize"] = p.Content(ps + "/queue/logical_block_size") ?? p.Content(ps + "/queue/hw_sector_size") ?? (object)512L;
                part["size"] = BytesToHuman.Format(Number(part["sectors"]) * 512.0);
                part["uuid"] = p.LinksUnder("/dev/disk/by-uuid/").Where(kv => Path.GetFileName(kv.Value) == name).Select(kv => kv.Key["/dev/disk/by-uuid/".Length..]).FirstOrDefault();
                part["holders"] = Holders(p, ps);
                parts[name] = part;
            }
            d["partitions"] = parts;
            d["rotational"] = p.Content(sysdir + "/queue/rotational");
            d["scheduler_mode"] = p.Content(sysdir + "/queue/scheduler") is { } sch && Scheduler.Match(sch) is { Success: true } sm ? sm.Groups[2].Value : "";
            d["sectors"] = p.Content(sysdir + "/size") ?? (object)0L;
            d["sectorsize"] = p.Content(sysdir + "/queue/logical_block_size") ?? p.Content(sysdir + "/queue/hw_sector_size") ?? (object)512L;
            d["size"] = BytesToHuman.Format(Number(d["sectors"]) * 512.0);
            d["host"] = "";
            if (PciId.Match(sysdir + "/") is { Success: true } pm && pci is not null)
            {
                var hm = Regex.Match(pci, "^" + Regex.Escape(pm.Groups[1].Value) + @"\s(.*)$", RegexOptions.Multiline);
                if (hm.Success) d["host"] = hm.Groups[1].Value;
            }
            d["holders"] = Holders(p, sysdir);
            devices[block] = d;
        }
        return f;
    }

    private static double Number(object? v) => v switch
    {
        long l => l,
        string s when double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => 0,
    };

    private static List<object?> Holders(ProbeOutput p, string sysdir) =>
        (p.Dir(sysdir + "/holders") ?? Array.Empty<string>()).Where(h => h.StartsWith("dm-", StringComparison.Ordinal))
            .Select(h => (object?)(p.Content($"{sysdir}/holders/{h}/dm/name") ?? h)).ToList();

    private static Dict LinksOf(Dict links, string name)
    {
        var d = new Dict();
        foreach (var (type, map) in links) d[type] = ((Dict)map!).Get(name) is List<object?> l ? new List<object?>(l) : new List<object?>();
        return d;
    }

    private static Dict Links(ProbeOutput p)
    {
        Dict ByTarget(string dir)
        {
            var d = new Dict();
            if (p.Dir(dir) is null) return d;
            foreach (var (path, target) in p.LinksUnder(dir + "/"))
            {
                var t = Path.GetFileName(target);
                if (d.Get(t) is not List<object?> l) d[t] = l = new List<object?>();
                l.Add(path[(dir.Length + 1)..]);
            }
            foreach (var k in d.Keys.ToList()) d[k] = ((List<object?>)d[k]!).Cast<string>().Distinct().Order(StringComparer.Ordinal).Select(s => (object?)s).ToList();
            return d;
        }
        var masters = new Dict();
        foreach (var (path, _) in p.LinksUnder("/sys/block/"))
        {
            var e = path.Split('/');
            if (e.Length != 6 || e[4] != "slaves") continue;
            if (masters.Get(e[5]) is not List<object?> l) masters[e[5]] = l = new List<object?>();
            if (!l.Contains(e[3])) l.Add(e[3]);
        }
        foreach (var k in masters.Keys.ToList()) masters[k] = ((List<object?>)masters[k]!).Cast<string>().Order(StringComparer.Ordinal).Select(s => (object?)s).ToList();
        return new Dict { ["ids"] = ByTarget("/dev/disk/by-id"), ["uuids"] = ByTarget("/dev/disk/by-uuid"), ["labels"] = ByTarget("/dev/disk/by-label"), ["masters"] = masters };
    }
}

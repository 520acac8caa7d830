using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// Network facts as ansible-core 2.14's LinuxNetwork reports them (lib/ansible/module_utils/facts/network/linux.py):
/// interfaces (in /sys/class/net readdir order), one dict per interface (device, macaddress, mtu, active, module,
/// type, bridge/bonding details, pciid, speed, promisc, ipv4, ipv4_secondaries, ipv6, ethtool features),
/// default_ipv4/default_ipv6 (from `ip route get` to Ansible's probe addresses, completed from the matching
/// address), all_ipv4_addresses (without 127.*) and all_ipv6_addresses (without ::1). Interface names with ":" get
/// "_". Without `ip` on the target (where Ansible reports no network facts) addresses come from /proc/net/if_inet6
/// and /proc/net/fib_trie, the default route from /proc/net/route (see <see cref="ProcNetFacts"/>).
/// </summary>
internal static class NetworkFacts
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["1"] = "ether", ["32"] = "infiniband", ["512"] = "ppp", ["772"] = "loopback", ["65534"] = "tunnel",
    };

    public static Dict From(ProbeOutput p)
    {
        var hasIp = p.Has("route");
        var v4 = hasIp ? Route(p.Value("route"), "8.8.8.8") : ProcNetFacts.DefaultRoute(p);
        var v6 = hasIp ? Route(p.Value("route6"), "2404:6800:400a:800::1012") : new Dict();
        var interfaces = new Dict();
        var all4 = new List<object?>();
        var all6 = new List<object?>();
        var order = p.Value("iforder").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var device in order)
        {
            var path = "/sys/class/net/" + device;
            var i = new Dict { ["device"] = device };
            interfaces[device] = i;
            var mac = p.Content(path + "/address");
            if (mac is not null && mac != "00:00:00:00:00:00") i["macaddress"] = mac;
            if (long.TryParse(p.Content(path + "/mtu"), out var mtu)) i["mtu"] = mtu;
            if (p.Raw(path + "/operstate") is not null) i["active"] = p.Content(path + "/operstate") != "down";
            if (Tagged(p, "ifmodule", device) is { } module) i["module"] = module;
            if (p.Raw(path + "/type") is not null) i["type"] = Types.GetValueOrDefault(p.Content(path + "/type") ?? "", "unknown");
            if (p.Exists(path + "/bridge"))
            {
                i["type"] = "bridge";
                i["interfaces"] = (p.Dir(path + "/brif") ?? Array.Empty<string>()).Select(b => (object?)b).ToList();
                if (p.Raw(path + "/bridge/bridge_id") is not null) i["id"] = p.Content(path + "/bridge/bridge_id") ?? "";
                if (p.Raw(path + "/bridge/stp_state") is not null) i["stp"] = p.Content(path + "/bridge/stp_state") == "1";
            }
            if (p.Exists(path + "/bonding")) Bonding(p, path, i);
            if (p.Exists(path + "/bonding_slave")) i["perm_macaddress"] = p.Content(path + "/bonding_slave/perm_hwaddr") ?? "";
            if (Tagged(p, "ifdevice", device) is { } pciid) i["pciid"] = pciid;
            if (long.TryParse(p.Content(path + "/speed"), out var speed)) i["speed"] = speed;
            if (p.Content(path + "/flags") is { } flags && long.TryParse(flags.Replace("0x", "", StringComparison.Ordinal), NumberStyles.HexNumber, null, out var fl))
                i["promisc"] = (fl & 0x0100) > 0;
            var ctx = new AddressContext(interfaces, device, mac, v4, v6, all4, all6); // Ansible copies the file's value, 00:00:.. included
            if (hasIp)
            {
                if (p.Ok("ip:" + device) is { } primary) ParseIp(primary, false, ctx);
                if (p.Ok("ip2:" + device) is { } secondary) ParseIp(secondary, true, ctx);
            }
            else ProcNetFacts.Addresses(p, ctx);
            foreach (var (k, v) in EthtoolFacts.From(p, device)) i[k] = v;
        }
        var f = new Dict();
        var renamed = new Dict(interfaces.Select(kv => new KeyValuePair<string, object?>(kv.Key.Replace(':', '_'), kv.Value)));
        f["interfaces"] = renamed.Keys.Select(k => (object?)k).ToList();
        foreach (var (k, v) in renamed) f[k] = v;
        f["default_ipv4"] = v4;
        f["default_ipv6"] = v6;
        f["all_ipv4_addresses"] = all4;
        f["all_ipv6_addresses"] = all6;
        return f;
    }

    private static string? Tagged(ProbeOutput p, string key, string device) =>
        p.Values(key).Select(v => v.Split(' ', 2)).FirstOrDefault(w => w.Length == 2 && w[0] == device)?[1];

    private static void Bonding(ProbeOutput p, string path, Dict i)
    {
        string First(string file) => (p.Content(path + "/bonding/" + file) ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        i["type"] = "bonding";
        i["slaves"] = (p.Content(path + "/bonding/slaves") ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(s => (object?)s).ToList();
        i["mode"] = First("mode");
        i["miimon"] = First("miimon");
        i["lacp_rate"] = First("lacp_rate");
        if (p.Content(path + "/bonding/primary") is { } primary)
        {
            i["primary"] = primary;
            if (p.Raw(path + "/bonding/all_slaves_active") is not null) i["all_slaves_active"] = p.Content(path + "/bonding/all_slaves_active") == "1";
        }
    }

    /// <summary>get_default_interfaces: interface, address, gateway from the first line of `ip route get TARGET`.</summary>
    internal static Dict Route(string line, string target)
    {
        var d = new Dict();
        var w = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (w.Length == 0 || w[0] != target) return d;
        for (var k = 0; k < w.Length - 1; k++)
        {
            if (w[k] == "dev") d["interface"] = w[k + 1];
            else if (w[k] == "src") d["address"] = w[k + 1];
            else if (w[k] == "via" && w[k + 1] != target) d["gateway"] = w[k + 1];
        }
        return d;
    }

    /// <summary>What parse_ip_output updates while reading one interface's addresses.</summary>
    internal sealed record AddressContext(Dict Interfaces, string Device, string? Mac, Dict V4, Dict V6, List<object?> All4, List<object?> All6);

    /// <summary>parse_ip_output: the inet/inet6 lines of `ip addr show [primary|secondary] dev DEVICE`.</summary>
    internal static void ParseIp(string output, bool secondary, AddressContext c)
    {
        foreach (var raw in output.Split('\n'))
        {
            var w = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (w.Length == 0) continue;
            if (w[0] == "inet")
            {
                string address, prefix, broadcast = "";
                if (w[1].Contains('/'))
                {
                    (address, prefix) = (w[1].Split('/')[0], w[1].Split('/')[1]);
                    if (w.Length > 3 && w[2] == "brd") broadcast = w[3];
                }
                else (address, prefix) = (w[1], "32");
                AddIpv4(c, address, prefix, broadcast, w[^1], secondary);
            }
            else if (w[0] == "inet6" && w.Length > 3)
            {
                string address, prefix, scope;
                if (w[2] == "peer" && w.Length > 5) (address, prefix, scope) = (w[1], w[3].Split('/').Last(), w[5]);
                else (address, prefix, scope) = (w[1].Split('/')[0], w[1].Split('/').Last(), w[3]);
                AddIpv6(c, address, prefix, scope);
            }
        }
    }

    internal static void AddIpv4(AddressContext c, string address, string prefix, string broadcast, string label, bool secondary)
    {
        var bits = int.TryParse(prefix, out var pl) ? Math.Clamp(pl, 0, 32) : 32;
        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        var entry = new Dict { ["address"] = address, ["broadcast"] = broadcast, ["netmask"] = FromUInt(mask), ["network"] = FromUInt(ToUInt(address) & mask), ["prefix"] = prefix };
        var dev = (Dict)c.Interfaces[c.Device]!;
        if (label != c.Device) c.Interfaces[label] = new Dict();
        var iface = (Dict)c.Interfaces[label]!;
        if (!secondary && !iface.ContainsKey("ipv4")) iface["ipv4"] = entry;
        else AppendTo(iface, "ipv4_secondaries", entry);
        if (secondary)
        {
            if (!dev.ContainsKey("ipv4_secondaries")) dev["ipv4_secondaries"] = new List<object?>();
            if (label != c.Device) AppendTo(dev, "ipv4_secondaries", new Dict(entry));
        }
        if (c.V4.Get("address") is string a && a == address)
        {
            c.V4["broadcast"] = broadcast;
            c.V4["netmask"] = entry["netmask"];
            c.V4["network"] = entry["network"];
            c.V4["prefix"] = prefix;
            c.V4["macaddress"] = c.Mac;
            c.V4["mtu"] = dev.Get("mtu");
            c.V4["type"] = dev.Get("type") ?? "unknown";
            c.V4["alias"] = label;
        }
        if (!address.StartsWith("127.", StringComparison.Ordinal)) c.All4.Add(address);
    }

    internal static void AddIpv6(AddressContext c, string address, string prefix, string scope)
    {
        var dev = (Dict)c.Interfaces[c.Device]!;
        AppendTo(dev, "ipv6", new Dict { ["address"] = address, ["prefix"] = prefix, ["scope"] = scope });
        if (c.V6.Get("address") is string a && a == address)
        {
            c.V6["prefix"] = prefix;
            c.V6["scope"] = scope;
            c.V6["macaddress"] = c.Mac;
            c.V6["mtu"] = dev.Get("mtu");
            c.V6["type"] = dev.Get("type") ?? "unknown";
        }
        if (address != "::1") c.All6.Add(address);
    }

    private static void AppendTo(Dict d, string key, Dict entry)
    {
        if (d.Get(key) is not List<object?> l) d[key] = l = new List<object?>();
        l.Add(entry);
    }

    internal static uint ToUInt(string ip)
    {
        var b = IPAddress.TryParse(ip, out var a) ? a.GetAddressBytes() : new byte[4];
        return b.Length == 4 ? (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) : 0;
    }

    internal static string FromUInt(uint v) => $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";
}

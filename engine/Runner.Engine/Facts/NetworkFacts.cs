using System.Net;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// default_ipv4 and all_ipv4_addresses as ansible-core 2.14's Linux network collector reports them
/// (behaviour observed with `ansible localhost -m setup`): the default route is the one `ip -4 route get 8.8.8.8`
/// picks; default_ipv4 has address, alias, broadcast, gateway, interface, macaddress, mtu (int), netmask,
/// network, prefix (string), type; all_ipv4_addresses lists every IPv4 address except 127.0.0.0/8, interfaces in
/// the unsorted directory order of /sys/class/net (as Ansible's glob walks them).
/// Without `ip` on the target, only interface and gateway come from /proc/net/route.
/// </summary>
internal static class NetworkFacts
{
    /// <param name="route">First line of `ip -4 route get 8.8.8.8`, or "".</param>
    /// <param name="route4">"IFACE GATEWAYHEX" from /proc/net/route when ip is missing, or "".</param>
    /// <param name="addrs">"IFACE ADDR/PREFIX REST" per `ip -4 -o addr` line.</param>
    /// <param name="ifaces">"IFACE MAC MTU TYPE" per /sys/class/net entry.</param>
    /// <param name="ifOrder">Interface names in /sys/class/net directory order, space-separated, or "".</param>
    public static IEnumerable<KeyValuePair<string, object?>> From(string route, string route4, List<string> addrs, List<string> ifaces, string ifOrder = "")
    {
        var all = new List<(string If, string Addr)>();
        var parsed = new List<(string If, string Addr, int Prefix, string? Brd, string Label)>();
        foreach (var a in addrs)
        {
            var w = a.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length < 2) continue;
            var cidr = w[1].Split('/');
            var prefix = cidr.Length > 1 && int.TryParse(cidr[1], out var p) ? p : 32;
            var brdAt = Array.IndexOf(w, "brd");
            var brd = brdAt >= 0 && brdAt + 1 < w.Length ? w[brdAt + 1] : null;
            var scopeAt = Array.IndexOf(w, "scope");
            var label = scopeAt >= 0 && scopeAt + 2 < w.Length ? w[scopeAt + 2].TrimEnd('\\') : w[0];
            parsed.Add((w[0], cidr[0], prefix, brd, label));
            if (!cidr[0].StartsWith("127.", StringComparison.Ordinal)) all.Add((w[0], cidr[0]));
        }

        var info = new Dict();
        string? dev = null, src = null, via = null;
        var rw = route.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < rw.Length; i++)
        {
            if (rw[i] == "dev") dev = rw[i + 1];
            else if (rw[i] == "src") src = rw[i + 1];
            else if (rw[i] == "via") via = rw[i + 1];
        }
        if (dev is null && route4.Length > 0)
        {
            var w = route4.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            dev = w[0];
            if (w.Length > 1 && uint.TryParse(w[1], System.Globalization.NumberStyles.HexNumber, null, out var gw))
                via = new IPAddress(gw).ToString();
        }
        if (dev is not null)
        {
            var a = parsed.FirstOrDefault(x => x.If == dev && (src is null || x.Addr == src));
            if (a.If is null) a = parsed.FirstOrDefault(x => x.If == dev);
            if (a.If is not null)
            {
                var mask = a.Prefix == 0 ? 0u : uint.MaxValue << (32 - a.Prefix);
                var addrBits = ToUInt(a.Addr);
                info["address"] = a.Addr;
                info["alias"] = a.Label;
                info["broadcast"] = a.Brd ?? "";
                info["gateway"] = via ?? "";
                info["interface"] = dev;
                AddLink(info, dev, ifaces);
                info["netmask"] = FromUInt(mask);
                info["network"] = FromUInt(addrBits & mask);
                info["prefix"] = a.Prefix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                info["gateway"] = via ?? "";
                info["interface"] = dev;
                AddLink(info, dev, ifaces);
            }
            info = new Dict(info.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        }
        yield return new("default_ipv4", info);
        var order = ifOrder.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        int Rank(string iface) => order.IndexOf(iface) is var i and >= 0 ? i : int.MaxValue;
        yield return new("all_ipv4_addresses", all.OrderBy(a => Rank(a.If)).Select(a => (object?)a.Addr).ToList()); // stable within an interface
    }

    private static void AddLink(Dict info, string dev, List<string> ifaces)
    {
        foreach (var line in ifaces)
        {
            var w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (w.Length < 1 || w[0] != dev) continue;
            if (w.Length > 1) info["macaddress"] = w[1];
            if (w.Length > 2 && long.TryParse(w[2], out var mtu)) info["mtu"] = mtu;
            info["type"] = w.Length > 3 ? (w[3] == "1" ? "ether" : w[3] == "772" ? "loopback" : "unknown") : "unknown";
        }
    }

    private static uint ToUInt(string ip)
    {
        var b = IPAddress.TryParse(ip, out var a) ? a.GetAddressBytes() : new byte[4];
        return b.Length == 4 ? (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) : 0;
    }

    private static string FromUInt(uint v) => $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";
}

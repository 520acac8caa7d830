using System.Globalization;
using System.Net;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// Runner's fallback for targets without `ip` (where ansible-core 2.14's LinuxNetwork reports no network facts):
/// the default IPv4 route from /proc/net/route, IPv4 addresses from /proc/net/fib_trie's "/32 host LOCAL" leaves
/// (prefix from the enclosing subnet), IPv6 addresses from /proc/net/if_inet6; fed through the same
/// <see cref="NetworkFacts"/> updates as `ip addr` lines, so the shapes are Ansible's.
/// </summary>
internal static class ProcNetFacts
{
    /// <summary>interface and gateway of the 00000000 destination in /proc/net/route.</summary>
    public static Dict DefaultRoute(ProbeOutput p)
    {
        var d = new Dict();
        foreach (var line in p.Lines("/proc/net/route").Skip(1))
        {
            var w = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (w.Length < 3 || w[1] != "00000000") continue;
            d["interface"] = w[0];
            if (uint.TryParse(w[2], NumberStyles.HexNumber, null, out var gw) && gw != 0) d["gateway"] = new IPAddress(gw).ToString();
            var local = Ipv4Locals(p).FirstOrDefault(a => a.Device == w[0]);
            if (local.Address is not null) d["address"] = local.Address;
            break;
        }
        return d;
    }

    /// <summary>Adds the device's addresses to the facts, as parse_ip_output would.</summary>
    public static void Addresses(ProbeOutput p, NetworkFacts.AddressContext c)
    {
        foreach (var (dev, addr, prefix) in Ipv4Locals(p))
            if (dev == c.Device) NetworkFacts.AddIpv4(c, addr, prefix, "", dev, false);
        foreach (var line in p.Lines("/proc/net/if_inet6"))
        {
            var w = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (w.Length < 6 || w[5] != c.Device || w[0].Length != 32) continue;
            var bytes = Enumerable.Range(0, 16).Select(i => Convert.ToByte(w[0].Substring(i * 2, 2), 16)).ToArray();
            var scope = Convert.ToInt32(w[3], 16) switch { 0x10 => "host", 0x20 => "link", 0x40 => "site", _ => "global" };
            NetworkFacts.AddIpv6(c, new IPAddress(bytes).ToString(), Convert.ToInt32(w[2], 16).ToString(CultureInfo.InvariantCulture), scope);
        }
    }

    /// <summary>(device, address, prefix) for each local IPv4 address; the device is the route table's for that subnet.</summary>
    internal static List<(string Device, string Address, string Prefix)> Ipv4Locals(ProbeOutput p)
    {
        var routes = new List<(uint Net, uint Mask, string Dev)>();
        foreach (var line in p.Lines("/proc/net/route").Skip(1))
        {
            var w = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (w.Length >= 8 && uint.TryParse(w[1], NumberStyles.HexNumber, null, out var n) && uint.TryParse(w[7], NumberStyles.HexNumber, null, out var m) && m != 0)
                routes.Add((Swap(n), Swap(m), w[0]));
        }
        var result = new List<(string, string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = p.Lines("/proc/net/fib_trie");
        for (var i = 1; i < lines.Count; i++)
        {
            if (!lines[i].Contains("/32 host LOCAL", StringComparison.Ordinal)) continue;
            var addr = lines[i - 1].Trim().TrimStart('|', '-', '+', ' ').Trim();
            if (!IPAddress.TryParse(addr, out _) || !seen.Add(addr)) continue;
            var a = NetworkFacts.ToUInt(addr);
            if (addr.StartsWith("127.", StringComparison.Ordinal)) { result.Add(("lo", addr, "8")); continue; }
            var r = routes.Where(x => (a & x.Mask) == x.Net).OrderByDescending(x => x.Mask).FirstOrDefault();
            if (r.Dev is null) continue;
            result.Add((r.Dev, addr, System.Numerics.BitOperations.PopCount(r.Mask).ToString(CultureInfo.InvariantCulture)));
        }
        return result;
    }

    private static uint Swap(uint v) => (v & 0xFF) << 24 | (v & 0xFF00) << 8 | (v >> 8) & 0xFF00 | v >> 24;
}

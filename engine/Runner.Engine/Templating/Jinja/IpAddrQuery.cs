using System.Numerics;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// The query engine of ansible.utils' ipaddr filter (plugin_utils/base/ipaddr_utils.py, on python-netaddr 0.8.0;
/// https://docs.ansible.com/ansible/latest/collections/ansible/utils/docsite/filters_ipaddr.html).
/// <see cref="Run"/> takes the value (string, integer, or a list filtered element by element, falsy results dropped)
/// and a query; it returns Python's result: false for a value that is no IP address/network or does not match,
/// null (None) where Ansible's query yields nothing, strings, or integers (long, BigInteger above 2^63).
/// Misuse ("Not a network address", unknown query) raises a <see cref="TemplateError"/> with Ansible's wording.
/// </summary>
internal static class IpAddrQuery
{
    private static readonly IpNet[] V4Private =
        Nets("10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15");
    private static readonly IpNet[] V6Private = Nets("fc00::/7", "fec0::/10");
    private static readonly IpNet V4LinkLocal = Nets("169.254.0.0/16")[0];
    private static readonly IpNet V6LinkLocal = Nets("fe80::/10")[0];
    private static readonly IpNet V4Multicast = Nets("224.0.0.0/4")[0];
    private static readonly IpNet V6Multicast = Nets("ff00::/8")[0];
    private static readonly IpNet V4Loopback = Nets("127.0.0.0/8")[0];
    private static readonly IpNet Net6to4 = Nets("2002::/16")[0];

    private static IpNet[] Nets(params string[] texts) =>
        texts.Select(t => IpNet.TryParseNetwork(t, out var n) ? n : throw new InvalidOperationException(t)).ToArray();

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "", "6to4", "address", "address/prefix", "bool", "broadcast", "cidr", "cidr_lookup", "first_usable", "gateway",
        "gw", "host", "host/prefix", "hostmask", "hostnet", "int", "ip", "ip/prefix", "ip_netmask", "ipv4", "ipv6",
        "last_usable", "link-local", "lo", "loopback", "multicast", "net", "next_usable", "netmask", "network",
        "network_id", "network/prefix", "network_netmask", "network_wildcard", "peer", "prefix", "previous_usable",
        "private", "public", "range_usable", "revdns", "router", "size", "size_usable", "subnet", "type", "unicast",
        "v4", "v6", "version", "wildcard", "wrap",
    };

    /// <summary>ipaddr(value, query, version, alias); version 0 is any. A null alias is the ipaddr filter's own
    /// (its unknown-query error is then Python's TypeError, as Ansible's).</summary>
    public static object? Run(object? value, string? query, int version = 0, string? alias = "ipaddr")
    {
        if (value is List<object?> list)
            return list.Select(e => Run(e, query ?? "None", version)).Where(PyOps.Truthy).ToList();
        if (!PyOps.Truthy(value) || value is true) return false;
        if (!TryValue(value, version, out var v, out var vtype, out var valueText)) return false;
        IpNet lookup = default;
        if (!string.IsNullOrEmpty(query) && (!Known.Contains(query) || query == "cidr_lookup") && !IsDigits(query)
            && PyOps.Truthy(Run(query, "network")) && IpNet.TryParseNetwork(query, out lookup))
            query = "cidr_lookup";
        if (version != 0 && v.Version != version) return false;
        return Query(v, vtype, valueText, query, lookup, alias);
    }

    private static bool IsDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    /// <summary>The value as netaddr sees it: a decimal integer is an address (IPv4 if it fits), "N/P" a numeric
    /// network; other text is IPNetwork(text), "network" when it has a "/".</summary>
    private static bool TryValue(object? value, int version, out IpNet v, out string vtype, out string text)
    {
        v = default; vtype = "address"; text = value as string ?? "";
        var s = value is string str ? str : PyOps.IsInt(value) ? PyOps.Str(value) : null;
        if (s is null) return false;
        if (IsDigits(s))
        {
            var n = BigInteger.Parse(s);
            if (version != 6 && n <= uint.MaxValue) v = IpNet.Host(4, (UInt128)n);
            else if (n <= UInt128.MaxValue) v = IpNet.Host(6, (UInt128)n);
            else return false;
            text = v.ToString();
            return true;
        }
        if (value is not string) return false;
        if (IpNet.TryParseNetwork(s, out v))
        {
            vtype = s.Split('/').Length == 2 ? "network" : "address";
            return true;
        }
        var parts = s.Split('/');
        if (parts.Length != 2 || !IpNet.TryPyInt(parts[0], out var a) || !IpNet.TryPyInt(parts[1], out var p)) return false;
        if (a >= 0 && a <= uint.MaxValue && p >= 0 && p <= 32) v = new IpNet(4, (UInt128)a, (int)p);
        else if (a >= 0 && a <= UInt128.MaxValue && p >= 0 && p <= 128) v = new IpNet(6, (UInt128)a, (int)p);
        else return false;
        text = v.ToString();
        vtype = "network";
        return true;
    }

    private static string Addr(IpNet v, UInt128 value) => IpNet.Format(v.Version, value);

    private static object Int(BigInteger n) => n >= long.MinValue && n <= long.MaxValue ? (object)(long)n : n;

    private static object? Query(IpNet v, string vtype, string value, string? query, IpNet lookup, string? alias)
    {
        var size = v.Size;
        var isNet = v.Value == v.Network;
        switch (query)
        {
            case "": return vtype == "address" ? v.IpText : v.ToString();
            case "6to4": return SixToFour(v, vtype, value);
            case "address" or "ip":
                if (size == 1 || !isNet || v.Broadcast is null || v.Version == 6) return v.IpText;
                return null;
            case "address/prefix" or "gateway" or "gw" or "host/prefix" or "hostnet" or "router":
                return size > 2 && (isNet || v.Value == v.Broadcast) ? false : $"{v.IpText}/{v.Prefix}";
            case "bool": return true;
            case "broadcast": return size > 2 ? Addr(v, v.Last) : null;
            case "cidr": return v.ToString();
            case "cidr_lookup": return v.Within(lookup) ? value : null;
            case "first_usable":
                NeedNetwork(vtype);
                return size == 2 ? Addr(v, v.Network) : size > 1 ? Addr(v, v.Network + 1) : null;
            case "host":
                if (size == 1) return v.ToString();
                return !isNet || v.Broadcast is null ? $"{v.IpText}/{v.Prefix}" : null;
            case "hostmask" or "wildcard": return Addr(v, v.HostmaskInt);
            case "int": return vtype == "address" ? Int((BigInteger)v.Value) : $"{v.Value}/{v.Prefix}";
            case "ip/prefix":
                return size == 2 || (size > 1 && !isNet) ? $"{v.IpText}/{v.Prefix}" : null;
            case "ip_netmask":
                return size == 2 || (size > 1 && !isNet) ? $"{v.IpText} {Addr(v, v.NetmaskInt)}" : null;
            case "v4" or "v6":
                // Ansible's table passes these aliases no value argument: Python's TypeError
                var fn = query == "v4" ? "_ipv4_query" : "_ipv6_query";
                var msg = $"{fn}() missing 1 required positional argument: 'value'";
                throw new InvalidOperationException($"{msg}. {msg}");
            case "ipv4":
                if (v.Version == 4) return value;
                if (v.Value <= uint.MaxValue && v.Prefix >= 96) return $"{IpNet.Format(4, v.Value)}/{v.Prefix - 96}";
                if (v.Value >= 0xffff00000000 && v.Value <= 0xffffffffffff && v.Prefix >= 96)
                    return $"{IpNet.Format(4, v.Value - 0xffff00000000)}/{v.Prefix - 96}";
                return false;
            case "ipv6":
                return v.Version == 4 ? new IpNet(6, v.Value + 0xffff00000000, v.Prefix + 96).ToString() : value;
            case "last_usable":
                NeedNetwork(vtype);
                return size > 1 ? Addr(v, UsableRange(v).Last) : null;
            case "link-local":
                return v.Ip.Within(v.Version == 4 ? V4LinkLocal : V6LinkLocal) ? value : null;
            case "lo" or "loopback": return IsLoopback(v) ? value : null;
            case "multicast": return IsMulticast(v) ? value : null;
            case "net": return size > 1 && isNet ? $"{Addr(v, v.Network)}/{v.Prefix}" : null;
            case "next_usable" or "previous_usable":
            {
                NeedNetwork(vtype);
                if (size <= 1) return null;
                var (first, last) = UsableRange(v);
                var up = query == "next_usable";
                if (up ? v.Value == v.MaxInt : v.Value == 0) return null;
                var n = up ? v.Value + 1 : v.Value - 1;
                return n >= first && n <= last ? Addr(v, n) : null;
            }
            case "netmask": return Addr(v, v.NetmaskInt);
            case "network" or "network_id": return Addr(v, v.Network);
            case "network/prefix" or "subnet": return v.Cidr.ToString();
            case "network_netmask": return $"{Addr(v, v.Network)} {Addr(v, v.NetmaskInt)}";
            case "network_wildcard": return $"{Addr(v, v.Network)} {Addr(v, v.HostmaskInt)}";
            case "peer": return Peer(v, vtype);
            case "prefix": return (long)v.Prefix;
            case "private": return IsPrivate(v) ? value : null;
            case "public":
            {
                var ip = v.Ip;
                return !IsMulticast(ip) && !IsPrivate(ip) && !IsLoopback(ip) && !ip.IsNetmask && !ip.IsHostmask ? value : null;
            }
            case "range_usable":
            {
                NeedNetwork(vtype);
                if (size <= 1) return null;
                var (first, last) = UsableRange(v);
                return $"{Addr(v, first)}-{Addr(v, last)}";
            }
            case "revdns": return v.ReverseDns();
            case "size": return Int(size);
            case "size_usable": return size == 1 ? 0L : size == 2 ? 2L : Int(size - 2);
            case "type": return size == 1 || !isNet ? "address" : "network";
            case "unicast": return IsMulticast(v) ? null : value;
            case "version": return (long)v.Version;
            case "wrap":
                if (v.Version == 4) return value;
                return vtype == "address" ? $"[{v.IpText}]" : $"[{v.IpText}]/{v.Prefix}";
        }
        return Nth(v, vtype, value, query ?? "None", alias);
    }

    /// <summary>A numeric query (anything Python's float() reads) picks the Nth address of a network.</summary>
    private static object? Nth(IpNet v, string vtype, string value, string query, string? alias)
    {
        if (!Filters.TryParseFloat(query, out _))
        {
            if (alias is null) throw new InvalidOperationException("unsupported operand type(s) for +: 'NoneType' and 'str'. unsupported operand type(s) for +: 'NoneType' and 'str'");
            throw new TemplateError($"{alias}: unknown filter type: {query}");
        }
        if (v.Size == 1) return vtype == "address" ? v.IpText : v.ToString();
        if (!IpNet.TryPyInt(query, out var n)) return false;
        var size = v.Size;
        if (n < -size || n >= size) return false;
        var value128 = n < 0 ? v.Last - (UInt128)(-n) + 1 : v.First + (UInt128)n;
        return $"{Addr(v, value128)}/{v.Prefix}";
    }

    private static void NeedNetwork(string vtype)
    {
        if (vtype == "address") throw new TemplateError("Not a network address");
    }

    /// <summary>_first_last: a /31 (/127) uses both addresses, larger networks exclude the first and last.</summary>
    public static (UInt128 First, UInt128 Last) UsableRange(IpNet v) =>
        v.Size == 2 ? (v.First, v.Last) : (v.First + 1, v.Last - 1);

    private static object? Peer(IpNet v, string vtype)
    {
        NeedNetwork(vtype);
        if (v.Size == 2) return Addr(v, v.Value ^ 1);
        if (v.Size == 4)
        {
            if (v.Value % 4 == 0) throw new TemplateError("Network address of /30 has no peer");
            if (v.Value % 4 == 3) throw new TemplateError("Broadcast address of /30 has no peer");
            return Addr(v, v.Value ^ 3);
        }
        throw new TemplateError("Not a point-to-point network");
    }

    private static object? SixToFour(IpNet v, string vtype, string value)
    {
        if (v.Version == 4)
        {
            if (v.Size > 1 && v.Value == v.Network) return false;
            var ip = v.IpText;
            if (!PyOps.Truthy(Run(ip, "public")) && !PyOps.Truthy(Run(ip, "private"))) return false;
            var b = v.Value;
            return $"2002:{(int)(b >> 24) & 0xff:x2}{(int)(b >> 16) & 0xff:x2}:{(int)(b >> 8) & 0xff:x2}{(int)b & 0xff:x2}::1/48";
        }
        if (vtype == "address") return v.Within(Net6to4) ? value : false;
        return v.Value != v.Network && v.Ip.Within(Net6to4) ? value : false;
    }

    private static bool IsLoopback(IpNet v) => v.Version == 4 ? v.Ip.Within(V4Loopback) : v.Value == 1;

    /// <summary>netaddr's is_multicast on a network: the whole network lies in 224.0.0.0/4 (ff00::/8).</summary>
    private static bool IsMulticast(IpNet v) => v.Within(v.Version == 4 ? V4Multicast : V6Multicast);

    /// <summary>netaddr 0.8.0's is_private: RFC 1918/6598/5736/2544 blocks, 239.0.0.0/8, ULA, site-local, link-local.</summary>
    private static bool IsPrivate(IpNet v)
    {
        if (v.Version == 4)
        {
            if (V4Private.Any(v.Within)) return true;
            // netaddr's IPRange-contains-IPNetwork wants the range to end past the network's next address
            if (v.First >= 0xEF000000 && 0xEFFFFFFF > v.Last + 1) return true;
            return v.Within(V4LinkLocal);
        }
        return V6Private.Any(v.Within) || v.Within(V6LinkLocal);
    }
}

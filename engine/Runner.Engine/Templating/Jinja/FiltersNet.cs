using System.Numerics;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// ansible.utils' IP and MAC address filters (plugins/filter/*.py of the collection, on python-netaddr 0.8.0;
/// https://docs.ansible.com/ansible/latest/collections/ansible/utils/docsite/filters_ipaddr.html): ipaddr, ipv4, ipv6,
/// ipwrap, ipmath, ipsubnet, nthhost, next_nth_usable, previous_nth_usable, network_in_network, network_in_usable,
/// reduce_on_network, cidr_merge, ip4_hex, hwaddr, macaddr. Arguments are checked as the collection's argspec does
/// (str arguments take str() of other values, int ones Python int() of strings; failures are
/// ["argument 'x' is of type ..."]). Addresses are <see cref="IpNet"/>, a small UInt128 type that reproduces netaddr's
/// parsing and glibc's IPv6 text; neither IPNetwork2 nor System.Net accept and print the same forms (partial IPv4,
/// inet_aton, host bits kept in a network, netmask prefixes), and the filters' results depend on those forms.
/// </summary>
internal static partial class Filters
{
    private static void AddNet(Dictionary<string, Fn> r)
    {
        r["ipaddr"] = (v, a) => IpAddrQuery.Run(IpValue(v, "ipaddr"), ArgStr(a, 0, "query", ""), (int)(ArgInt(a, 1, "version") ?? 0), ArgStr(a, 2, "alias"));
        r["ipv4"] = (v, a) => IpAddrQuery.Run(IpValue(v, "ipv4"), ArgStr(a, 0, "query", ""), 4, "ipv4");
        r["ipv6"] = (v, a) => IpAddrQuery.Run(IpValue(v, "ipv6"), ArgStr(a, 0, "query", ""), 6, "ipv6");
        r["ipwrap"] = IpWrap;
        r["ipmath"] = IpMath;
        r["ipsubnet"] = (v, a) => IpSubnet(ArgStr(v, "value")!, ArgStr(a, 0, "query", "")!, ArgInt(a, 1, "index"));
        r["nthhost"] = (v, a) => NthHost(ArgStr(v, "value")!, ArgStr(a, 0, "query"));
        r["next_nth_usable"] = (v, a) => NthUsable(ArgStr(v, "value")!, ArgInt(a, 0, "offset"), 1);
        r["previous_nth_usable"] = (v, a) => NthUsable(ArgStr(v, "value")!, ArgInt(a, 0, "offset"), -1);
        r["network_in_network"] = (v, a) => NetworkIn(ArgStr(v, "value")!, ArgStr(a, 0, "test"), usable: false);
        r["network_in_usable"] = (v, a) => NetworkIn(ArgStr(v, "value")!, ArgStr(a, 0, "test"), usable: true);
        r["reduce_on_network"] = (v, a) =>
        {
            var (first, last) = Bounds(Normalize(ArgStr(a, 0, "network")), "network", "broadcast");
            return ArgList(v, "value").Where(x => Bounds(Normalize(x), "network", "broadcast") is var (f, l) && f >= first && f <= last && l >= first && l <= last)
                .Select(x => (object?)x).ToList();
        };
        r["cidr_merge"] = (v, a) => IpCidrMerge.Run(ArgList(v, "value"), ArgStr(a, 0, "action", "merge")!);
        r["ip4_hex"] = (v, a) => Ip4Hex(ArgStr(v, "arg")!, ArgStr(a, 0, "delimiter", "")!);
        r["hwaddr"] = (v, a) => MacAddr.Run(ArgStr(v, "value")!, ArgStr(a, 0, "query", "")!, ArgStr(a, 1, "alias", "hwaddr")!);
        r["macaddr"] = (v, a) => MacAddr.Run(ArgStr(v, "value")!, ArgStr(a, 0, "query", "")!, "macaddr");
    }

    /// <summary>The ipaddr family accepts strings, lists and integers only.</summary>
    private static object? IpValue(object? v, string filter, bool boolsNotInts = false) =>
        v is string or List<object?> || (boolsNotInts ? v is bool : PyOps.IsInt(v))
            ? v
            : throw new TemplateError($"Unrecognized type <<class '{PyOps.TypeName(v)}'>> for {filter} filter <value>");

    private static string? ArgStr(FilterArgs a, int i, string kw, string? def = null) =>
        a.Has(i, kw) ? ArgStr(a.Get(i, kw), kw) : def;

    /// <summary>Argspec type str: str() of anything (None stays None).</summary>
    private static string? ArgStr(object? v, string name) => v is null ? null : PyOps.Str(v);

    /// <summary>Argspec type int: ints as they are, strings through Python int(), anything else an error.</summary>
    private static long? ArgInt(FilterArgs a, int i, string kw)
    {
        var v = a.Get(i, kw);
        if (v is null) return null;
        if (PyOps.IsInt(v)) return PyOps.L(v);
        if (v is string s && IpNet.TryPyInt(s, out var n) && n >= long.MinValue && n <= long.MaxValue) return (long)n;
        throw ArgError(kw, v, "int", "an int");
    }

    /// <summary>Argspec type list with str elements: a string splits on commas, a number is a one-item list.</summary>
    private static List<string> ArgList(object? v, string name) => v switch
    {
        List<object?> l => l.Select(x => PyOps.Str(x)).ToList(),
        string s => s.Split(',').ToList(),
        _ when PyOps.IsNum(v) => new List<string> { PyOps.Str(v) },
        _ => throw ArgError(name, v, "list", "a list"),
    };

    private static TemplateError ArgError(string name, object? v, string type, string article) =>
        new("[" + PyOps.Repr($"argument '{name}' is of type <class '{PyOps.TypeName(v)}'> and we were unable to convert to {type}: <class '{PyOps.TypeName(v)}'> cannot be converted to {article}") + "]");

    private static object? IpWrap(object? v, FilterArgs a)
    {
        v = IpValue(v, "ipwrap", boolsNotInts: true);
        var query = a.Kw.TryGetValue("query", out var q) ? ArgStr(q, "query") : "";
        try
        {
            if (v is List<object?> l)
                return l.Select(e => PyOps.Truthy(IpAddrQuery.Run(e, query, 0, "ipwrap")) ? IpAddrQuery.Run(e, "wrap") : e).ToList();
            var r = IpAddrQuery.Run(v, query, 0, "ipwrap");
            return PyOps.Truthy(r) ? IpAddrQuery.Run(r, "wrap") : v;
        }
        catch (Exception e) when (e is TemplateError or InvalidOperationException) { return v; }
    }

    private static object? IpMath(object? v, FilterArgs a)
    {
        var value = ArgStr(v, "value")!;
        var amount = ArgInt(a, 0, "amount");
        IpNet ip;
        var ok = value.Contains('/') ? IpNet.TryParseNetwork(value, out ip) : IpNet.TryParseAddress(value, out ip);
        if (!ok) throw new TemplateError($"You must pass a valid IP address; {value} is invalid");
        if (amount is null) throw new TemplateError("You must pass an integer for arithmetic; None is not a valid integer");
        var n = (BigInteger)ip.Value + amount.Value;
        if (n < 0 || n > (BigInteger)ip.MaxInt) throw new PythonError("IndexError", "result outside valid IP address boundary!");
        return IpNet.Format(ip.Version, (UInt128)n);
    }

    /// <summary>The value as the collection's filters normalise it: an address becomes "ip/32", a network its cidr.</summary>
    private static IpNet? Host(string value, bool cidrOnly)
    {
        var vtype = IpAddrQuery.Run(value, "type");
        if (vtype is not string t) return null;
        var text = (string)IpAddrQuery.Run(value, t == "address" ? "cidr" : "subnet")!;
        return IpNet.TryParseNetwork(text, out var net) ? cidrOnly ? net.Cidr : net : null;
    }

    private static object? IpSubnet(string value, string query, long? index)
    {
        if (Host(value, cidrOnly: true) is not { } net) return false;
        var isAddress = net.Size == 1;
        if (query.Length == 0) return net.ToString();
        var total = net.Width;
        if (query.All(char.IsAsciiDigit))
        {
            var q = int.TryParse(query, out var qi) ? qi : int.MaxValue;
            if (q > total) return false;
            if (index is null)
            {
                if (isAddress) return Supernet(net, q, 0).ToString();
                if (q < net.Prefix) throw new TemplateError($"Requested subnet size of {q} is invalid");
                return (BigInteger.One << (q - net.Prefix)).ToString();
            }
            var idx = index.Value;
            if (isAddress)
                return idx > total + 1 - idx || idx < q - total ? false : Supernet(net, q, idx).ToString();
            // Python's 2 ** negative is a fraction: only index 0 is "in range", the network keeps its host bits
            if (q < net.Prefix) return idx == 0 ? new IpNet(net.Version, net.Network, q).ToString() : false;
            var subnets = BigInteger.One << (q - net.Prefix);
            BigInteger bi = idx < 0 ? idx + subnets : idx;
            if (bi < 0 || bi >= subnets) return false;
            return new IpNet(net.Version, net.Network + ((UInt128)bi << (total - q)), q).ToString();
        }
        var qnet = Host(query, cidrOnly: false) ?? throw new TemplateError($"You must pass a valid subnet or IP address; {query} is invalid");
        if (IpNet.Shr(net.Value, total - qnet.Prefix) != IpNet.Shr(qnet.Value, total - qnet.Prefix))
            throw new TemplateError($"{net.Cidr} is not in the subnet {qnet.Cidr}");
        if (net.Prefix < qnet.Prefix)
            throw new InvalidOperationException("unsupported operand type(s) for &: 'int' and 'float'. unsupported operand type(s) for &: 'int' and 'float'");
        var bits = net.Value & (IpNet.Ones(net.Prefix - qnet.Prefix) << (total - net.Prefix));
        return ((BigInteger)IpNet.Shr(bits, total - net.Prefix) + 1).ToString();
    }

    /// <summary>netaddr's supernet(q)[i]: the list of supernets from prefix q up to the network's own, indexed as Python.</summary>
    private static IpNet Supernet(IpNet net, int q, long i)
    {
        var count = net.Prefix - q;
        var k = i < 0 ? i + count : i;
        if (k < 0 || k >= count) throw new PythonError("IndexError", "list index out of range");
        return (net with { Prefix = q + (int)k }).Cidr;
    }

    private static object? NthHost(string value, string? query)
    {
        if (Host(value, cidrOnly: false) is not { } net || string.IsNullOrEmpty(query)) return false;
        if (!IpNet.TryPyInt(query, out var nth)) return false;
        if (net.Size <= nth) return false;
        if (nth < -net.Size) throw new PythonError("IndexError", "index out range for address range size!");
        var value128 = nth < 0 ? net.Last - (UInt128)(-nth) + 1 : net.First + (UInt128)nth;
        return IpNet.Format(net.Version, value128);
    }

    private static object? NthUsable(string value, long? offset, int sign)
    {
        if (Host(value, cidrOnly: false) is not { } net) return false;
        if (offset is null) throw new TemplateError("Must pass in an integer");
        if (net.Size <= 1) return null;
        var (first, last) = IpAddrQuery.UsableRange(net);
        var n = (BigInteger)net.Value + sign * offset.Value;
        return n >= (BigInteger)first && n <= (BigInteger)last ? IpNet.Format(net.Version, (UInt128)n) : null;
    }

    /// <summary>_address_normalizer: the subnet text of an address or network, else false.</summary>
    private static object? Normalize(string? value)
    {
        var vtype = IpAddrQuery.Run(value, "type");
        return vtype is "address" or "network" ? IpAddrQuery.Run(value, "subnet") : false;
    }

    /// <summary>First and last address as integers (ipaddr 'int' of two queries, falling back to 'address'; false is 0).</summary>
    private static (BigInteger First, BigInteger Last) Bounds(object? norm, string firstQuery, string lastQuery)
    {
        BigInteger Edge(string q)
        {
            var x = IpAddrQuery.Run(norm, q);
            if (!PyOps.Truthy(x)) x = IpAddrQuery.Run(norm, "address");
            return IpAddrQuery.Run(x, "int") switch { long l => l, BigInteger b => b, _ => 0 };
        }
        return (Edge(firstQuery), Edge(lastQuery));
    }

    private static bool NetworkIn(string value, string? test, bool usable)
    {
        var (vf, vl) = Bounds(Normalize(value), usable ? "first_usable" : "network", usable ? "last_usable" : "broadcast");
        var (wf, wl) = Bounds(Normalize(test), "network", "broadcast");
        return wf >= vf && wf <= vl && wl >= vf && wl <= vl;
    }

    private static string Ip4Hex(string arg, string delimiter)
    {
        var words = arg.Split('.').Select(p => IpNet.TryPyInt(p, out var n) ? n
            : throw new TemplateError($"invalid literal for int() with base 10: {PyOps.Repr(p)}")).ToList();
        if (words.Count < 4) throw new PythonError("IndexError", $"Replacement index {words.Count} out of range for positional args tuple");
        return string.Join(delimiter, words.Take(4).Select(n => (n < 0 ? "-" : "") + BigInteger.Abs(n).ToString("x").TrimStart('0').PadLeft(n < 0 ? 1 : 2, '0')));
    }
}

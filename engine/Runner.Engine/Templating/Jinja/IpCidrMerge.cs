using System.Numerics;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// ansible.utils.cidr_merge (plugins/filter/cidr_merge.py): action 'merge' is netaddr 0.8.0's cidr_merge (sorted by
/// version and range, adjacent or overlapping ranges joined and split into the fewest CIDRs; a network merged with
/// nothing keeps its host bits, "10.0.0.1/24"), 'span' is spanning_cidr (the smallest CIDR covering all).
/// Errors as Ansible's: "cidr_merge: error in netaddr:\n...", "cidr_merge: invalid action 'x'".
/// </summary>
internal static class IpCidrMerge
{
    private sealed record Range(int Version, UInt128 Last, UInt128 First, IpNet? Original);

    public static object? Run(List<string> values, string action)
    {
        if (action == "merge") return Merge(values.Select(Parse).ToList()).Select(n => (object?)n.ToString()).ToList();
        if (action != "span") throw new TemplateError($"cidr_merge: invalid action '{action}'");
        if (values.Count == 0) return null;
        var nets = values.Select(Parse).ToList();
        return nets.Count == 1 ? nets[0].ToString() : Span(nets).ToString();
    }

    private static IpNet Parse(string text) =>
        IpNet.TryParseNetwork(text, out var n) ? n : throw new TemplateError($"cidr_merge: error in netaddr:\ninvalid IPNetwork {text}");

    /// <summary>netaddr's IPNetwork ordering: version, network address, prefix, host bits.</summary>
    private static int Compare(IpNet a, IpNet b)
    {
        var c = a.Version.CompareTo(b.Version);
        if (c == 0) c = a.First.CompareTo(b.First);
        if (c == 0) c = a.Prefix.CompareTo(b.Prefix);
        return c != 0 ? c : (a.Value - a.First).CompareTo(b.Value - b.First);
    }

    private static List<IpNet> Merge(List<IpNet> nets)
    {
        var ranges = nets.Select(n => new Range(n.Version, n.Last, n.First, n)).ToList();
        ranges.Sort((x, y) =>
        {
            var c = x.Version.CompareTo(y.Version);
            if (c == 0) c = x.Last.CompareTo(y.Last);
            if (c == 0) c = x.First.CompareTo(y.First);
            return c != 0 ? c : Compare(x.Original!.Value, y.Original!.Value);
        });
        for (var i = ranges.Count - 1; i > 0; i--)
        {
            var (cur, prev) = (ranges[i], ranges[i - 1]);
            if (cur.Version == prev.Version && (cur.First == 0 || cur.First - 1 <= prev.Last))
            {
                ranges[i - 1] = new Range(cur.Version, cur.Last, UInt128.Min(prev.First, cur.First), null);
                ranges.RemoveAt(i);
            }
        }
        var merged = new List<IpNet>();
        foreach (var r in ranges)
            if (r.Original is { } o) merged.Add(o);
            else merged.AddRange(Cidrs(r.Version, r.First, r.Last));
        return merged;
    }

    /// <summary>The fewest CIDRs covering first..last exactly, in ascending order.</summary>
    private static IEnumerable<IpNet> Cidrs(int version, UInt128 first, UInt128 last)
    {
        var width = version == 4 ? 32 : 128;
        var start = (BigInteger)first;
        var end = (BigInteger)last;
        while (start <= end)
        {
            var bits = 0;
            while (bits < width && (start & ((BigInteger.One << (bits + 1)) - 1)) == 0 && start + (BigInteger.One << (bits + 1)) - 1 <= end) bits++;
            yield return new IpNet(version, (UInt128)start, width - bits);
            start += BigInteger.One << bits;
        }
    }

    private static IpNet Span(List<IpNet> nets)
    {
        var min = Compare(nets[0], nets[1]) < 0 ? nets[0] : nets[1];
        var max = Compare(nets[0], nets[1]) < 0 ? nets[1] : nets[0];
        foreach (var n in nets.Skip(2))
        {
            if (Compare(n, min) < 0) min = n;
            if (Compare(n, max) > 0) max = n;
        }
        if (min.Version != max.Version) throw new TemplateError("cidr_merge: error in netaddr:\nIP sequence cannot contain both IPv4 and IPv6!");
        var ipnum = max.Last;
        var prefix = max.Prefix;
        while (prefix > 0 && ipnum > min.First)
        {
            prefix--;
            ipnum &= ~IpNet.Ones(max.Width - prefix);
        }
        return new IpNet(max.Version, ipnum, prefix);
    }
}

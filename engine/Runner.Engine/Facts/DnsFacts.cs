using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// dns from /etc/resolv.conf as ansible-core 2.14's DnsFactCollector parses it (lib/ansible/module_utils/facts/system/dns.py):
/// nameservers (accumulated), domain, search, sortlist, options (name: value, or true for a bare option).
/// </summary>
internal static class DnsFacts
{
    public static Dict From(string? resolvConf)
    {
        var dns = new Dict();
        foreach (var line in (resolvConf ?? "").Split('\n'))
        {
            if (line.StartsWith('#') || line.StartsWith(';') || line.Trim().Length == 0) continue;
            var t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            switch (t[0])
            {
                case "nameserver":
                    if (dns.Get("nameservers") is not List<object?> ns) dns["nameservers"] = ns = new List<object?>();
                    ns.AddRange(t.Skip(1));
                    break;
                case "domain":
                    if (t.Length > 1) dns["domain"] = t[1];
                    break;
                case "search":
                case "sortlist":
                    dns[t[0]] = t.Skip(1).Select(x => (object?)x).ToList();
                    break;
                case "options":
                    var o = new Dict();
                    foreach (var opt in t.Skip(1))
                    {
                        var c = opt.IndexOf(':');
                        o[c < 0 ? opt : opt[..c]] = c < 0 || c == opt.Length - 1 ? true : opt[(c + 1)..];
                    }
                    dns["options"] = o;
                    break;
            }
        }
        return new Dict { ["dns"] = dns };
    }
}

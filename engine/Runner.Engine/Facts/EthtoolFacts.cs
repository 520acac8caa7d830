using System.Text.RegularExpressions;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// features, timestamping, hw_timestamp_filters and phc_index of an interface from `ethtool -k` / `ethtool -T`, as
/// ansible-core 2.14's LinuxNetwork.get_ethtool_data reports them (lib/ansible/module_utils/facts/network/linux.py);
/// nothing when ethtool is missing.
/// </summary>
internal static class EthtoolFacts
{
    public static Dict From(ProbeOutput p, string device)
    {
        var d = new Dict();
        if (p.Ok("ethtool-k:" + device) is { } k)
        {
            var features = new Dict();
            foreach (var line in k.Trim().Split('\n'))
            {
                if (line.Length == 0 || line.EndsWith(':')) continue;
                var at = line.IndexOf(": ", StringComparison.Ordinal);
                if (at < 0) continue;
                var value = line[(at + 2)..];
                if (value.Length == 0) continue;
                features[line[..at].Trim().Replace('-', '_')] = value.Trim();
            }
            d["features"] = features;
        }
        if (p.Ok("ethtool-T:" + device) is { } t)
        {
            d["timestamping"] = Regex.Matches(t, @"SOF_TIMESTAMPING_(\w+)").Select(m => (object?)m.Groups[1].Value.ToLowerInvariant()).ToList();
            d["hw_timestamp_filters"] = Regex.Matches(t, @"HWTSTAMP_FILTER_(\w+)").Select(m => (object?)m.Groups[1].Value.ToLowerInvariant()).ToList();
            if (Regex.Match(t, @"PTP Hardware Clock: (\d+)") is { Success: true } m) d["phc_index"] = long.Parse(m.Groups[1].Value);
        }
        return d;
    }
}

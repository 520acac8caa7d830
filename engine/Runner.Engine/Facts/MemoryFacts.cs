using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// memtotal_mb, memfree_mb, swaptotal_mb, swapfree_mb and memory_mb (real/nocache/swap) from /proc/meminfo, as
/// ansible-core 2.14's LinuxHardware.get_memory_facts computes them (lib/ansible/module_utils/facts/hardware/linux.py):
/// kB values floor-divided by 1024; a missing input leaves its derived value null.
/// </summary>
internal static class MemoryFacts
{
    private static readonly string[] Original = { "MemTotal", "SwapTotal", "MemFree", "SwapFree" };
    private static readonly string[] Stats = { "MemTotal", "SwapTotal", "MemFree", "SwapFree", "Buffers", "Cached", "SwapCached" };

    public static Dict From(IReadOnlyList<string> meminfo)
    {
        var f = new Dict();
        if (meminfo.Count == 0) return f;
        var s = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in meminfo)
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon];
            if (!Stats.Contains(key) || !long.TryParse(line[(colon + 1)..].Trim().Split(' ')[0], out var kb)) continue;
            if (Original.Contains(key)) f[key.ToLowerInvariant() + "_mb"] = kb / 1024;
            s[key.ToLowerInvariant()] = kb / 1024;
        }
        long? Get(string k) => s.TryGetValue(k, out var v) ? v : null;
        var total = Get("memtotal"); var free = Get("memfree");
        var nocacheFree = Get("cached") + free + Get("buffers");
        f["memory_mb"] = new Dict
        {
            ["real"] = new Dict { ["total"] = total, ["used"] = total - free, ["free"] = free },
            ["nocache"] = new Dict { ["free"] = nocacheFree, ["used"] = total - nocacheFree },
            ["swap"] = new Dict { ["total"] = Get("swaptotal"), ["free"] = Get("swapfree"), ["used"] = Get("swaptotal") - Get("swapfree"), ["cached"] = Get("swapcached") },
        };
        return f;
    }
}

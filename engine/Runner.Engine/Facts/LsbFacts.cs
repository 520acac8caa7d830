using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// lsb as ansible-core 2.14's LSBFactCollector reports it (lib/ansible/module_utils/facts/system/lsb.py): from
/// `lsb_release -a` (release, id, description, codename), else /etc/lsb-release's DISTRIB_* lines; major_release
/// is release up to the first dot; quotes and backslashes stripped from both ends of every value.
/// </summary>
internal static class LsbFacts
{
    private static readonly (string Marker, string Key)[] ReleaseOutput =
        { ("LSB Version:", "release"), ("Distributor ID:", "id"), ("Description:", "description"), ("Release:", "release"), ("Codename:", "codename") };

    private static readonly (string Marker, string Key)[] ReleaseFile =
        { ("DISTRIB_ID", "id"), ("DISTRIB_RELEASE", "release"), ("DISTRIB_DESCRIPTION", "description"), ("DISTRIB_CODENAME", "codename") };

    public static Dict From(ProbeOutput p)
    {
        var lsb = new Dict();
        if (p.Ok("lsb") is { } o) Read(lsb, o.Split('\n'), ':', ReleaseOutput);
        if (lsb.Count == 0) Read(lsb, p.Lines("/etc/lsb-release"), '=', ReleaseFile);
        if (lsb.Get("release") is string r) lsb["major_release"] = r.Split('.')[0];
        foreach (var k in lsb.Keys.ToList())
            if (lsb[k] is string { Length: > 0 } s) lsb[k] = s.Trim('\'', '"', '\\');
        return new Dict { ["lsb"] = lsb };
    }

    /// <summary>For each line holding a marker (first match wins), the text after the first separator, trimmed.</summary>
    private static void Read(Dict lsb, IEnumerable<string> lines, char separator, (string Marker, string Key)[] map)
    {
        foreach (var line in lines)
        {
            var at = line.IndexOf(separator);
            if (at < 0) continue;
            foreach (var (marker, key) in map)
                if (line.Contains(marker, StringComparison.Ordinal)) { lsb[key] = line[(at + 1)..].Trim(); break; }
        }
    }
}

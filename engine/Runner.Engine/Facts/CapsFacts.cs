using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// system_capabilities and system_capabilities_enforced from `capsh --print`'s "Current:" line, as ansible-core
/// 2.14's SystemCapabilitiesFactCollector reports them (lib/ansible/module_utils/facts/system/caps.py), including
/// its split of the text after the first "=" on commas; "N/A" for both when capsh is missing or fails.
/// </summary>
internal static class CapsFacts
{
    public static Dict From(string? capshOutput)
    {
        if (capshOutput is null) return new Dict { ["system_capabilities_enforced"] = "N/A", ["system_capabilities"] = "N/A" };
        var enforced = "NA";
        var caps = new List<object?>();
        foreach (var line in capshOutput.Split('\n'))
        {
            if (!line.StartsWith("Current:", StringComparison.Ordinal)) continue;
            if (line.Split(':')[1].Trim() == "=ep") enforced = "False";
            else
            {
                enforced = "True";
                caps = line.Split('=')[1].Split(',').Select(c => (object?)c.Trim()).ToList();
            }
        }
        return new Dict { ["system_capabilities_enforced"] = enforced, ["system_capabilities"] = caps };
    }
}

using Runner.Engine.Facts;
using Runner.Engine.Values;

namespace Runner.Tests.Facts;

/// <summary>
/// Compares Runner's facts with a recorded `ansible -m setup` (ansible-core 2.14) for the same host: every
/// top-level key Ansible returned must be returned by Runner with the same JSON type and an equal value, except the
/// keys of <see cref="Varying"/>, which differ legitimately between two gatherings and are checked by shape.
/// </summary>
internal static class FactParity
{
    /// <summary>Keys whose values legitimately differ, each with the reason and how it is still checked.</summary>
    public static readonly IReadOnlyDictionary<string, string> Varying = new Dictionary<string, string>
    {
        ["ansible_date_time"] = "the clock moves between the two gatherings: same keys, same value lengths, same zone fields",
        ["ansible_env"] = "the login session's: SSH_CLIENT/SSH_CONNECTION carry the client port; Ansible asks for a tty (SSH_TTY, TERM) and its ssh forwards LANG (SendEnv); _ is set by Ansible's login shell. Other variables equal",
        ["ansible_loadavg"] = "load averages change every few seconds (Ansible reads getloadavg's unrounded doubles): same keys, floats",
        ["ansible_memfree_mb"] = "free memory changes: an integer",
        ["ansible_swapfree_mb"] = "free swap changes: an integer",
        ["ansible_memory_mb"] = "free/used/cached memory changes: same structure, same totals",
        ["ansible_mounts"] = "free blocks and inodes change: same mount points, each with the same keys, device, fstype, options, uuid and totals",
        ["ansible_interfaces"] = "Ansible returns dict keys, which its module exit (remove_values) turns into a Python set: the order is the hash seed's; same members",
        ["ansible_uptime_seconds"] = "time passes: Runner's is at most 10 minutes later",
        ["ansible_virtualization_tech_guest"] = "a Python set: its order is the hash seed's; same members",
        ["ansible_virtualization_tech_host"] = "a Python set: its order is the hash seed's; same members",
    };

    private static readonly string[] EnvOnlyAnsible = { "SSH_TTY", "TERM", "LANG", "_" };
    private static readonly string[] EnvPorts = { "SSH_CLIENT", "SSH_CONNECTION" };

    /// <summary>Runner's facts under the names `ansible -m setup` prints.</summary>
    public static Dict AsPrinted(Dict runner) => new(runner.Select(kv => new KeyValuePair<string, object?>(FactsProbe.OutputName(kv.Key), kv.Value)));

    /// <summary>Every difference found, as one line each ("" when none).</summary>
    public static List<string> Differences(Dict ansible, Dict runnerFacts)
    {
        var runner = AsPrinted(runnerFacts);
        var diffs = new List<string>();
        foreach (var (key, expected) in ansible.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!runner.TryGetValue(key, out var actual)) { diffs.Add($"{key}: missing (Ansible: {Json(expected)})"); continue; }
            if (Kind(expected) != Kind(actual)) { diffs.Add($"{key}: type {Kind(actual)}, Ansible {Kind(expected)}"); continue; }
            var why = Varying.ContainsKey(key) ? CheckVarying(key, expected, actual) : Json(expected) == Json(actual) ? null : $"{Json(actual)} != Ansible {Json(expected)}";
            if (why is not null) diffs.Add($"{key}: {why}");
        }
        return diffs;
    }

    private static string? CheckVarying(string key, object? expected, object? actual)
    {
        switch (key)
        {
            case "ansible_date_time":
            {
                var (a, r) = ((Dict)expected!, (Dict)actual!);
                if (!SameKeys(a, r)) return "keys differ";
                foreach (var (k, v) in a)
                    if (((string)v!).Length != ((string?)r[k] ?? "").Length) return $"{k} has another shape: {r[k]} vs {v}";
                foreach (var k in new[] { "tz", "tz_dst", "tz_offset" })
                    if (!Equals(a[k], r[k])) return $"{k}: {r[k]} != {a[k]}";
                var delta = long.Parse((string)r["epoch"]!) - long.Parse((string)a["epoch"]!);
                return delta is >= 0 and <= 600 ? null : $"epoch {delta}s after Ansible's";
            }
            case "ansible_env":
            {
                var (a, r) = ((Dict)expected!, (Dict)actual!);
                foreach (var (k, v) in a)
                {
                    if (!r.ContainsKey(k)) { if (!EnvOnlyAnsible.Contains(k)) return $"{k} missing"; continue; }
                    if (!EnvPorts.Contains(k) && !Equals(v, r[k])) return $"{k}: {r[k]} != {v}";
                }
                var extra = r.Keys.Except(a.Keys).ToList();
                return extra.Count == 0 ? null : "extra variables " + string.Join(",", extra);
            }
            case "ansible_loadavg":
                return SameKeys((Dict)expected!, (Dict)actual!) && ((Dict)actual!).Values.All(v => v is double) ? null : "not three floats";
            case "ansible_memfree_mb":
            case "ansible_swapfree_mb":
                return null; // type already compared
            case "ansible_memory_mb":
            {
                var (a, r) = ((Dict)expected!, (Dict)actual!);
                if (!SameKeys(a, r) || a.Keys.Any(k => !SameKeys((Dict)a[k]!, (Dict)r[k]!))) return "structure differs";
                return Equals(((Dict)a["real"]!)["total"], ((Dict)r["real"]!)["total"]) && Equals(((Dict)a["swap"]!)["total"], ((Dict)r["swap"]!)["total"]) ? null : "totals differ";
            }
            case "ansible_mounts":
            {
                var a = ((List<object?>)expected!).Cast<Dict>().ToDictionary(m => (string)m["mount"]!);
                var r = ((List<object?>)actual!).Cast<Dict>().ToDictionary(m => (string)m["mount"]!);
                if (!a.Keys.Order().SequenceEqual(r.Keys.Order())) return $"mount points {string.Join(",", r.Keys)} != Ansible {string.Join(",", a.Keys)}";
                foreach (var (mount, am) in a)
                {
                    if (!SameKeys(am, r[mount])) return $"{mount}: keys differ";
                    foreach (var k in new[] { "device", "fstype", "options", "uuid", "size_total", "block_size", "block_total", "inode_total" })
                        if (am.ContainsKey(k) && Json(am[k]) != Json(r[mount][k])) return $"{mount}.{k}: {Json(r[mount][k])} != {Json(am[k])}";
                }
                return null;
            }
            case "ansible_uptime_seconds":
                return (long)actual! - (long)expected! is >= 0 and <= 600 ? null : $"{actual} vs {expected}";
            default:
                var (x, y) = (((List<object?>)expected!).Select(Json).Order(), ((List<object?>)actual!).Select(Json).Order());
                return x.SequenceEqual(y) ? null : $"{Json(actual)} != Ansible {Json(expected)} (as sets)";
        }
    }

    private static bool SameKeys(Dict a, Dict b) => a.Keys.Order(StringComparer.Ordinal).SequenceEqual(b.Keys.Order(StringComparer.Ordinal));

    private static string Json(object? v) => PyStr.JsonDumps(v, sortKeys: true);

    private static string Kind(object? v) => v switch
    {
        null => "null",
        bool => "bool",
        long or int => "int",
        double => "float",
        string => "str",
        Dict => "dict",
        List<object?> => "list",
        _ => v.GetType().Name,
    };
}

using System.Text.RegularExpressions;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// inventory_hostnames (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/inventory_hostnames_lookup.html):
/// the hosts a host pattern selects, computed as Ansible does from the `groups` variable: names and groups,
/// "all"/"*", unions (a:b, a,b), intersections (:&amp;), exclusions (:!), fnmatch globs and ~regex; no match is [].
/// </summary>
internal sealed class InventoryHostnamesLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "inventory_hostnames" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (call.TryVariable("groups", out var gv) && gv is IReadOnlyDictionary<string, object?> gd)
            foreach (var (g, hosts) in gd) groups[g] = PyOps.Iterate(hosts).Select(PyOps.Str).ToList();
        var all = groups.GetValueOrDefault("all") ?? groups.Values.SelectMany(x => x).Distinct().ToList();
        var patterns = terms.SelectMany(t => PyOps.Str(t).Split(new[] { ',', ':' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var union = new List<string>();
        var and = new List<HashSet<string>>();
        var not = new HashSet<string>();
        foreach (var p in patterns)
        {
            if (p.StartsWith('&')) and.Add(Match(p[1..], groups, all).ToHashSet());
            else if (p.StartsWith('!')) not.UnionWith(Match(p[1..], groups, all));
            else union.AddRange(Match(p, groups, all).Where(h => !union.Contains(h)));
        }
        return union.Where(h => and.All(s => s.Contains(h)) && !not.Contains(h)).Select(h => (object?)h).ToList();
    }

    private static IEnumerable<string> Match(string pattern, Dictionary<string, List<string>> groups, List<string> all)
    {
        if (pattern is "all" or "*") return all;
        if (groups.TryGetValue(pattern, out var members)) return members;
        if (all.Contains(pattern)) return new[] { pattern };
        Regex re;
        if (pattern.StartsWith('~')) re = new Regex(pattern[1..]);
        else if (pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0) re = new Regex("^" + FileglobLookup.Translate(pattern) + "$");
        else return Array.Empty<string>();
        var fromGroups = groups.Where(g => re.Match(g.Key) is { Success: true, Index: 0 }).SelectMany(g => g.Value);
        return all.Where(h => re.Match(h) is { Success: true, Index: 0 }).Concat(fromGroups).Distinct();
    }
}

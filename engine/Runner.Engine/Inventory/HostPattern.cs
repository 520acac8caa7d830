using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Errors;

namespace Runner.Engine.Inventory;

/// <summary>
/// Host patterns of <c>hosts:</c> and <c>--limit</c>, as Ansible 2.14's InventoryManager
/// ("Patterns: targeting hosts and groups", https://docs.ansible.com/ansible/2.14/inventory_guide/intro_patterns.html):
/// <c>all</c>/<c>*</c>, host and group names, <c>a:b</c> or <c>a,b</c> unions, <c>a:&amp;b</c> intersections,
/// <c>a:!b</c> exclusions (unions first in order, then intersections, then exclusions), fnmatch globs
/// (<c>web*</c>, <c>*1</c>; case-sensitive, whole name), <c>~regex</c> (Python re.match: anchored at the start only),
/// and subscripts <c>g[0]</c>, <c>g[-1]</c>, <c>g[0:1]</c> (end inclusive), <c>g[1:]</c>.
/// </summary>
public static class HostPattern
{
    /// <summary>The text Ansible warns with when a pattern matches nothing.</summary>
    public const string NoMatchWarning = "Could not match supplied host pattern, ignoring: ";

    /// <summary>The error ansible-playbook raises when pattern and --limit leave no host.</summary>
    public const string NoHostsError = "Specified inventory, host pattern and/or --limit leaves us with no hosts to target.";

    private static readonly Regex Subscript = new(@"^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$", RegexOptions.Compiled | RegexOptions.Singleline);
    private static readonly Regex ColonParts = new(@"(?:[^\s:\[\]]|\[[^\]]*\])+", RegexOptions.Compiled);

    /// <summary>
    /// The hosts matching <paramref name="pattern"/>, without duplicates, in Ansible's order: union terms in the order
    /// written, each term's hosts in inventory/group order. Warnings ("Could not match supplied host pattern, ignoring: X")
    /// are added to <paramref name="warnings"/> when given. Errors: RunnerException for an invalid regex/glob.
    /// </summary>
    public static List<Host> Select(InventoryData inv, string pattern, ICollection<string>? warnings = null) =>
        Evaluate(inv, Split(pattern), warnings);

    /// <summary>
    /// Applies a <c>--limit</c> to <paramref name="hosts"/> (already selected by the play), keeping their order:
    /// only hosts also matched by <paramref name="limit"/> stay. A null limit keeps all. Terms starting with '@'
    /// name a file whose lines are patterns. Errors: RunnerException when the limit file is missing or a folder.
    /// </summary>
    public static List<Host> Limit(InventoryData inv, IReadOnlyList<Host> hosts, string? limit, ICollection<string>? warnings = null)
    {
        if (limit is null) return hosts.ToList();
        var allowed = SelectLimit(inv, limit, warnings).ToHashSet();
        return hosts.Where(allowed.Contains).ToList();
    }

    /// <summary>
    /// The hosts a <c>--limit</c> allows, as InventoryManager.subset reads it: the pattern split as
    /// <see cref="Split"/> does, each "@FILE" term replaced by FILE's lines (one pattern a line, as a retry file
    /// holds them). Errors: RunnerException when the limit file is missing or a folder.
    /// </summary>
    public static List<Host> SelectLimit(InventoryData inv, string limit, ICollection<string>? warnings = null)
    {
        var terms = new List<string>();
        foreach (var t in Split(limit))
        {
            if (t.Length == 0) continue;
            if (t[0] != '@') { terms.Add(t); continue; }
            var file = t[1..];
            if (Directory.Exists(file)) throw new RunnerException($"Limit starting with \"@\" must be a file, not a directory: {file}", exitCode: ExitCodes.Error);
            if (!File.Exists(file)) throw new RunnerException($"Unable to find limit file {file}", exitCode: ExitCodes.Error);
            terms.AddRange(File.ReadAllText(file).Split('\n').Select(l => l.Trim()));
        }
        return Evaluate(inv, terms, warnings);
    }

    /// <summary>Ansible's split_host_pattern: on ',' when present, else the whole text when it is one address/range, else on ':' outside brackets.</summary>
    public static List<string> Split(string pattern)
    {
        IEnumerable<string> parts;
        if (pattern.Contains(',')) parts = pattern.Split(',');
        else if (IsSingleAddress(pattern)) parts = [pattern];
        else parts = ColonParts.Matches(pattern).Select(m => m.Value);
        return parts.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
    }

    // parse_address(pattern, allow_ranges=True) succeeds for an IPv6 address, [ipv6]:port, and a name or IPv4
    // address with [x:y] ranges and an optional :port; only then is a pattern containing ':' kept whole.
    private static readonly Regex NameWithRanges = new(@"^(?:[a-zA-Z0-9_\-.]|\[(?:\d+:\d+|[a-zA-Z]:[a-zA-Z])(?::\d+)?\])+(?::\d+)?$", RegexOptions.Compiled);
    private static readonly Regex Ipv6 = new(@"^\[?[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:\]:\d+)?$", RegexOptions.Compiled);

    private static bool IsSingleAddress(string p) => NameWithRanges.IsMatch(p) || Ipv6.IsMatch(p);

    private static List<Host> Evaluate(InventoryData inv, List<string> patterns, ICollection<string>? warnings)
    {
        var regular = new List<string>();
        var intersect = new List<string>();
        var exclude = new List<string>();
        foreach (var p in patterns)
        {
            if (p.Length == 0) continue;
            if (p[0] == '!') exclude.Add(p);
            else if (p[0] == '&') intersect.Add(p);
            else regular.Add(p);
        }
        if (regular.Count == 0) regular.Add("all");

        var hosts = new List<Host>();
        var present = new HashSet<Host>();
        foreach (var p in regular.Concat(intersect).Concat(exclude))
        {
            if (inv.Hosts.FirstOrDefault(h => h.Name == p) is { } exact && p[0] is not ('!' or '&'))
            {
                if (present.Add(exact)) hosts.Add(exact);
                continue;
            }
            var that = MatchOne(inv, p, warnings);
            if (p[0] == '!')
            {
                var set = that.ToHashSet();
                hosts.RemoveAll(set.Contains);
                present.ExceptWith(set);
            }
            else if (p[0] == '&')
            {
                var set = that.ToHashSet();
                hosts.RemoveAll(h => !set.Contains(h));
                present.IntersectWith(set);
            }
            else
            {
                foreach (var h in that)
                    if (present.Add(h)) hosts.Add(h);
            }
        }
        return hosts;
    }

    private static List<Host> MatchOne(InventoryData inv, string pattern, ICollection<string>? warnings)
    {
        if (pattern[0] is '&' or '!') pattern = pattern[1..];
        if (pattern.Length == 0) return new List<Host>();
        var (expr, start, end) = SplitSubscript(pattern);
        var hosts = Enumerate(inv, expr, warnings);
        if (start is null) return hosts;
        if (end is not null && end != 0)
        {
            var e = end == -1 ? hosts.Count - 1 : end.Value;
            return PySlice(hosts, start.Value, e + 1);
        }
        var idx = start.Value < 0 ? hosts.Count + start.Value : start.Value;
        return idx >= 0 && idx < hosts.Count ? [hosts[idx]] : [];
    }

    private static List<Host> PySlice(List<Host> list, int start, int stop)
    {
        int Norm(int i) => i < 0 ? Math.Max(0, list.Count + i) : Math.Min(i, list.Count);
        var s = Norm(start);
        var e = Norm(stop);
        return s < e ? list.GetRange(s, e - s) : [];
    }

    private static (string Expr, int? Start, int? End) SplitSubscript(string pattern)
    {
        if (pattern[0] == '~') return (pattern, null, null);
        var m = Subscript.Match(pattern);
        if (!m.Success) return (pattern, null, null);
        if (m.Groups[2].Success) return (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), null);
        var start = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        var end = m.Groups[5].Value.Length == 0 ? -1 : int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture);
        return (m.Groups[1].Value, start, end);
    }

    private static List<Host> Enumerate(InventoryData inv, string pattern, ICollection<string>? warnings)
    {
        var results = new List<Host>();
        var seen = new HashSet<Host>();
        var matcher = Matcher(pattern);
        var matchingGroups = inv.Groups.Keys.Where(matcher).ToList();
        foreach (var g in matchingGroups)
            foreach (var h in inv.Groups[g].AllHosts())
                results.Add(h);
        if (matchingGroups.Count == 0 || pattern[0] == '~' || pattern.IndexOfAny(['.', '?', '*', '[']) >= 0)
            foreach (var h in inv.Hosts)
                if (matcher(h.Name)) results.Add(h);
        if (results.Count == 0 && InventoryData.LocalhostNames.Contains(pattern) && inv.FindHost(pattern) is { } local)
            results.Add(local);
        if (results.Count == 0 && matchingGroups.Count == 0 && pattern != "all")
            warnings?.Add(NoMatchWarning + pattern);
        return results.Where(seen.Add).ToList();
    }

    private static Func<string, bool> Matcher(string pattern)
    {
        Regex re;
        try
        {
            re = pattern[0] == '~'
                ? new Regex(@"\G(?:" + PythonRegex(pattern[1..]) + ")", RegexOptions.CultureInvariant)
                : new Regex("^" + FnmatchToRegex(pattern) + @"\z", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException)
        {
            throw new RunnerException($"Invalid host list pattern: {pattern}");
        }
        return re.IsMatch;
    }

    /// <summary>Python re syntax to .NET: named groups (?P&lt;n&gt;...) and backreferences (?P=n).</summary>
    private static string PythonRegex(string re) =>
        Regex.Replace(re.Replace("(?P<", "(?<"), @"\(\?P=(\w+)\)", @"\k<$1>");

    /// <summary>Python fnmatch.translate: * any run, ? one char, [seq] / [!seq] classes; everything else literal.</summary>
    internal static string FnmatchToRegex(string pat)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pat.Length; i++)
        {
            var c = pat[i];
            if (c == '*') sb.Append(".*");
            else if (c == '?') sb.Append('.');
            else if (c == '[')
            {
                var j = i + 1;
                if (j < pat.Length && pat[j] == '!') j++;
                if (j < pat.Length && pat[j] == ']') j++;
                while (j < pat.Length && pat[j] != ']') j++;
                if (j >= pat.Length) { sb.Append("\\["); continue; }
                var stuff = pat[(i + 1)..j].Replace("\\", "\\\\");
                if (stuff.StartsWith('!')) stuff = "^" + stuff[1..];
                else if (stuff.StartsWith('^')) stuff = "\\" + stuff;
                sb.Append('[').Append(stuff.Replace("[", "\\[")).Append(']');
                i = j;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}

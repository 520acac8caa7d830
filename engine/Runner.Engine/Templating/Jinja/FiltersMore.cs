using System.Globalization;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Jinja's groupby; Ansible 2.14's itertools filters (product, permutations, combinations, zip_longest),
/// path_join, urlsplit, human_readable/human_to_bytes, from_yaml_all, pow/log/root, subelements;
/// community.general's lists_mergeby and dict.
/// </summary>
internal static partial class Filters
{
    private static readonly (char Suffix, double Limit)[] SizeRanges =
        "YZEPTGMKB".Select((c, i) => (c, Math.Pow(2, 10 * (8 - i)))).ToArray();

    private static void AddMore(Dictionary<string, Fn> r)
    {
        r["groupby"] = (v, a) =>
        {
            var attr = a.Str(0, "attribute")!;
            var def = a.Get(1, "default");
            object? Key(object? x) { var k = Attr(x, attr); return k is Undefined && a.Has(1, "default") ? def : PyOps.Check(k); }
            var items = PyOps.Iterate(v).OrderBy(Key, Comparer<object?>.Create((x, y) => PyOps.Cmp(x, y))).ToList();
            var groups = new List<object?>();
            foreach (var x in items)
            {
                var k = Key(x);
                if (groups.Count > 0 && PyOps.Eq(((PyTuple)groups[^1]!)[0], k)) ((List<object?>)((PyTuple)groups[^1]!)[1]!).Add(x);
                else groups.Add(new PyTuple(new object?[] { k, new List<object?> { x } }));
            }
            return groups;
        };
        r["product"] = (v, a) =>
        {
            var pools = new[] { PyOps.Iterate(v) }.Concat(a.Pos.Select(PyOps.Iterate)).ToList();
            var repeat = (int)a.Long(-1, "repeat", 1);
            pools = Enumerable.Range(0, repeat).SelectMany(_ => pools).ToList();
            IEnumerable<List<object?>> acc = new[] { new List<object?>() };
            foreach (var p in pools) acc = acc.SelectMany(prefix => p.Select(x => new List<object?>(prefix) { x })).ToList();
            return acc.Select(t => (object?)new PyTuple(t)).ToList();
        };
        r["permutations"] = (v, a) =>
        {
            var pool = PyOps.Iterate(v);
            var n = a.Get(0, "r") is { } rv ? (int)PyOps.L(rv) : pool.Count;
            var res = new List<object?>();
            void Rec(List<int> used) {
                if (used.Count == n) { res.Add(new PyTuple(used.Select(i => pool[i]))); return; }
                for (var i = 0; i < pool.Count; i++) if (!used.Contains(i)) { used.Add(i); Rec(used); used.RemoveAt(used.Count - 1); }
            }
            if (n <= pool.Count) Rec(new List<int>());
            return res;
        };
        r["combinations"] = (v, a) =>
        {
            var pool = PyOps.Iterate(v);
            var n = (int)a.Long(0, "r", 0);
            var res = new List<object?>();
            void Rec(int start, List<object?> cur) {
                if (cur.Count == n) { res.Add(new PyTuple(cur)); return; }
                for (var i = start; i < pool.Count; i++) { cur.Add(pool[i]); Rec(i + 1, cur); cur.RemoveAt(cur.Count - 1); }
            }
            Rec(0, new List<object?>());
            return res;
        };
        r["zip_longest"] = (v, a) =>
        {
            var lists = new[] { PyOps.Iterate(v) }.Concat(a.Pos.Select(PyOps.Iterate)).ToList();
            var fill = a.Get(-1, "fillvalue");
            var len = lists.Max(l => l.Count);
            return Enumerable.Range(0, len).Select(i => (object?)new PyTuple(lists.Select(l => i < l.Count ? l[i] : fill))).ToList();
        };
        r["path_join"] = (v, _) =>
        {
            if (v is string s) return s;
            var parts = PyOps.Iterate(v).Select(PyOps.Str).ToList();
            var path = "";
            foreach (var p in parts)
                path = p.StartsWith('/') || path.Length == 0 ? p : path.EndsWith('/') ? path + p : path + "/" + p;
            return path;
        };
        r["urlsplit"] = (v, a) => UrlSplit(PyOps.Str(v), a.Str(0, "query"));
        r["human_readable"] = (v, a) => HumanReadable(PyOps.D(v), a.Bool(0, "isbits"), a.Str(1, "unit"));
        r["human_to_bytes"] = (v, a) => HumanToBytes(PyOps.Str(v), a.Str(0, "default_unit"), a.Bool(1, "isbits"));
        r["from_yaml_all"] = (v, _) =>
        {
            try { return v is string s ? YamlLoader.LoadAll(s, "<from_yaml_all>") : v; }
            catch (Runner.Engine.Errors.RunnerException e) { throw PyErrors.Yaml(e); }
        };
        r["pow"] = (v, a) => Math.Pow(PyOps.D(v), PyOps.D(a.Get(0, "y")));
        r["log"] = (v, a) => a.Get(0, "base") is { } b && PyOps.D(b) != Math.E ? Math.Log(PyOps.D(v)) / Math.Log(PyOps.D(b)) : Math.Log(PyOps.D(v));
        r["root"] = (v, a) =>
        {
            var b = a.Get(0, "base") is { } bv ? PyOps.D(bv) : 2;
            return b == 2 ? Math.Sqrt(PyOps.D(v)) : Math.Pow(PyOps.D(v), 1.0 / b);
        };
        r["subelements"] = (v, a) =>
        {
            var path = a.Str(0, "subelements")!;
            var skip = a.Bool(1, "skip_missing");
            var res = new List<object?>();
            foreach (var el in PyOps.Iterate(v))
            {
                object? sub = el;
                var missing = false;
                foreach (var part in path.Split('.'))
                {
                    if (sub is IReadOnlyDictionary<string, object?> d && d.TryGetValue(part, out var n)) sub = n;
                    else if (skip) { missing = true; break; }
                    else throw new TemplateError($"could not find '{part}' key in iterated item '{PyOps.Repr(el)}'");
                }
                if (missing) continue;
                if (sub is not List<object?> l) throw new TemplateError($"the key {path} should point to a list, got '{PyOps.Repr(sub)}'");
                foreach (var x in l) res.Add(new PyTuple(new[] { el, x }));
            }
            return res;
        };
        Fn mergeby = (v, a) =>
        {
            var lists = new List<object?>(PyOps.Iterate(v));
            var index = a.Pos.Count > 0 ? PyOps.Str(a.Pos[^1]) : a.Str(-1, "index")!;
            var extra = a.Pos.Count > 0 ? a.Pos.Take(a.Pos.Count - 1) : Enumerable.Empty<object?>();
            var all = lists.Concat(extra.SelectMany(PyOps.Iterate));
            var merged = new Dict();
            foreach (var item in all)
            {
                var d = (IReadOnlyDictionary<string, object?>)item!;
                var key = PyOps.Str(d[index]);
                var target = merged.TryGetValue(key, out var t) ? (Dict)t! : new Dict();
                foreach (var kv in d) target[kv.Key] = kv.Value;
                merged[key] = target;
            }
            return merged.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        };
        r["lists_mergeby"] = mergeby;
        Fn dict = (v, _) =>
        {
            var d = new Dict();
            foreach (var kv in PyOps.Iterate(v)) { var p = PyOps.Iterate(kv); d[PyOps.Str(p[0])] = p[1]; }
            return d;
        };
        r["dict"] = dict; // community.general.dict: the parser drops the collection prefix
    }

    private static object? UrlSplit(string url, string? query)
    {
        var u = new Dict();
        var rest = url;
        string scheme = "", netloc = "", fragment = "", q = "";
        var ci = rest.IndexOf(':');
        if (ci > 0 && rest[..ci].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') && char.IsAsciiLetter(rest[0])) { scheme = rest[..ci].ToLowerInvariant(); rest = rest[(ci + 1)..]; }
        if (rest.StartsWith("//"))
        {
            rest = rest[2..];
            var end = rest.IndexOfAny(new[] { '/', '?', '#' });
            netloc = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[end..];
        }
        var hi = rest.IndexOf('#'); if (hi >= 0) { fragment = rest[(hi + 1)..]; rest = rest[..hi]; }
        var qi = rest.IndexOf('?'); if (qi >= 0) { q = rest[(qi + 1)..]; rest = rest[..qi]; }
        var at = netloc.LastIndexOf('@');
        var userinfo = at >= 0 ? netloc[..at] : null;
        var hostport = at >= 0 ? netloc[(at + 1)..] : netloc;
        string? user = null, pw = null;
        if (userinfo is not null) { var c = userinfo.IndexOf(':'); user = c >= 0 ? userinfo[..c] : userinfo; pw = c >= 0 ? userinfo[(c + 1)..] : null; }
        var pc = hostport.LastIndexOf(':');
        var host = pc >= 0 ? hostport[..pc] : hostport;
        object? port = pc >= 0 && long.TryParse(hostport[(pc + 1)..], out var pn) ? pn : null;
        u["fragment"] = fragment; u["hostname"] = host.Length == 0 ? null : host.ToLowerInvariant(); u["netloc"] = netloc;
        u["password"] = pw; u["path"] = rest; u["port"] = port; u["query"] = q; u["scheme"] = scheme; u["username"] = user;
        if (query is null) return u;
        return u.TryGetValue(query, out var val) ? val : throw new TemplateError($"urlsplit: unknown URL component: {query}");
    }

    private static string HumanReadable(double size, bool isbits, string? unit)
    {
        var b = isbits ? "bits" : "Bytes";
        char suffix = 'B'; double limit = 1;
        foreach (var (s, l) in SizeRanges)
        {
            suffix = s; limit = l;
            if ((unit is null && size >= l) || (unit is not null && char.ToUpperInvariant(unit[0]) == s)) break;
        }
        var suf = limit != 1 ? suffix.ToString() + b[0] : b;
        return (size / limit).ToString("F2", CultureInfo.InvariantCulture) + " " + suf;
    }

    private static long HumanToBytes(string s, string? defUnit, bool isbits)
    {
        var m = System.Text.RegularExpressions.Regex.Match(s, @"^\s*(\d*\.?\d*)\s*([A-Za-z]+)?\s*$");
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var num))
            throw new TemplateError($"human_to_bytes() can't interpret following string: {s}");
        var unit = m.Groups[2].Success ? m.Groups[2].Value : defUnit;
        if (unit is null) return (long)Math.Round(num, MidpointRounding.ToEven);
        var limit = SizeRanges.FirstOrDefault(x => x.Suffix == char.ToUpperInvariant(unit[0])).Limit;
        if (limit == 0) throw new TemplateError($"human_to_bytes() failed to convert {s}. Value is not a valid string ({unit})");
        return (long)Math.Round(num * limit, MidpointRounding.ToEven);
    }
}

/// <summary>Ansible's strftime filter: time.strftime(format, gmtime(second) if utc else localtime(second)); second defaults to now.</summary>
internal static partial class Filters
{
    private static void AddTime(Dictionary<string, Fn> r)
    {
        r["strftime"] = (v, a) =>
        {
            var sec = a.Get(0, "second");
            var utc = a.Bool(1, "utc");
            DateTimeOffset t;
            if (sec is null) t = DateTimeOffset.Now;
            else
            {
                var d = sec is string ss ? (double.TryParse(ss, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : throw new TemplateError($"Invalid value for epoch value ({ss})")) : PyOps.D(sec);
                t = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(d) * 1000);
            }
            t = utc ? t.ToUniversalTime() : t.ToLocalTime();
            return PyStrftime.Format(PyOps.Str(v), t);
        };
    }
}

/// <summary>Ansible's random filter (rand): randrange(start or 0, end, step or 1) for an int, choice for a sequence; seeded as Python's Random(seed).</summary>
internal static partial class Filters
{
    private static void AddRandom(Dictionary<string, Fn> r)
    {
        r["random"] = (v, a) =>
        {
            var seed = a.Get(-1, "seed");
            var start = a.Get(0, "start"); var step = a.Get(1, "step");
            if (PyOps.IsInt(v) && v is not bool)
            {
                var s = PyOps.Truthy(start) ? PyOps.L(start) : 0; var st = PyOps.Truthy(step) ? PyOps.L(step) : 1;
                return seed is null ? s + st * Random.Shared.NextInt64((PyOps.L(v) - s + st - 1) / st) : new PyRandom(seed).RandRange(s, PyOps.L(v), st);
            }
            if (v is string or List<object?> or IReadOnlyDictionary<string, object?>)
            {
                if (PyOps.Truthy(start) || PyOps.Truthy(step)) throw new TemplateError("start and step can only be used with integer values");
                var seq = PyOps.Iterate(v);
                return seed is null ? (seq.Count == 0 ? throw new TemplateError("Cannot choose from an empty sequence") : seq[Random.Shared.Next(seq.Count)]) : new PyRandom(seed).Choice(seq);
            }
            throw new TemplateError("random can only be used on sequences and integers");
        };
    }
}

/// <summary>Ansible's to_datetime: datetime.strptime(string, format="%Y-%m-%d %H:%M:%S"), a naive DateTime.</summary>
internal static partial class Filters
{
    private static void AddDateTime(Dictionary<string, Fn> r)
    {
        r["to_datetime"] = (v, a) =>
        {
            var s = PyOps.Str(v);
            var fmt = a.Str(0, "format", "%Y-%m-%d %H:%M:%S")!;
            var net = new System.Text.StringBuilder();
            for (var i = 0; i < fmt.Length; i++)
            {
                if (fmt[i] == '%' && i + 1 < fmt.Length)
                {
                    net.Append(fmt[++i] switch
                    {
                        'Y' => "yyyy", 'y' => "yy", 'm' => "MM", 'd' => "dd", 'H' => "HH", 'I' => "hh", 'M' => "mm", 'S' => "ss",
                        'f' => "FFFFFF", 'b' => "MMM", 'B' => "MMMM", 'a' => "ddd", 'A' => "dddd", 'p' => "tt", '%' => "\\%",
                        var c => throw PythonError.ValueError($"'{c}' is a bad directive in format '{fmt}'"),
                    });
                }
                else net.Append('\'').Append(fmt[i]).Append('\'');
            }
            return DateTime.TryParseExact(s, net.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t : throw PythonError.ValueError($"time data '{s}' does not match format '{fmt}'");
        };
    }

    /// <summary>Attributes of a datetime / timedelta (the difference of two datetimes), as Python's.</summary>
    public static object? DateAttr(object obj, string name) => (obj, name) switch
    {
        (TimeSpan t, "days") => (long)Math.Floor(t.TotalDays),
        (TimeSpan t, "seconds") => (long)(t - TimeSpan.FromDays(Math.Floor(t.TotalDays))).TotalSeconds,
        (TimeSpan t, "microseconds") => (long)(t.Ticks % TimeSpan.TicksPerSecond / 10),
        (TimeSpan t, "total_seconds") => new PyCallable("total_seconds", (_, _) => t.Ticks / (double)TimeSpan.TicksPerSecond),
        (DateTime d, "year") => (long)d.Year, (DateTime d, "month") => (long)d.Month, (DateTime d, "day") => (long)d.Day,
        (DateTime d, "hour") => (long)d.Hour, (DateTime d, "minute") => (long)d.Minute, (DateTime d, "second") => (long)d.Second,
        (DateTime d, "strftime") => new PyCallable("strftime", (p, _) => PyStrftime.Format(PyOps.Str(p[0]), new DateTimeOffset(d, TimeSpan.Zero))),
        _ => null,
    };
}

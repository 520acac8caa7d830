using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// List and set filters: Jinja's first/last/length/unique/sort/reverse/min/max/sum/map/select/reject/
/// selectattr/rejectattr/dictsort/batch/slice and Ansible's zip/flatten/difference/intersect/union/
/// symmetric_difference/extract (ansible/plugins/filter/mathstuff.py behaviour: order kept, duplicates removed).
/// map/select/reject return lists (Jinja returns generators, which playbooks always pass through `list`).
/// </summary>
internal static partial class Filters
{
    private static void AddCollections(Dictionary<string, Fn> r)
    {
        r["first"] = (v, _) => v is string s ? (s.Length > 0 ? s[..1] : Undefined.Var("first")) : PyOps.Iterate(v) is { Count: > 0 } l ? l[0] : new Undefined("first", "No first item, sequence was empty.");
        r["last"] = (v, _) => v is string s ? (s.Length > 0 ? s[^1..] : Undefined.Var("last")) : PyOps.Iterate(v) is { Count: > 0 } l ? l[^1] : new Undefined("last", "No last item, sequence was empty.");
        r["length"] = r["count"] = (v, _) => v switch
        {
            string s => (long)s.Length,
            System.Collections.ICollection c => (long)c.Count,
            _ => throw new TemplateError($"object of type '{PyOps.TypeName(v)}' has no len()"),
        };
        r["unique"] = (v, a) =>
        {
            var res = new List<object?>();
            var attr = a.Str(1, "attribute");
            foreach (var x in PyOps.Iterate(v))
            {
                var key = attr is null ? x : Attr(x, attr);
                if (!res.Any(y => PyOps.Eq(attr is null ? y : Attr(y, attr), key))) res.Add(x);
            }
            return res;
        };
        r["sort"] = (v, a) =>
        {
            var attr = a.Str(2, "attribute");
            var cs = a.Bool(1, "case_sensitive");
            var items = PyOps.Iterate(v).ToList();
            var keyed = items.Select(x => (x, k: SortKey(attr is null ? x : Attr(x, attr), cs))).ToList();
            var sorted = keyed.OrderBy(t => t.k, Comparer<object?>.Create((p, q) => PyOps.Cmp(p, q))).Select(t => t.x).ToList();
            if (a.Bool(0, "reverse")) { sorted = keyed.OrderByDescending(t => t.k, Comparer<object?>.Create((p, q) => PyOps.Cmp(p, q))).Select(t => t.x).ToList(); }
            return sorted;
        };
        r["reverse"] = (v, _) => v is string s ? new string(s.Reverse().ToArray()) : Enumerable.Reverse(PyOps.Iterate(v)).ToList();
        r["min"] = (v, a) => MinMax(v, a, -1);
        r["max"] = (v, a) => MinMax(v, a, 1);
        r["sum"] = (v, a) =>
        {
            var attr = a.Str(0, "attribute");
            object? total = a.Get(1, "start", 0L);
            foreach (var x in PyOps.Iterate(v)) total = PyOps.Binary("+", total, attr is null ? x : Attr(x, attr));
            return total;
        };
        r["map"] = Map;
        r["select"] = (v, a) => Select(v, a, false, true);
        r["reject"] = (v, a) => Select(v, a, false, false);
        r["selectattr"] = (v, a) => Select(v, a, true, true);
        r["rejectattr"] = (v, a) => Select(v, a, true, false);
        r["zip"] = (v, a) =>
        {
            var lists = new[] { PyOps.Iterate(v) }.Concat(a.Pos.Select(PyOps.Iterate)).ToList();
            var n = lists.Min(l => l.Count);
            return Enumerable.Range(0, n).Select(i => (object?)new PyTuple(lists.Select(l => l[i]))).ToList();
        };
        r["flatten"] = (v, a) => Flatten(PyOps.Iterate(v), a.Get(0, "levels") is { } lv ? PyOps.L(lv) : null, a.Bool(1, "skip_nulls", true));
        r["difference"] = (v, a) => Uniq(PyOps.Iterate(v).Where(x => !PyOps.Contains(AsList(a.Get(0, "b")), x)));
        r["intersect"] = (v, a) => Uniq(PyOps.Iterate(v).Where(x => PyOps.Contains(AsList(a.Get(0, "b")), x)));
        r["union"] = (v, a) => Uniq(PyOps.Iterate(v).Concat(PyOps.Iterate(a.Get(0, "b"))));
        r["symmetric_difference"] = (v, a) =>
        {
            var x = PyOps.Iterate(v);
            var y = PyOps.Iterate(a.Get(0, "b"));
            var inter = Uniq(x.Where(e => PyOps.Contains(y, e)));
            return Uniq(x.Concat(y).Where(e => !PyOps.Contains(inter, e)));
        };
        r["dictsort"] = (v, a) =>
        {
            if (v is not IReadOnlyDictionary<string, object?> d) throw new TemplateError("You can only sort by either \"key\" or \"value\"");
            var cs = a.Bool(0, "case_sensitive");
            var byValue = a.Str(1, "by", "key") == "value";
            var items = d.Select(kv => (object?)new PyTuple(new[] { kv.Key, kv.Value })).ToList();
            var cmp = Comparer<object?>.Create((p, q) => PyOps.Cmp(SortKey(((PyTuple)p!)[byValue ? 1 : 0], cs), SortKey(((PyTuple)q!)[byValue ? 1 : 0], cs)));
            var sorted = items.OrderBy(x => x, cmp).ToList();
            if (a.Bool(2, "reverse")) sorted.Reverse();
            return sorted;
        };
        r["batch"] = (v, a) =>
        {
            var size = (int)a.Long(0, "linecount", 1);
            var fill = a.Has(1, "fill_with") ? a.Get(1, "fill_with") : null;
            var items = PyOps.Iterate(v);
            var res = new List<object?>();
            for (var i = 0; i < items.Count; i += size)
            {
                var chunk = items.Skip(i).Take(size).ToList();
                if (a.Has(1, "fill_with")) while (chunk.Count < size) chunk.Add(fill);
                res.Add(chunk);
            }
            return res;
        };
        r["slice"] = (v, a) =>
        {
            var slices = (int)a.Long(0, "slices", 1);
            var items = PyOps.Iterate(v);
            var per = items.Count / slices;
            var extra = items.Count % slices;
            var res = new List<object?>();
            var offset = 0;
            for (var i = 0; i < slices; i++)
            {
                var start = offset + i * per;
                if (i < extra) offset++;
                var end = offset + (i + 1) * per;
                var chunk = items.Skip(start).Take(end - start).ToList();
                if (a.Has(1, "fill_with") && i >= extra && extra > 0) chunk.Add(a.Get(1, "fill_with"));
                res.Add(chunk);
            }
            return res;
        };
        r["extract"] = (v, a) =>
        {
            var res = Evaluator.GetItem(a.Get(0, "container"), v);
            if (a.Get(1, "morekeys") is { } more)
                foreach (var k in more is List<object?> ml ? ml : new List<object?> { more }) res = Evaluator.GetItem(res, k);
            return res;
        };
    }

    private static List<object?> AsList(object? v) => PyOps.Iterate(v);

    private static List<object?> Uniq(IEnumerable<object?> xs)
    {
        var res = new List<object?>();
        foreach (var x in xs) if (!res.Any(y => PyOps.Eq(x, y))) res.Add(x);
        return res;
    }

    private static object? SortKey(object? v, bool caseSensitive) => !caseSensitive && v is string s ? s.ToLowerInvariant() : v;

    /// <summary>Jinja's attribute getter: "a.b.0" walks dict keys, attributes and list indexes.</summary>
    public static object? Attr(object? x, string path)
    {
        foreach (var part in path.Split('.'))
            x = long.TryParse(part, out var idx) && x is List<object?> ? Evaluator.GetItem(x, idx) : Evaluator.GetItem(x, part);
        return x;
    }

    private static object? MinMax(object? v, FilterArgs a, int sign)
    {
        var attr = a.Str(1, "attribute");
        var cs = a.Bool(0, "case_sensitive");
        var items = PyOps.Iterate(v);
        if (items.Count == 0) return new Undefined(sign < 0 ? "min" : "max", $"No aggregated item, sequence was empty.");
        var best = items[0];
        foreach (var x in items.Skip(1))
        {
            var c = PyOps.Cmp(SortKey(attr is null ? x : Attr(x, attr), cs), SortKey(attr is null ? best : Attr(best, attr), cs));
            if (c * sign > 0) best = x;
        }
        return best;
    }

    private static object? Map(object? v, FilterArgs a)
    {
        var items = PyOps.Iterate(v);
        if (a.Pos.Count == 0 && a.Kw.TryGetValue("attribute", out var at))
        {
            var hasDefault = a.Kw.TryGetValue("default", out var def);
            return items.Select(x => { var r = Attr(x, PyOps.Str(at)); return r is Undefined && hasDefault ? def : r; }).ToList();
        }
        if (a.Pos.Count == 0) throw new TemplateError("map requires a filter argument");
        var name = PyOps.Str(a.Pos[0]);
        var rest = a.Pos.Skip(1).ToList();
        return items.Select(x => Apply(name, x, rest, a.Kw, a.Ctx)).ToList();
    }

    private static object? Select(object? v, FilterArgs a, bool byAttr, bool keep)
    {
        var items = PyOps.Iterate(v);
        var off = byAttr ? 1 : 0;
        var attr = byAttr ? PyOps.Str(a.Get(0, "attr")) : null;
        var test = a.Pos.Count > off ? PyOps.Str(a.Pos[off]) : null;
        var targs = a.Pos.Skip(off + 1).ToList();
        var res = new List<object?>();
        foreach (var x in items)
        {
            var val = attr is null ? x : Attr(x, attr);
            var ok = test is null ? PyOps.Truthy(val) : Tests.Apply(test, val, targs, new Dictionary<string, object?>(), a.Ctx);
            if (ok == keep) res.Add(x);
        }
        return res;
    }

    private static List<object?> Flatten(List<object?> items, long? levels, bool skipNulls)
    {
        var r = new List<object?>();
        foreach (var e in items)
        {
            if (skipNulls && (e is null || e is "None" or "null")) continue;
            if (e is List<object?> l)
            {
                if (levels is null) r.AddRange(Flatten(l, null, skipNulls));
                else if (levels >= 1) r.AddRange(Flatten(l, levels - 1, skipNulls));
                else r.Add(e);
            }
            else r.Add(e);
        }
        return r;
    }
}

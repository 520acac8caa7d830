using Runner.Engine.Templating.Lookups;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Template globals: lookup / query / q (the plugins of <see cref="LookupRegistry"/>;
/// https://docs.ansible.com/ansible/2.14/plugins/lookup.html), range and dict. query() always returns a list;
/// lookup() shapes the result as Templar._lookup (see <see cref="LookupRegistry.Invoke"/>).
/// </summary>
internal static class Globals
{
    public static bool TryGet(string name, RenderContext ctx, out object? value)
    {
        value = name switch
        {
            "lookup" => new PyCallable(name, (a, kw) => Lookup(a, kw, ctx, false)),
            "query" or "q" => new PyCallable(name, (a, kw) => Lookup(a, kw, ctx, true)),
            "range" => new PyCallable(name, (a, _) =>
            {
                var (start, stop, step) = a.Count switch
                {
                    1 => (0L, PyOps.L(a[0]), 1L),
                    2 => (PyOps.L(a[0]), PyOps.L(a[1]), 1L),
                    _ => (PyOps.L(a[0]), PyOps.L(a[1]), PyOps.L(a[2])),
                };
                if (step == 0) throw new TemplateError("range() arg 3 must not be zero");
                var r = new List<object?>();
                for (var i = start; step > 0 ? i < stop : i > stop; i += step) r.Add(i);
                return r;
            }),
            "dict" => new PyCallable(name, (a, kw) =>
            {
                var d = new Dict();
                if (a.Count > 0)
                {
                    if (a[0] is IReadOnlyDictionary<string, object?> src) foreach (var (k, v) in src) d[k] = v;
                    else foreach (var pair in PyOps.Iterate(a[0])) { var p = PyOps.Iterate(pair); d[PyOps.Str(p[0])] = p[1]; }
                }
                foreach (var (k, v) in kw) d[k] = v;
                return d;
            }),
            "namespace" => new PyCallable(name, (a, kw) =>
            {
                var ns = new Namespace();
                if (a.Count > 0 && a[0] is IReadOnlyDictionary<string, object?> src) foreach (var (k, v) in src) ns.Attrs[k] = v;
                foreach (var (k, v) in kw) ns.Attrs[k] = v;
                return ns;
            }),
            _ => null,
        };
        return value is not null;
    }

    private static object? Lookup(List<object?> args, Dictionary<string, object?> kw, RenderContext ctx, bool query)
    {
        if (args.Count == 0) throw new TemplateError("lookup requires a plugin name");
        return LookupRegistry.Invoke(PyOps.Str(args[0]), args.Skip(1).Select(PyOps.Check).ToList(), kw, ctx, query);
    }
}

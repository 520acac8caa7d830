using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Template globals: lookup / query / q (Ansible's lookup plugins: file, env, template, vars, first_found;
/// https://docs.ansible.com/ansible/2.14/plugins/lookup.html), range and dict. lookup() returns the only
/// result, or the results joined with ","; query() always returns a list.
/// </summary>
internal static class Globals
{
    public static bool TryGet(string name, RenderContext ctx, out object? value)
    {
        value = name switch
        {
            "lookup" => new PyCallable(name, (a, kw) => Lookup(a, kw, ctx, kw.TryGetValue("wantlist", out var wl) && PyOps.Truthy(wl))),
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

    private static object? Lookup(List<object?> args, Dictionary<string, object?> kw, RenderContext ctx, bool wantList)
    {
        if (args.Count == 0) throw new TemplateError("lookup requires a plugin name");
        var plugin = PyOps.Str(args[0]);
        var dot = plugin.LastIndexOf('.');
        if (dot >= 0) plugin = plugin[(dot + 1)..];
        var terms = args.Skip(1).Select(PyOps.Check).ToList();
        List<object?> results;
        try { results = Lookups.Run(plugin, terms, kw, ctx); }
        catch (TemplateError e) when (e is not UndefinedVariableError && !e.Message.StartsWith("An unhandled", StringComparison.Ordinal))
        {
            throw new TemplateError($"An unhandled exception occurred while running the lookup plugin '{plugin}'. Error was a <class 'ansible.errors.AnsibleError'>, original message: {e.Message}. {e.Message}", e);
        }
        if (wantList) return results;
        if (results.Count == 1) return results[0];
        return string.Join(",", results.Select(PyOps.Str));
    }
}

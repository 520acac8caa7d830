using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Lookup plugins used by playbooks, following ansible-core 2.14's plugins/lookup/*.py:
/// file (searched in each search path's "files/" then the path itself; trailing whitespace stripped,
/// rstrip=True), env (unset is ""), template (renders a file with the same variables), vars (the
/// templated value; unknown is "No variable found with this name: x" unless default=),
/// first_found (names or {files:, paths:}; "No file was found when using first_found." unless skip=True),
/// list/items (the terms themselves).
/// </summary>
internal static class Lookups
{
    public static List<object?> Run(string plugin, List<object?> terms, Dictionary<string, object?> kw, RenderContext ctx)
    {
        switch (plugin)
        {
            case "file":
            {
                var res = new List<object?>();
                foreach (var t in Flat(terms))
                {
                    var path = Find(PyOps.Str(t), ctx, "files") ?? throw new TemplateError($"could not locate file in lookup: {PyOps.Str(t)}");
                    var text = File.ReadAllText(path);
                    if (!kw.TryGetValue("rstrip", out var rs) || Filters.ToBool(rs)) text = text.TrimEnd();
                    if (kw.TryGetValue("lstrip", out var ls) && Filters.ToBool(ls)) text = text.TrimStart();
                    res.Add(text);
                }
                return res;
            }
            case "env":
                return Flat(terms).Select(t => (object?)(Environment.GetEnvironmentVariable(PyOps.Str(t))
                    ?? (kw.TryGetValue("default", out var d) ? PyOps.Str(d) : ""))).ToList();
            case "template":
            {
                var res = new List<object?>();
                foreach (var t in Flat(terms))
                {
                    var path = Find(PyOps.Str(t), ctx, "templates") ?? throw new TemplateError($"the template file {PyOps.Str(t)} could not be found for the lookup");
                    res.Add(ctx.Templar.RenderFileIn(File.ReadAllText(path), ctx.Scope, path, TemplateOptions.Ansible));
                }
                return res;
            }
            case "vars":
            {
                var res = new List<object?>();
                foreach (var t in Flat(terms))
                {
                    var name = PyOps.Str(t);
                    if (ctx.TryLookup(name, out var v) && v is not PyCallable) res.Add(v);
                    else if (kw.TryGetValue("default", out var d)) res.Add(d);
                    else throw new UndefinedVariableError(name, $"No variable found with this name: {name}");
                }
                return res;
            }
            case "first_found":
            {
                var names = new List<string>();
                var paths = new List<string>();
                var skip = kw.TryGetValue("skip", out var sk) && Filters.ToBool(sk);
                if (kw.TryGetValue("files", out var kf)) names.AddRange(SplitNames(kf));
                if (kw.TryGetValue("paths", out var kp)) paths.AddRange(SplitNames(kp));
                foreach (var t in Flat(terms))
                {
                    if (t is IReadOnlyDictionary<string, object?> d)
                    {
                        var fs = SplitNames(d.GetValueOrDefault("files"));
                        var ps = SplitNames(d.GetValueOrDefault("paths"));
                        if (d.TryGetValue("skip", out var s2)) skip = Filters.ToBool(s2);
                        if (ps.Count == 0) names.AddRange(fs);
                        else names.AddRange(ps.SelectMany(p => fs.Select(f => Path.Combine(p, f))));
                    }
                    else names.Add(PyOps.Str(t));
                }
                if (paths.Count > 0) names = paths.SelectMany(p => names.Select(f => Path.Combine(p, f))).ToList();
                foreach (var n in names)
                    if (Find(n, ctx, "files") is { } found) return new List<object?> { found };
                if (skip) return new List<object?>();
                throw new TemplateError("No file was found when using first_found.");
            }
            case "list" or "items":
                return plugin == "items" ? Flat(terms) : terms;
            default:
                throw new TemplateError($"lookup plugin ({plugin}) not found");
        }
    }

    private static List<object?> Flat(List<object?> terms) =>
        terms.SelectMany(t => t is List<object?> l ? l : new List<object?> { t }).ToList();

    private static List<string> SplitNames(object? v) => v switch
    {
        null => new(),
        string s => s.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim()).ToList(),
        List<object?> l => l.SelectMany(x => SplitNames(x)).ToList(),
        _ => new() { PyOps.Str(v) },
    };

    /// <summary>Finds <paramref name="name"/>: absolute as is, else "&lt;search path&gt;/&lt;sub&gt;/name" then "&lt;search path&gt;/name".</summary>
    public static string? Find(string name, RenderContext ctx, string sub)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        var bases = new List<string>();
        if (ctx.SourcePath is { } sp && Path.GetDirectoryName(Path.GetFullPath(sp)) is { } sd) bases.Add(sd);
        bases.AddRange(ctx.Scope.SearchPaths);
        foreach (var b in bases)
        {
            var c1 = Path.Combine(b, sub, name);
            if (File.Exists(c1)) return Path.GetFullPath(c1);
            var c2 = Path.Combine(b, name);
            if (File.Exists(c2)) return Path.GetFullPath(c2);
        }
        return null;
    }
}

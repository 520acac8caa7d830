namespace Runner.Engine.Templating.Jinja;

/// <summary>The arguments of one filter or test call: positional, keyword, and the render context.</summary>
internal sealed class FilterArgs
{
    public FilterArgs(string name, List<object?> pos, Dictionary<string, object?> kw, RenderContext ctx)
    {
        Name = name; Pos = pos; Kw = kw; Ctx = ctx;
    }

    public string Name { get; }
    public List<object?> Pos { get; }
    public Dictionary<string, object?> Kw { get; }
    public RenderContext Ctx { get; }

    /// <summary>Argument <paramref name="i"/> (or keyword <paramref name="kw"/>), else <paramref name="def"/>.</summary>
    public object? Get(int i, string kw, object? def = null)
    {
        if (i >= 0 && i < Pos.Count) return Pos[i];
        return Kw.TryGetValue(kw, out var v) ? v : def;
    }

    public bool Has(int i, string kw) => (i >= 0 && i < Pos.Count) || Kw.ContainsKey(kw);
    public string? Str(int i, string kw, string? def = null) { var v = Get(i, kw); return v is null ? def : PyOps.Str(v); }
    public bool Bool(int i, string kw, bool def = false) { var v = Get(i, kw); return v is null ? def : PyOps.Truthy(v); }
    public long Long(int i, string kw, long def) { var v = Get(i, kw); return v is null ? def : PyOps.L(v); }
}

/// <summary>A PyTuple is a List whose Python repr is "(a, b)": items(), zip, dictsort, splitext results.</summary>
internal sealed class PyTuple : List<object?>
{
    public PyTuple(IEnumerable<object?> items) : base(items) { }
}

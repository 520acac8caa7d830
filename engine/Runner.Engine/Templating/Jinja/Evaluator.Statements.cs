using System.Text;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Jinja 3.1's macro, call, filter, with and namespace-assignment statements
/// (https://jinja.palletsprojects.com/en/3.1.x/templates/#macros and the sections after it):
/// a macro binds its parameters in order (a default may use the parameters before it), extra positional
/// arguments go to varargs and extra keywords to kwargs, and a {% call %} block is passed as caller();
/// {% filter %} runs its rendered body through a filter chain; {% with %} evaluates its values in the outer
/// scope and binds them for its body only; {% set ns.attr = v %} needs a namespace().
/// </summary>
internal static partial class Evaluator
{
    private static PyCallable Macro(string name, List<(string Name, Expr? Default)> ps, List<Stmt> body, RenderContext ctx) => new(name, (args, kw) =>
    {
        var frame = new Dictionary<string, object?>(StringComparer.Ordinal);
        var depth = ctx.Depth;
        ctx.Push(frame);
        try
        {
            var extraKw = new Dict();
            foreach (var (k, v) in kw)
                if (k == "caller") frame["caller"] = v;
                else if (!ps.Any(p => p.Name == k)) extraKw[k] = v;
            for (var i = 0; i < ps.Count; i++)
            {
                var (pn, def) = ps[i];
                frame[pn] = i < args.Count ? args[i] : kw.TryGetValue(pn, out var kv) ? kv : def is null ? Undefined.Var(pn) : Eval(def, ctx);
            }
            frame["varargs"] = new PyTuple(args.Skip(ps.Count));
            frame["kwargs"] = extraKw;
            var sb = new StringBuilder();
            Render(body, ctx, sb);
            return sb.ToString();
        }
        finally { ctx.Unwind(depth); }
    });

    private static object? CallBlock(CallBlockStmt cb, RenderContext ctx)
    {
        var fn = Eval(cb.Call.Fn, ctx);
        var (pos, kw) = Args(cb.Call.Args, ctx);
        kw["caller"] = Macro("caller", cb.Params, cb.Body, ctx);
        return Invoke(fn, pos, kw);
    }

    private static object? FilterBlock(FilterBlockStmt fb, RenderContext ctx)
    {
        var inner = new StringBuilder();
        Render(fb.Body, ctx, inner);
        object? v = inner.ToString();
        foreach (var (name, args) in fb.Filters)
        {
            var (pos, kw) = Args(args, ctx);
            v = Filters.Apply(name, v, pos, kw, ctx);
        }
        return v;
    }

    private static void With(WithStmt w, RenderContext ctx, StringBuilder sb)
    {
        var values = w.Assigns.Select(a => (a.Name, Eval(a.Value, ctx))).ToList();
        var depth = ctx.Depth;
        ctx.Push();
        try
        {
            foreach (var (n, v) in values) ctx.SetLocal(n, v);
            Render(w.Body, ctx, sb);
        }
        finally { ctx.Unwind(depth); }
    }

    private static void SetAttr(SetAttrStmt sa, RenderContext ctx)
    {
        if (ctx.Lookup(sa.Target) is not Namespace ns) throw new TemplateError("cannot assign attribute on non-namespace object");
        ns.Attrs[sa.Attr] = Eval(sa.Value, ctx);
    }
}

using System.Text;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// {% for %} as Jinja 3.1 runs it (https://jinja.palletsprojects.com/en/3.1.x/templates/#for): the
/// "if" filter is applied before counting, so loop.length, loop.last and loop.index see only the kept
/// items; {% else %} renders when nothing was kept; the loop variable offers index, index0, revindex,
/// revindex0, first, last, length, depth, depth0, previtem, nextitem, cycle(...) and changed(...); a
/// "recursive" loop is callable, loop(children) rendering the body again one level deeper. Variables set
/// inside the body do not leak out of the loop.
/// </summary>
internal static partial class Evaluator
{
    private static void For(ForStmt f, object? iterable, int level, RenderContext ctx, StringBuilder sb)
    {
        var items = PyOps.Iterate(iterable).ToList();
        var depth = ctx.Depth;
        if (f.Filter is not null)
        {
            var kept = new List<object?>();
            foreach (var it in items)
            {
                ctx.Push();
                try { Assign(f.Targets, it, ctx); if (PyOps.Truthy(Eval(f.Filter, ctx))) kept.Add(it); }
                finally { ctx.Unwind(depth); }
            }
            items = kept;
        }
        if (items.Count == 0)
        {
            if (f.Else is not null) Render(f.Else, ctx, sb);
            return;
        }
        object? last = Undefined.Var("changed");
        for (var i = 0; i < items.Count; i++)
        {
            var loop = new Dict
            {
                ["index"] = (long)(i + 1), ["index0"] = (long)i,
                ["revindex"] = (long)(items.Count - i), ["revindex0"] = (long)(items.Count - i - 1),
                ["first"] = i == 0, ["last"] = i == items.Count - 1, ["length"] = (long)items.Count,
                ["depth"] = (long)level + 1, ["depth0"] = (long)level,
                ["previtem"] = i > 0 ? items[i - 1] : Undefined.Attr(null, "previtem"),
                ["nextitem"] = i < items.Count - 1 ? items[i + 1] : Undefined.Attr(null, "nextitem"),
            };
            var idx = i;
            loop["cycle"] = new PyCallable("cycle", (a, _) => a.Count == 0 ? throw new TemplateError("no items for cycling given") : a[idx % a.Count]);
            loop["changed"] = new PyCallable("changed", (a, _) =>
            {
                object? now = a.Count == 1 ? a[0] : a;
                if (last is not Undefined && PyOps.Eq(last, now)) return false;
                last = now;
                return true;
            });
            object? loopVar = loop;
            if (f.Recursive)
                loopVar = new PyCallable("loop", (a, _) =>
                {
                    var inner = new StringBuilder();
                    For(f, a.Count > 0 ? a[0] : null, level + 1, ctx, inner);
                    return inner.ToString();
                }) { Attributes = loop };
            ctx.Push();
            try
            {
                ctx.SetLocal("loop", loopVar);
                Assign(f.Targets, items[i], ctx);
                Render(f.Body, ctx, sb);
            }
            finally { ctx.Unwind(depth); }
        }
    }
}

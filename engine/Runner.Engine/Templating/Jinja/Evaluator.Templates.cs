using System.Text;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Jinja 3.1's template composition (https://jinja.palletsprojects.com/en/3.1.x/templates/#include,
/// #import, #template-inheritance): {% include %} renders another template with the current context
/// (its own assignments do not leak back); {% import x as m %} and {% from x import a, b as c %} run the
/// template without the context by default (only globals, not the task's variables) and expose its
/// top-level macros and variables; {% block %} renders the most derived template's body of that name,
/// where super() renders the parent's.
/// </summary>
internal static partial class Evaluator
{
    private static void Include(IncludeStmt inc, RenderContext ctx, StringBuilder sb)
    {
        var t = TemplateLoader.Load(Eval(inc.Template, ctx), ctx, inc.IgnoreMissing);
        if (t is null) return;
        var target = inc.WithContext ? ctx : Isolated(ctx);
        var (depth, blocks) = (target.Depth, target.Blocks);
        target.Push();
        target.Blocks = new(StringComparer.Ordinal);
        try { RenderTemplate(t, target, sb); }
        finally { target.Unwind(depth); target.Blocks = blocks; }
    }

    /// <summary>Runs the named template as a module and returns its exports (top-level names not starting with "_").</summary>
    private static Dict Import(Expr template, bool withContext, RenderContext ctx)
    {
        var t = TemplateLoader.Load(Eval(template, ctx), ctx, false)!;
        var target = withContext ? ctx : Isolated(ctx);
        var frame = new Dictionary<string, object?>(StringComparer.Ordinal);
        var (depth, blocks) = (target.Depth, target.Blocks);
        target.Push(frame);
        target.Blocks = new(StringComparer.Ordinal);
        try { RenderTemplate(t, target, new StringBuilder()); }
        finally { target.Unwind(depth); target.Blocks = blocks; }
        return new Dict(frame.Where(kv => !kv.Key.StartsWith('_')));
    }

    private static void FromImport(FromImportStmt fi, RenderContext ctx)
    {
        var exports = Import(fi.Template, fi.WithContext, ctx);
        // a name the template does not export is undefined (failing where it is used), as Jinja compiles it
        foreach (var (name, alias) in fi.Names)
            ctx.SetLocal(alias, exports.TryGetValue(name, out var v) ? v
                : new Undefined(name, $"the template {PyStr.Repr(PyOps.Str(Eval(fi.Template, ctx)))} (imported on line {fi.Line}) does not export the requested name {PyStr.Repr(name)}"));
    }

    /// <summary>A context with no variables but the globals, for imports "without context".</summary>
    private static RenderContext Isolated(RenderContext ctx) =>
        new(ctx.Templar, new DictionaryScope(new Dictionary<string, object?>(), ctx.Scope.SearchPaths), ctx.SourcePath, ctx.Options);

    private static void RegisterBlocks(List<Stmt> body, RenderContext ctx)
    {
        foreach (var st in body)
        {
            if (st is not BlockStmt b) continue;
            if (!ctx.Blocks.TryGetValue(b.Name, out var chain)) ctx.Blocks[b.Name] = chain = new();
            chain.Add(b.Body);
            RegisterBlocks(b.Body, ctx);
        }
    }

    private static void Block(BlockStmt b, RenderContext ctx, StringBuilder sb)
    {
        var chain = ctx.Blocks.TryGetValue(b.Name, out var c) && c.Count > 0 ? c : new List<List<Stmt>> { b.Body };
        RenderBlockAt(b.Name, chain, 0, ctx, sb);
    }

    private static void RenderBlockAt(string name, List<List<Stmt>> chain, int at, RenderContext ctx, StringBuilder sb)
    {
        var depth = ctx.Depth;
        ctx.Push();
        try
        {
            ctx.SetLocal("super", new PyCallable("super", (_, _) =>
            {
                if (at + 1 >= chain.Count) throw new TemplateError($"there is no parent block called '{name}'.");
                var inner = new StringBuilder();
                RenderBlockAt(name, chain, at + 1, ctx, inner);
                return inner.ToString();
            }));
            Render(chain[at], ctx, sb);
        }
        finally { ctx.Unwind(depth); }
    }
}

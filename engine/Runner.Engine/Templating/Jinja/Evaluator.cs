using System.Text;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Evaluates parsed Jinja statements and expressions with Python semantics (see <see cref="PyOps"/>).
/// Design note: the front end evaluates the Jinja tree itself instead of lowering it to Scriban's
/// ScriptPage. Scriban's expression semantics (truthiness, integer division, string conversion of
/// lists/dicts/None, undefined handling, short-circuit operators returning operands, chained
/// comparisons, filters with keyword arguments) differ from Python's and Jinja's in ways the corpus
/// depends on, so every statement and expression is evaluated here; Scriban renders native .sbn
/// templates (<see cref="Templar.RenderScriban"/>).
/// </summary>
internal static partial class Evaluator
{
    public static void Render(List<Stmt> body, RenderContext ctx, StringBuilder sb)
    {
        foreach (var st in body) Exec(st, ctx, sb);
    }

    /// <summary>Renders a whole template: its blocks join <see cref="RenderContext.Blocks"/>, and {% extends %} hands over to the parent.</summary>
    public static void RenderTemplate(ParsedTemplate t, RenderContext ctx, StringBuilder sb)
    {
        RegisterBlocks(t.Body, ctx);
        ParsedTemplate? parent = null;
        var discard = new StringBuilder();
        foreach (var st in t.Body)
        {
            // after {% extends %} the child's output is dropped and its blocks render only through the parent
            if (parent is not null) { if (st is not BlockStmt) Exec(st, ctx, discard); discard.Clear(); }
            else if (st is ExtendsStmt e) parent = TemplateLoader.Load(Eval(e.Template, ctx), ctx, false)!;
            else Exec(st, ctx, sb);
        }
        if (parent is not null) RenderTemplate(parent, ctx, sb);
    }

    private static void Exec(Stmt st, RenderContext ctx, StringBuilder sb)
    {
        switch (st)
        {
            case TextStmt t: sb.Append(t.Text); break;
            case OutputStmt o:
                sb.Append(PyOps.Str(PyOps.Finalize(PyOps.Check(Eval(o.Expr, ctx)))));
                break;
            case IfStmt i:
                foreach (var (cond, b) in i.Branches)
                    if (PyOps.Truthy(Eval(cond, ctx))) { Render(b, ctx, sb); return; }
                if (i.Else is not null) Render(i.Else, ctx, sb);
                break;
            case ForStmt f: For(f, Eval(f.Iter, ctx), 0, ctx, sb); break;
            case SetStmt s: Assign(s.Targets, Eval(s.Value, ctx), ctx); break;
            case SetBlockStmt sb2:
            {
                var inner = new StringBuilder();
                Render(sb2.Body, ctx, inner);
                ctx.SetLocal(sb2.Target, inner.ToString());
                break;
            }
            case MacroStmt m: ctx.SetLocal(m.Name, Macro(m.Name, m.Params, m.Body, ctx)); break;
            case SetAttrStmt sa: SetAttr(sa, ctx); break;
            case CallBlockStmt cb: sb.Append(PyOps.Str(PyOps.Finalize(CallBlock(cb, ctx)))); break;
            case FilterBlockStmt fb: sb.Append(PyOps.Str(PyOps.Finalize(FilterBlock(fb, ctx)))); break;
            case WithStmt w: With(w, ctx, sb); break;
            case IncludeStmt inc: Include(inc, ctx, sb); break;
            case ImportStmt imp: ctx.SetLocal(imp.Alias, Import(imp.Template, imp.WithContext, ctx)); break;
            case FromImportStmt fi: FromImport(fi, ctx); break;
            case BlockStmt b: Block(b, ctx, sb); break;
            case ExtendsStmt: throw new TemplateError("extended multiple times");
        }
    }

    internal static void Assign(List<string> targets, object? value, RenderContext ctx)
    {
        if (targets.Count == 1) { ctx.SetLocal(targets[0], value); return; }
        var items = PyOps.Iterate(value);
        if (items.Count != targets.Count)
            throw new TemplateError($"{(items.Count > targets.Count ? "too many values to unpack" : "not enough values to unpack")} (expected {targets.Count}, got {items.Count})");
        for (var i = 0; i < targets.Count; i++) ctx.SetLocal(targets[i], items[i]);
    }

    public static object? Eval(Expr e, RenderContext ctx)
    {
        switch (e)
        {
            case ConstExpr c: return c.Value;
            case NameExpr n: return ctx.Lookup(n.Name);
            case AttrExpr a: return GetAttr(Eval(a.Obj, ctx), a.Name);
            case ItemExpr it:
            {
                var obj = Eval(it.Obj, ctx);
                if (it.Key is SliceExpr s) return Slice(obj, s, ctx);
                return GetItem(obj, Eval(it.Key, ctx));
            }
            case ListExpr l: return l.Items.Select(x => Eval(x, ctx)).ToList();
            case DictExpr d:
            {
                var r = new Dict();
                foreach (var (k, v) in d.Items) r[PyOps.Str(PyOps.Check(Eval(k, ctx)))] = Eval(v, ctx);
                return r;
            }
            case UnaryExpr u:
            {
                var v = Eval(u.Operand, ctx);
                if (u.Op == "not") return !PyOps.Truthy(v);
                PyOps.Check(v);
                if (!PyOps.IsNum(v)) throw PythonError.TypeError($"bad operand type for unary {u.Op}: '{PyOps.TypeName(v)}'");
                if (u.Op == "+") return v is bool ? (object)PyOps.L(v) : v;
                return PyOps.IsInt(v) ? (object)(-PyOps.L(v)) : -PyOps.D(v);
            }
            case BinExpr b:
            {
                var l = Eval(b.Left, ctx);
                if (b.Op == "and") return PyOps.Truthy(l) ? Eval(b.Right, ctx) : l;
                if (b.Op == "or") return PyOps.Truthy(l) ? l : Eval(b.Right, ctx);
                return PyOps.Binary(b.Op, l, Eval(b.Right, ctx));
            }
            case CompareExpr c:
            {
                var left = Eval(c.First, ctx);
                foreach (var (op, re) in c.Rest)
                {
                    var right = Eval(re, ctx);
                    if (!Compare(op, left, right)) return false;
                    left = right;
                }
                return true;
            }
            case CondExpr ce:
                if (PyOps.Truthy(Eval(ce.Test, ctx))) return Eval(ce.Then, ctx);
                return ce.Else is null ? new Undefined("if", "the inline if-expression on line 1 evaluated to false and no else section was defined.") : Eval(ce.Else, ctx);
            case FilterExpr f:
            {
                var v = Eval(f.Node, ctx);
                var (pos, kw) = Args(f.Args, ctx);
                return Filters.Apply(f.Name, v, pos, kw, ctx);
            }
            case TestExpr t:
            {
                var v = Eval(t.Node, ctx);
                var (pos, kw) = Args(t.Args, ctx);
                var r = Tests.Apply(t.Name, v, pos, kw, ctx);
                return t.Negated ? !r : r;
            }
            case CallExpr call:
            {
                var fn = Eval(call.Fn, ctx);
                var (pos, kw) = Args(call.Args, ctx);
                return Invoke(fn, pos, kw);
            }
            case SliceExpr: throw new TemplateError("slice outside of subscript");
        }
        throw new TemplateError($"unsupported expression {e.GetType().Name}");
    }

    private static object? Invoke(object? fn, List<object?> pos, Dictionary<string, object?> kw) => fn switch
    {
        PyCallable pc => pc.Fn(pos, kw),
        Undefined u => throw u.Error(),
        _ => throw PythonError.TypeError($"'{PyOps.TypeName(fn)}' object is not callable"),
    };

    private static bool Compare(string op, object? a, object? b) => op switch
    {
        "==" => PyOps.Eq(PyOps.Check(a), PyOps.Check(b)),
        "!=" => !PyOps.Eq(PyOps.Check(a), PyOps.Check(b)),
        "<" => PyOps.Cmp(a, b, op) < 0,
        ">" => PyOps.Cmp(a, b, op) > 0,
        "<=" => PyOps.Cmp(a, b, op) <= 0,
        ">=" => PyOps.Cmp(a, b, op) >= 0,
        "in" => PyOps.Contains(b, a),
        "notin" => !PyOps.Contains(b, a),
        _ => throw new TemplateError($"unknown operator {op}"),
    };

    private static (List<object?>, Dictionary<string, object?>) Args(CallArgs a, RenderContext ctx)
    {
        var pos = a.Pos.Select(x => Eval(x, ctx)).ToList();
        var kw = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (n, v) in a.Kw) kw[n] = Eval(v, ctx);
        return (pos, kw);
    }

    /// <summary>Jinja's getattr: methods of str/list/dict first, then dict keys; missing gives Undefined.</summary>
    public static object? GetAttr(object? obj, string name)
    {
        switch (obj)
        {
            case Undefined: return obj;
            case Namespace ns: return ns.Attrs.TryGetValue(name, out var nv) ? nv : Undefined.Attr(obj, name);
            case PyCallable { Attributes: { } pa }: return pa.TryGetValue(name, out var pv) ? pv : Undefined.Attr(obj, name);
            case IReadOnlyDictionary<string, object?> d:
                if (Methods.For(obj, name) is { } dm) return dm;
                return d.TryGetValue(name, out var v) ? v : Undefined.Attr(obj, name);
            case null: return new Undefined(name, $"'None' has no attribute '{name}'");
            case DateTime or TimeSpan: return Filters.DateAttr(obj, name) ?? Undefined.Attr(obj, name);
            default:
                return (object?)Methods.For(obj, name) ?? Undefined.Attr(obj, name);
        }
    }

    /// <summary>Jinja's getitem: obj[key], falling back to an attribute for string keys.</summary>
    public static object? GetItem(object? obj, object? key)
    {
        if (obj is Undefined u) throw u.Error();
        PyOps.Check(key);
        switch (obj)
        {
            case IReadOnlyDictionary<string, object?> d:
            {
                var k = key as string ?? PyOps.Str(key);
                if (d.TryGetValue(k, out var v)) return v;
                return key is string ks ? ((object?)Methods.For(obj, ks) ?? Undefined.Attr(obj, ks)) : new Undefined(k, $"'dict object' has no attribute {PyStr.Repr(key)}");
            }
            case List<object?> l when PyOps.IsInt(key):
            {
                var i = PyOps.L(key);
                if (i < 0) i += l.Count;
                return i >= 0 && i < l.Count ? l[(int)i] : new Undefined(PyOps.Str(key), $"list object has no element {PyOps.Str(key)}");
            }
            case string s when PyOps.IsInt(key):
            {
                var i = PyOps.L(key);
                if (i < 0) i += s.Length;
                return i >= 0 && i < s.Length ? s[(int)i].ToString() : new Undefined(PyOps.Str(key), $"str object has no element {PyOps.Str(key)}");
            }
        }
        if (key is string name) return GetAttr(obj, name);
        return new Undefined(PyOps.Str(key), $"{PyOps.TypeName(obj)} object has no element {PyOps.Str(key)}");
    }

    private static object? Slice(object? obj, SliceExpr s, RenderContext ctx)
    {
        PyOps.Check(obj);
        long? Opt(Expr? e) { var v = e is null ? null : PyOps.Check(Eval(e, ctx)); return v is null ? null : PyOps.L(v); }
        var (start, stop, step) = (Opt(s.Start), Opt(s.Stop), Opt(s.Step) ?? 1);
        return obj switch
        {
            string str => string.Concat(SliceIdx(str.Length, start, stop, step).Select(i => str[i])),
            List<object?> l => SliceIdx(l.Count, start, stop, step).Select(i => l[i]).ToList(),
            _ => throw PythonError.TypeError($"'{PyOps.TypeName(obj)}' object is not subscriptable"),
        };
    }

    /// <summary>The indexes Python's slice(start, stop, step) selects from a sequence of <paramref name="n"/>.</summary>
    public static IEnumerable<int> SliceIdx(int n, long? start, long? stop, long step)
    {
        if (step == 0) throw new TemplateError("slice step cannot be zero");
        long Norm(long v, long lo, long hi) { if (v < 0) v += n; return Math.Clamp(v, lo, hi); }
        if (step > 0)
        {
            var a = start is null ? 0 : Norm(start.Value, 0, n);
            var b = stop is null ? n : Norm(stop.Value, 0, n);
            for (var i = a; i < b; i += step) yield return (int)i;
        }
        else
        {
            var a = start is null ? n - 1 : Norm(start.Value, -1, n - 1);
            var b = stop is null ? -1 : Norm(stop.Value, -1, n - 1);
            for (var i = a; i > b; i += step) yield return (int)i;
        }
    }
}

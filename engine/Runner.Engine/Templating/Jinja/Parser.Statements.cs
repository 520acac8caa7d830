namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// The statement tags of Jinja 3.1 (jinja2/parser.py, parse_* methods;
/// https://jinja.palletsprojects.com/en/3.1.x/templates/#list-of-control-structures): if, for (with a
/// filter, else and recursive), set (also set blocks and namespace attributes), macro, call, filter,
/// include, import, from-import, extends, block, with. Anything else is Jinja's "Encountered unknown tag".
/// </summary>
internal sealed partial class Parser
{
    private Stmt Statement(string kw)
    {
        switch (kw)
        {
            case "if": return If();
            case "for": return For();
            case "set": return Set();
            case "macro":
            {
                var name = ExpectName();
                var ps = Params();
                ExpectEnd();
                return new MacroStmt(name, ps, ParseBody(new[] { "endmacro" }, out _));
            }
            case "call":
            {
                var ps = IsOp("(") ? Params() : new();
                var call = Expression();
                if (call is not CallExpr ce) throw Err("expected call");
                ExpectEnd();
                return new CallBlockStmt(ce, ps, ParseBody(new[] { "endcall" }, out _));
            }
            case "filter":
            {
                var filters = new List<(string, CallArgs)>();
                do
                {
                    if (IsOp("|")) _p++;
                    var name = DottedName();
                    filters.Add((name, IsOp("(") ? Args() : CallArgs.Empty));
                } while (IsOp("|"));
                ExpectEnd();
                return new FilterBlockStmt(filters, ParseBody(new[] { "endfilter" }, out _));
            }
            case "include":
            {
                var tpl = Expression();
                var ignoreMissing = false;
                if (IsName("ignore") && Peek().Text == "missing") { _p += 2; ignoreMissing = true; }
                var withContext = ContextModifier(true);
                ExpectEnd();
                return new IncludeStmt(tpl, ignoreMissing, withContext);
            }
            case "import":
            {
                var tpl = Expression();
                if (!IsName("as")) throw Err("expected token 'as'");
                _p++;
                var alias = ExpectName();
                var withContext = ContextModifier(false);
                ExpectEnd();
                return new ImportStmt(tpl, alias, withContext);
            }
            case "from": return FromImport();
            case "extends":
            {
                var tpl = Expression();
                ExpectEnd();
                return new ExtendsStmt(tpl);
            }
            case "block":
            {
                var name = ExpectName();
                if (IsName("scoped")) _p++;
                if (IsName("required")) _p++;
                ExpectEnd();
                var body = ParseBody(new[] { "endblock" }, out _);
                if (Cur.Kind == TokKind.Name && Cur.Text != name) throw Err($"mismatching name for block end tag: expected '{name}', got '{Cur.Text}'");
                return new BlockStmt(name, body);
            }
            case "with":
            {
                var assigns = new List<(string, Expr)>();
                while (Cur.Kind != TokKind.End)
                {
                    if (assigns.Count > 0) Expect(",");
                    var n = ExpectName();
                    Expect("=");
                    assigns.Add((n, Expression()));
                }
                return new WithStmt(assigns, ParseBody(new[] { "endwith" }, out _));
            }
            default:
                throw UnknownTag(kw);
        }
    }

    private Stmt If()
    {
        var branches = new List<(Expr, List<Stmt>)>();
        var cond = Expression(); ExpectEnd();
        List<Stmt>? els = null;
        while (true)
        {
            var body = ParseBody(new[] { "elif", "else", "endif" }, out var end);
            branches.Add((cond, body));
            if (end == "elif") { cond = Expression(); ExpectEnd(); continue; }
            if (end == "else") { ExpectEnd(); els = ParseBody(new[] { "endif" }, out _); }
            break;
        }
        return new IfStmt(branches, els);
    }

    private Stmt For()
    {
        var targets = new List<string> { ExpectName() };
        while (IsOp(",")) { _p++; targets.Add(ExpectName()); }
        if (!IsName("in")) throw Err("expected 'in'");
        _p++;
        var iter = NoCondExpression();
        Expr? filter = null;
        if (IsName("if")) { _p++; filter = NoCondExpression(); }
        var recursive = false;
        if (IsName("recursive")) { _p++; recursive = true; }
        ExpectEnd();
        var body = ParseBody(new[] { "endfor", "else" }, out var end);
        List<Stmt>? els = null;
        if (end == "else") { ExpectEnd(); els = ParseBody(new[] { "endfor" }, out _); }
        return new ForStmt(targets, iter, filter, body, els, recursive);
    }

    private Stmt Set()
    {
        var first = ExpectName();
        if (IsOp(".") && Peek().Kind == TokKind.Name)
        {
            _p++;
            var attr = ExpectName();
            Expect("=");
            var v = Expression(); ExpectEnd();
            return new SetAttrStmt(first, attr, v);
        }
        var targets = new List<string> { first };
        while (IsOp(",")) { _p++; targets.Add(ExpectName()); }
        if (IsOp("=")) { _p++; var v = Expression(); ExpectEnd(); return new SetStmt(targets, v); }
        var filters = new List<(string, CallArgs)>();
        while (IsOp("|")) { _p++; var fname = DottedName(); filters.Add((fname, IsOp("(") ? Args() : CallArgs.Empty)); }
        ExpectEnd();
        var body = ParseBody(new[] { "endset" }, out _);
        return new SetBlockStmt(targets[0], filters.Count == 0 ? body : new List<Stmt> { new FilterBlockStmt(filters, body) });
    }

    private Stmt FromImport()
    {
        var tpl = Expression();
        if (!IsName("import")) throw Err("expected token 'import'");
        _p++;
        var names = new List<(string, string)>();
        var withContext = false;
        while (Cur.Kind != TokKind.End)
        {
            if (names.Count > 0) Expect(",");
            if (Cur.Kind == TokKind.Name && Cur.Text is "with" or "without" && Peek().Text == "context") { withContext = ContextModifier(false); break; }
            var n = ExpectName();
            // Jinja's parse_from refuses a private name (an alias may start with "_")
            if (n.StartsWith('_')) throw Err("names starting with an underline can not be imported");
            var alias = n;
            if (IsName("as")) { _p++; alias = ExpectName(); }
            names.Add((n, alias));
        }
        ExpectEnd();
        return new FromImportStmt(tpl, names, withContext, _line);
    }

    /// <summary>"with context" / "without context" after include or import; <paramref name="dflt"/> otherwise.</summary>
    private bool ContextModifier(bool dflt)
    {
        if (Cur.Kind == TokKind.Name && Cur.Text is "with" or "without" && Peek().Kind == TokKind.Name && Peek().Text == "context")
        {
            var with = Cur.Text == "with";
            _p += 2;
            return with;
        }
        return dflt;
    }

    /// <summary>A macro or call block's parameter list: "(a, b=default)".</summary>
    private List<(string, Expr?)> Params()
    {
        Expect("(");
        var ps = new List<(string, Expr?)>();
        while (!IsOp(")"))
        {
            var pn = ExpectName();
            Expr? def = null;
            if (IsOp("=")) { _p++; def = Expression(); }
            ps.Add((pn, def));
            if (IsOp(",")) _p++; else break;
        }
        Expect(")");
        return ps;
    }
}

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Recursive-descent parser from lexed segments to <see cref="Stmt"/>/<see cref="Expr"/> trees,
/// following Jinja 3.1's grammar and operator precedence (jinja2/parser.py): conditional expression,
/// or, and, not, comparisons (incl. in / not in), + -, ~, * / // %, **, unary - +, then postfix
/// (attribute, subscript, call) and filter/test chains. Errors: <see cref="TemplateError"/> with
/// Jinja's wording ("template error while templating string: ...").
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Segment> _segs;
    private int _si;
    private List<Tok> _t = new();
    private int _p;
    private int _line = 1;

    private Parser(List<Segment> segs) => _segs = segs;

    /// <summary>Parses template source read with <paramref name="options"/>. Errors: <see cref="TemplateSyntaxError"/> with the line.</summary>
    public static ParsedTemplate ParseTemplate(string src, TemplateOptions options, bool rawStringsInVar)
    {
        var segs = Lexer.Lex(src, options, rawStringsInVar);
        var parser = new Parser(segs);
        var body = parser.ParseBody(Array.Empty<string>(), out _);
        string? single = null;
        Expr? singleExpr = null;
        if (body.Count == 1 && body[0] is OutputStmt o)
        {
            singleExpr = o.Expr;
            if (o.Expr is NameExpr n) single = n.Name;
        }
        return new ParsedTemplate(body, single, singleExpr);
    }

    /// <summary>Parses a bare expression; <paramref name="inBlock"/>: it stands inside a {% %} tag (a conditional), which names its end in errors.</summary>
    public static Expr ParseExpression(string src, bool inBlock = false)
    {
        var p = 0;
        var toks = Tokenizer.Tokenize(src, ref p, null, false, out _, false);
        var parser = new Parser(new List<Segment>()) { _t = toks, _endText = inBlock ? "'end of statement block'" : "end of template" };
        var e = parser.Expression();
        if (parser.Cur.Kind != TokKind.End) throw parser.Err($"unexpected '{parser.Cur.Text}'");
        return e;
    }

    private Tok Cur => _t[_p];
    private Tok Peek(int n = 1) => _t[Math.Min(_p + n, _t.Count - 1)];
    private TemplateSyntaxError Err(string m) => new($"template error while templating string: {m}.", _line);
    private bool IsOp(string op) => Cur.Kind == TokKind.Op && Cur.Text == op;
    private bool IsName(string n) => Cur.Kind == TokKind.Name && Cur.Text == n;
    private void Expect(string op)
    {
        if (!IsOp(op)) throw Err($"expected token '{op}', got '{(Cur.Kind == TokKind.End ? "end of statement block" : Cur.Text)}'");
        _p++;
    }
    private string ExpectName()
    {
        if (Cur.Kind != TokKind.Name) throw Err($"expected name, got '{Cur.Text}'");
        return _t[_p++].Text;
    }
    private bool _inPrint;

    /// <summary>How Jinja names the token that ends the current tokens in "unexpected X": the end of a {{ }}, of a {% %}, or of the text.</summary>
    private string _endText = "end of template";

    /// <summary>Jinja's "expected token 'end of print statement'" ({{ }}) / "'end of statement block'" ({% %}).</summary>
    private void ExpectEnd()
    {
        if (Cur.Kind != TokKind.End) throw Err($"expected token 'end of {(_inPrint ? "print statement" : "statement block")}', got '{Cur.Text}'");
    }

    private readonly List<IReadOnlyCollection<string>> _endStack = new();
    private readonly List<string> _tagStack = new();

    /// <summary>Parses statements until a block tag whose first name is in <paramref name="ends"/>.</summary>
    private List<Stmt> ParseBody(IReadOnlyCollection<string> ends, out string? endTag)
    {
        var body = new List<Stmt>();
        if (ends.Count > 0) _endStack.Add(ends);
        try
        {
            while (_si < _segs.Count)
            {
                var seg = _segs[_si++];
                _line = seg.Line;
                switch (seg)
                {
                    case TextSeg t: body.Add(new TextStmt(t.Text)); break;
                    case VarSeg v:
                        _t = v.Tokens; _p = 0;
                        _inPrint = true;
                        _endText = "'end of print statement'";
                        var e = Expression();
                        ExpectEnd();
                        _inPrint = false;
                        body.Add(new OutputStmt(e));
                        break;
                    case BlockSeg b:
                        _t = b.Tokens; _p = 0;
                        _endText = "'end of statement block'";
                        var kw = ExpectName();
                        if (ends.Contains(kw)) { endTag = kw; return body; }
                        _tagStack.Add(kw);
                        body.Add(Statement(kw));
                        _tagStack.RemoveAt(_tagStack.Count - 1);
                        break;
                }
            }
            if (ends.Count > 0) throw UnknownTag(null);
            endTag = null;
            return body;
        }
        finally { if (ends.Count > 0) _endStack.RemoveAt(_endStack.Count - 1); }
    }

    /// <summary>Jinja's Parser._fail_ut_eof message for an unknown tag (or the end of the template when <paramref name="name"/> is null).</summary>
    private TemplateSyntaxError UnknownTag(string? name)
    {
        var msg = name is null ? "Unexpected end of template." : $"Encountered unknown tag '{name}'.";
        if (_endStack.Count > 0)
        {
            var looking = string.Join(" or ", _endStack[^1].Select(x => $"'{x}'"));
            msg += name is not null && _endStack.Any(x => x.Contains(name))
                ? $" You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for {looking}."
                : $" Jinja was looking for the following tags: {looking}.";
        }
        // the innermost open block (the unknown tag itself is on the stack while it is parsed)
        var open = name is null ? _tagStack.LastOrDefault() : _tagStack.Count > 1 ? _tagStack[^2] : null;
        if (open is not null) msg += $" The innermost block that needs to be closed is '{open}'.";
        return Err(msg);
    }

    // ---- expressions ----

    public Expr Expression()
    {
        var e = OrExpr();
        if (IsName("if"))
        {
            _p++;
            var test = OrExpr();
            Expr? els = null;
            if (IsName("else")) { _p++; els = Expression(); }
            return new CondExpr(test, e, els);
        }
        return e;
    }

    private Expr NoCondExpression() => OrExpr();

    private Expr OrExpr()
    {
        var l = AndExpr();
        while (IsName("or")) { _p++; l = new BinExpr("or", l, AndExpr()); }
        return l;
    }

    private Expr AndExpr()
    {
        var l = NotExpr();
        while (IsName("and")) { _p++; l = new BinExpr("and", l, NotExpr()); }
        return l;
    }

    private Expr NotExpr()
    {
        if (IsName("not")) { _p++; return new UnaryExpr("not", NotExpr()); }
        return Compare();
    }

    private Expr Compare()
    {
        var first = Math1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            if (Cur.Kind == TokKind.Op && Cur.Text is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                var op = Cur.Text; _p++;
                rest.Add((op, Math1()));
            }
            else if (IsName("in")) { _p++; rest.Add(("in", Math1())); }
            else if (IsName("not") && Peek().Kind == TokKind.Name && Peek().Text == "in") { _p += 2; rest.Add(("notin", Math1())); }
            else break;
        }
        return rest.Count == 0 ? first : new CompareExpr(first, rest);
    }

    private Expr Math1()
    {
        var l = Concat();
        while (Cur.Kind == TokKind.Op && Cur.Text is "+" or "-") { var op = Cur.Text; _p++; l = new BinExpr(op, l, Concat()); }
        return l;
    }

    private Expr Concat()
    {
        var l = Math2();
        while (IsOp("~")) { _p++; l = new BinExpr("~", l, Math2()); }
        return l;
    }

    private Expr Math2()
    {
        var l = Pow();
        while (Cur.Kind == TokKind.Op && Cur.Text is "*" or "/" or "//" or "%") { var op = Cur.Text; _p++; l = new BinExpr(op, l, Pow()); }
        return l;
    }

    private Expr Pow()
    {
        var l = Unary(true);
        while (IsOp("**")) { _p++; l = new BinExpr("**", l, Unary(true)); }
        return l;
    }

    private Expr Unary(bool withFilter)
    {
        Expr node;
        if (IsOp("-")) { _p++; node = new UnaryExpr("-", Unary(false)); }
        else if (IsOp("+")) { _p++; node = new UnaryExpr("+", Unary(false)); }
        else node = Postfix(Primary());
        return withFilter ? FilterChain(node) : node;
    }

    private Expr Primary()
    {
        var t = Cur;
        switch (t.Kind)
        {
            case TokKind.Name:
                _p++;
                return t.Text switch
                {
                    "true" or "True" => new ConstExpr(true),
                    "false" or "False" => new ConstExpr(false),
                    "none" or "None" => new ConstExpr(null),
                    _ => new NameExpr(t.Text),
                };
            case TokKind.String:
            {
                _p++;
                var s = (string)t.Value!;
                while (Cur.Kind == TokKind.String) { s += (string)Cur.Value!; _p++; }
                return new ConstExpr(s);
            }
            case TokKind.Int:
            case TokKind.Float:
                _p++;
                return new ConstExpr(t.Value);
            case TokKind.Op when t.Text == "(":
            {
                _p++;
                if (IsOp(")")) { _p++; return new ListExpr(new()); }
                var e = Expression();
                if (IsOp(","))
                {
                    var items = new List<Expr> { e };
                    while (IsOp(",")) { _p++; if (IsOp(")")) break; items.Add(Expression()); }
                    Expect(")");
                    return new ListExpr(items);
                }
                Expect(")");
                return e;
            }
            case TokKind.Op when t.Text == "[":
            {
                _p++;
                var items = new List<Expr>();
                while (!IsOp("]")) { items.Add(Expression()); if (IsOp(",")) _p++; else break; }
                Expect("]");
                return new ListExpr(items);
            }
            case TokKind.Op when t.Text == "{":
            {
                _p++;
                var items = new List<(Expr, Expr)>();
                while (!IsOp("}"))
                {
                    var k = Expression();
                    Expect(":");
                    items.Add((k, Expression()));
                    if (IsOp(",")) _p++; else break;
                }
                Expect("}");
                return new DictExpr(items);
            }
            default:
                throw Err(t.Kind == TokKind.End ? $"unexpected {_endText}" : $"unexpected '{t.Text}'");
        }
    }

    private Expr Postfix(Expr node)
    {
        while (true)
        {
            if (IsOp("."))
            {
                _p++;
                if (Cur.Kind == TokKind.Name) node = new AttrExpr(node, _t[_p++].Text);
                else if (Cur.Kind == TokKind.Int) node = new ItemExpr(node, new ConstExpr(_t[_p++].Value));
                else throw Err("expected name or number");
            }
            else if (IsOp("[")) { _p++; node = new ItemExpr(node, Subscript()); Expect("]"); }
            else if (IsOp("(")) node = new CallExpr(node, Args());
            else return node;
        }
    }

    private Expr Subscript()
    {
        Expr? a = null, b = null, c = null;
        if (!IsOp(":")) { a = Expression(); if (!IsOp(":")) return a; }
        _p++;
        if (!IsOp("]") && !IsOp(":")) b = Expression();
        if (IsOp(":")) { _p++; if (!IsOp("]")) c = Expression(); }
        return new SliceExpr(a, b, c);
    }

    private CallArgs Args()
    {
        Expect("(");
        var pos = new List<Expr>();
        var kw = new List<(string, Expr)>();
        while (!IsOp(")"))
        {
            if (Cur.Kind == TokKind.Name && Peek().Kind == TokKind.Op && Peek().Text == "=")
            {
                var n = Cur.Text; _p += 2;
                kw.Add((n, Expression()));
            }
            else pos.Add(Expression());
            if (IsOp(",")) _p++; else break;
        }
        Expect(")");
        return new CallArgs(pos, kw);
    }

    private Expr FilterChain(Expr node)
    {
        while (true)
        {
            if (IsOp("|"))
            {
                _p++;
                var name = DottedName();
                var args = IsOp("(") ? Args() : CallArgs.Empty;
                node = new FilterExpr(node, name, args);
            }
            else if (IsName("is"))
            {
                _p++;
                var neg = false;
                if (IsName("not")) { neg = true; _p++; }
                var name = DottedName();
                CallArgs args;
                if (IsOp("(")) args = Args();
                else if ((Cur.Kind is TokKind.String or TokKind.Int or TokKind.Float || IsOp("[") || IsOp("{") ||
                          (Cur.Kind == TokKind.Name && !(Cur.Text is "else" or "or" or "and" or "if" or "not" or "in" or "is"))))
                    args = new CallArgs(new List<Expr> { Postfix(Primary()) }, new());
                else args = CallArgs.Empty;
                node = new TestExpr(node, name, args, neg);
            }
            else if (IsOp("(")) node = new CallExpr(node, Args());
            else return node;
        }
    }

    private string DottedName()
    {
        var n = ExpectName();
        while (IsOp(".") && Peek().Kind == TokKind.Name) { _p++; n += "." + ExpectName(); }
        // ansible.builtin.xxx / community.general.xxx: the short name is what we implement
        var dot = n.LastIndexOf('.');
        return dot >= 0 ? n[(dot + 1)..] : n;
    }
}

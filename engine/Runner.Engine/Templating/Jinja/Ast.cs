namespace Runner.Engine.Templating.Jinja;

/// <summary>Jinja expression nodes (the subset of Jinja 3.1's grammar Ansible playbooks use).</summary>
internal abstract record Expr;
internal sealed record ConstExpr(object? Value) : Expr;
internal sealed record NameExpr(string Name) : Expr;
internal sealed record AttrExpr(Expr Obj, string Name) : Expr;
internal sealed record ItemExpr(Expr Obj, Expr Key) : Expr;
internal sealed record SliceExpr(Expr? Start, Expr? Stop, Expr? Step) : Expr;
internal sealed record ListExpr(List<Expr> Items) : Expr;
internal sealed record DictExpr(List<(Expr Key, Expr Value)> Items) : Expr;
internal sealed record UnaryExpr(string Op, Expr Operand) : Expr;
internal sealed record BinExpr(string Op, Expr Left, Expr Right) : Expr;
internal sealed record CompareExpr(Expr First, List<(string Op, Expr Right)> Rest) : Expr;
internal sealed record CondExpr(Expr Test, Expr Then, Expr? Else) : Expr;
internal sealed record CallArgs(List<Expr> Pos, List<(string Name, Expr Value)> Kw)
{
    public static readonly CallArgs Empty = new(new(), new());
}
internal sealed record FilterExpr(Expr Node, string Name, CallArgs Args) : Expr;
internal sealed record TestExpr(Expr Node, string Name, CallArgs Args, bool Negated) : Expr;
internal sealed record CallExpr(Expr Fn, CallArgs Args) : Expr;

/// <summary>Jinja statement nodes.</summary>
internal abstract record Stmt;
internal sealed record TextStmt(string Text) : Stmt;
internal sealed record OutputStmt(Expr Expr) : Stmt;
internal sealed record IfStmt(List<(Expr Cond, List<Stmt> Body)> Branches, List<Stmt>? Else) : Stmt;
internal sealed record ForStmt(List<string> Targets, Expr Iter, Expr? Filter, List<Stmt> Body, List<Stmt>? Else, bool Recursive) : Stmt;
internal sealed record SetStmt(List<string> Targets, Expr Value) : Stmt;
internal sealed record SetBlockStmt(string Target, List<Stmt> Body) : Stmt;
internal sealed record MacroStmt(string Name, List<(string Name, Expr? Default)> Params, List<Stmt> Body) : Stmt;
internal sealed record SetAttrStmt(string Target, string Attr, Expr Value) : Stmt;
internal sealed record CallBlockStmt(CallExpr Call, List<(string Name, Expr? Default)> Params, List<Stmt> Body) : Stmt;
internal sealed record FilterBlockStmt(List<(string Name, CallArgs Args)> Filters, List<Stmt> Body) : Stmt;
internal sealed record IncludeStmt(Expr Template, bool IgnoreMissing, bool WithContext) : Stmt;
internal sealed record ImportStmt(Expr Template, string Alias, bool WithContext) : Stmt;
/// <summary>{% from T import a, b as c %}; <paramref name="Line"/> is the tag's line (a missing name's message says it).</summary>
internal sealed record FromImportStmt(Expr Template, List<(string Name, string Alias)> Names, bool WithContext, int Line = 1) : Stmt;
internal sealed record ExtendsStmt(Expr Template) : Stmt;
internal sealed record BlockStmt(string Name, List<Stmt> Body) : Stmt;
internal sealed record WithStmt(List<(string Name, Expr Value)> Assigns, List<Stmt> Body) : Stmt;

/// <summary>A parsed template: its statements, whether it is exactly one {{ name }} output, and its file (null for a string).</summary>
internal sealed record ParsedTemplate(List<Stmt> Body, string? SingleVarName, Expr? SingleExpr)
{
    public string? Path { get; init; }
}

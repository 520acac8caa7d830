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
internal sealed record ForStmt(List<string> Targets, Expr Iter, Expr? Filter, List<Stmt> Body, List<Stmt>? Else) : Stmt;
internal sealed record SetStmt(List<string> Targets, Expr Value) : Stmt;
internal sealed record SetBlockStmt(string Target, List<Stmt> Body) : Stmt;
internal sealed record MacroStmt(string Name, List<(string Name, Expr? Default)> Params, List<Stmt> Body) : Stmt;

/// <summary>A parsed template: its statements, and whether it is exactly one {{ name }} output.</summary>
internal sealed record ParsedTemplate(List<Stmt> Body, string? SingleVarName, Expr? SingleExpr);

using System.Globalization;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Python 3 semantics for Runner data inside templates: type names, truthiness, equality, ordering,
/// arithmetic (/ is true division, // and % floor toward -inf, ** keeps ints), str() and iteration.
/// Follows https://docs.python.org/3/reference/expressions.html and
/// https://docs.python.org/3/library/stdtypes.html. Errors are <see cref="TemplateError"/> with
/// Python's TypeError wording; an <see cref="Undefined"/> operand raises its own error.
/// </summary>
internal static class PyOps
{
    /// <summary>Python's type name: str, int, float, bool, list, dict, NoneType.</summary>
    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        string => "str",
        bool => "bool",
        long or int => "int",
        double => "float",
        IEnumerable<KeyValuePair<string, object?>> => "dict",
        List<object?> => "list",
        Undefined => "AnsibleUndefined",
        PyCallable => "builtin_function_or_method",
        _ => v.GetType().Name,
    };

    public static object? Check(object? v) => v is Undefined u ? throw u.Error() : v;

    public static bool Truthy(object? v) => v is Undefined u ? throw u.Error() : Data.Truthy(v);

    /// <summary>Python str(v); None is "None" (Ansible's finalize turns a printed None into "").</summary>
    public static string Str(object? v) => v switch
    {
        Undefined u => throw u.Error(),
        string s => s,
        PyCallable c => $"<built-in method {c.Name}>",
        null => "None",
        DateTime d => Runner.Engine.Templating.PyStrftime.DateTimeStr(d),
        _ => Repr(v),
    };

    /// <summary>Python repr(v), with <see cref="PyTuple"/> as "(a, b)" and "(a,)".</summary>
    public static string Repr(object? v)
    {
        var sb = new System.Text.StringBuilder();
        WriteRepr(sb, v);
        return sb.ToString();
    }

    private static void WriteRepr(System.Text.StringBuilder sb, object? v)
    {
        switch (v)
        {
            case Undefined u: throw u.Error();
            case PyTuple t:
                sb.Append('(');
                for (var i = 0; i < t.Count; i++) { if (i > 0) sb.Append(", "); WriteRepr(sb, t[i]); }
                if (t.Count == 1) sb.Append(',');
                sb.Append(')');
                break;
            case IEnumerable<KeyValuePair<string, object?>> d:
            {
                sb.Append('{');
                var first = true;
                foreach (var (k, x) in d)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(PyStr.ReprString(k)).Append(": ");
                    WriteRepr(sb, x);
                }
                sb.Append('}');
                break;
            }
            case List<object?> l:
                sb.Append('[');
                for (var i = 0; i < l.Count; i++) { if (i > 0) sb.Append(", "); WriteRepr(sb, l[i]); }
                sb.Append(']');
                break;
            case PyCallable c: sb.Append($"<built-in method {c.Name}>"); break;
            default: sb.Append(PyStr.Repr(v)); break;
        }
    }

    public static bool IsNum(object? v) => v is long or int or double or bool;
    public static bool IsInt(object? v) => v is long or int or bool;
    public static long L(object? v) => v switch { long l => l, int i => i, bool b => b ? 1 : 0, double d => (long)d, _ => 0 };
    public static double D(object? v) => v switch { long l => l, int i => i, bool b => b ? 1 : 0, double d => d, _ => 0 };

    public static bool Eq(object? a, object? b)
    {
        if (a is Undefined || b is Undefined) return ReferenceEquals(a, b);
        if (a is null || b is null) return a is null && b is null;
        if (IsNum(a) && IsNum(b)) return IsInt(a) && IsInt(b) ? L(a) == L(b) : D(a) == D(b);
        if (a is string sa) return b is string sb && sa == sb;
        if (a is IReadOnlyDictionary<string, object?> da)
        {
            if (b is not IReadOnlyDictionary<string, object?> db || da.Count != db.Count) return false;
            foreach (var (k, v) in da) if (!db.TryGetValue(k, out var w) || !Eq(v, w)) return false;
            return true;
        }
        if (a is List<object?> la)
        {
            if (b is not List<object?> lb || la.Count != lb.Count) return false;
            for (var i = 0; i < la.Count; i++) if (!Eq(la[i], lb[i])) return false;
            return true;
        }
        return Equals(a, b);
    }

    /// <summary>Python ordering (&lt; &gt; &lt;= &gt;=): numbers, strings (code point order), lists lexicographically.</summary>
    public static int Cmp(object? a, object? b, string op = "<")
    {
        Check(a); Check(b);
        if (IsNum(a) && IsNum(b)) return IsInt(a) && IsInt(b) ? L(a).CompareTo(L(b)) : D(a).CompareTo(D(b));
        if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb) switch { < 0 => -1, 0 => 0, _ => 1 };
        if (a is List<object?> la && b is List<object?> lb)
        {
            for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
                if (!Eq(la[i], lb[i])) return Cmp(la[i], lb[i], op);
            return la.Count.CompareTo(lb.Count);
        }
        throw PythonError.TypeError($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    public static bool Contains(object? container, object? item)
    {
        Check(container); Check(item);
        return container switch
        {
            string s => item is string sub ? s.Contains(sub, StringComparison.Ordinal)
                : throw PythonError.TypeError($"'in <string>' requires string as left operand, not {TypeName(item)}"),
            IReadOnlyDictionary<string, object?> d => item is string k && d.ContainsKey(k),
            List<object?> l => l.Any(x => Eq(x, item)),
            _ => throw PythonError.TypeError($"argument of type '{TypeName(container)}' is not iterable"),
        };
    }

    /// <summary>Python iteration: list items, dict keys, string characters.</summary>
    public static List<object?> Iterate(object? v) => v switch
    {
        Undefined u => throw u.Error(),
        List<object?> l => l,
        IEnumerable<KeyValuePair<string, object?>> d => d.Select(kv => (object?)kv.Key).ToList(),
        string s => s.Select(c => (object?)c.ToString()).ToList(),
        _ => throw PythonError.TypeError($"'{TypeName(v)}' object is not iterable"),
    };

    public static object? Num(double d) => d;

    public static object? Binary(string op, object? a, object? b)
    {
        Check(a); Check(b);
        switch (op)
        {
            case "+":
                if (a is string s1 && b is string s2) return s1 + s2;
                if (a is List<object?> l1 && b is List<object?> l2) return l1.Concat(l2).ToList();
                if (IsNum(a) && IsNum(b)) return IsInt(a) && IsInt(b) ? (object)(L(a) + L(b)) : D(a) + D(b);
                break;
            case "-":
                if (a is DateTime da && b is DateTime db) return da - db;
                if (IsNum(a) && IsNum(b)) return IsInt(a) && IsInt(b) ? (object)(L(a) - L(b)) : D(a) - D(b);
                break;
            case "*":
                if (IsNum(a) && IsNum(b)) return IsInt(a) && IsInt(b) ? (object)(L(a) * L(b)) : D(a) * D(b);
                if (a is string rs && IsInt(b)) return string.Concat(Enumerable.Repeat(rs, (int)Math.Max(0, L(b))));
                if (a is List<object?> rl && IsInt(b)) return Enumerable.Repeat(rl, (int)Math.Max(0, L(b))).SelectMany(x => x).ToList();
                if (IsInt(a) && (b is string || b is List<object?>)) return Binary("*", b, a);
                break;
            case "/":
                if (IsNum(a) && IsNum(b)) { if (D(b) == 0) throw PythonError.ZeroDivision(IsInt(a) && IsInt(b) ? "division by zero" : "float division by zero"); return D(a) / D(b); }
                break;
            case "//":
                if (IsNum(a) && IsNum(b))
                {
                    if (D(b) == 0) throw PythonError.ZeroDivision(IsInt(a) && IsInt(b) ? "integer division or modulo by zero" : "float floor division by zero");
                    if (IsInt(a) && IsInt(b)) { var q = L(a) / L(b); if ((L(a) % L(b) != 0) && ((L(a) < 0) != (L(b) < 0))) q--; return q; }
                    return Math.Floor(D(a) / D(b));
                }
                break;
            case "%":
                if (a is string fmt) return Filters.PercentFormat(fmt, b);
                if (IsNum(a) && IsNum(b))
                {
                    if (D(b) == 0) throw PythonError.ZeroDivision(IsInt(a) && IsInt(b) ? "integer modulo by zero" : "float modulo");
                    if (IsInt(a) && IsInt(b)) { var r = L(a) % L(b); if (r != 0 && ((r < 0) != (L(b) < 0))) r += L(b); return r; }
                    var m = D(a) % D(b); if (m != 0 && ((m < 0) != (D(b) < 0))) m += D(b); return m;
                }
                break;
            case "**":
                if (IsNum(a) && IsNum(b))
                {
                    if (IsInt(a) && IsInt(b) && L(b) >= 0)
                    {
                        long r = 1, x = L(a);
                        for (var i = 0L; i < L(b); i++) r = checked(r * x);
                        return r;
                    }
                    return Math.Pow(D(a), D(b));
                }
                break;
            case "~":
                return Str(a) + Str(b);
        }
        // Python's own wording: str + x and list + x say what they can concatenate, sequence * x what they can multiply by
        if (op == "+" && a is string or List<object?> && a.GetType() != b?.GetType())
            throw PythonError.TypeError($"can only concatenate {TypeName(a)} (not \"{TypeName(b)}\") to {TypeName(a)}");
        if (op == "*" && (a is string or List<object?> || b is string or List<object?>))
            throw PythonError.TypeError($"can't multiply sequence by non-int of type '{TypeName(a is string or List<object?> ? b : a)}'");
        var sym = op == "**" ? "** or pow()" : op;
        throw PythonError.TypeError($"unsupported operand type(s) for {sym}: '{TypeName(a)}' and '{TypeName(b)}'");
    }

    /// <summary>Ansible's finalize for printed values: None prints as "" (templar _finalize).</summary>
    public static object? Finalize(object? v) => v is null ? "" : v;

    public static string Fmt(double d) => PyStr.Float(d);
    public static string Inv(long l) => l.ToString(CultureInfo.InvariantCulture);
}

using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Jinja 3.1 and Ansible 2.14 tests (`x is name(args)`): https://jinja.palletsprojects.com/en/3.1.x/templates/#list-of-builtin-tests
/// and https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_tests.html. Result tests
/// (failed/succeeded/changed/skipped and aliases) read a registered result dict; truthy/falsy as Ansible's core tests. Only defined/undefined
/// accept an undefined value; any other test on it raises the undefined error.
/// </summary>
internal static class Tests
{
    /// <summary>
    /// Ansible's truthy test (plugins/test/core.py): Python's truth of the value; with convert_bool a value that
    /// convert_bool.boolean knows (y/yes/on/1/true/t, n/no/off/0/false/f, any case, or 1/0) is that boolean first.
    /// </summary>
    private static bool Truthy(object? v, object? convertBool)
    {
        if (convertBool is not null && PyOps.Truthy(convertBool))
        {
            var word = v is string s ? s.Trim().ToLowerInvariant() : v is long or int or double ? PyOps.Str(v) : null;
            if (word is "y" or "yes" or "on" or "1" or "1.0" or "true" or "t") return true;
            if (word is "n" or "no" or "off" or "0" or "0.0" or "false" or "f") return false;
        }
        return PyOps.Truthy(v);
    }

    public static bool Apply(string name, object? v, List<object?> pos, Dictionary<string, object?> kw, RenderContext ctx)
    {
        if (name == "defined") return v is not Undefined;
        if (name == "undefined") return v is Undefined;
        PyOps.Check(v);
        foreach (var p in pos) PyOps.Check(p);
        object? A(int i, string k = "") => i < pos.Count ? pos[i] : kw.TryGetValue(k, out var x) ? x : null;
        switch (name)
        {
            case "none": return v is null;
            case "string": return v is string;
            case "number": return PyOps.IsNum(v);
            case "integer": return v is long or int;
            case "float": return v is double;
            case "boolean": return v is bool;
            case "mapping": return v is IReadOnlyDictionary<string, object?>;
            case "iterable": return v is string or List<object?> or IReadOnlyDictionary<string, object?>;
            case "sequence": return v is string or List<object?> or IReadOnlyDictionary<string, object?>;
            case "callable": return v is PyCallable;
            case "truthy": return Truthy(v, A(0, "convert_bool"));
            case "falsy": return !Truthy(v, A(0, "convert_bool"));
            case "true": return v is true;
            case "false": return v is false;
            case "in": return PyOps.Contains(A(0, "seq"), v);
            case "contains": return PyOps.Contains(v, A(0, "value"));
            case "match": return Regex(v, A(0, "pattern"), kw, "match");
            case "search": return Regex(v, A(0, "pattern"), kw, "search");
            case "regex": return Regex(v, A(0, "pattern"), kw, kw.TryGetValue("match_type", out var mt) ? PyOps.Str(mt) : "search");
            case "equalto" or "eq" or "==" or "sameas": return PyOps.Eq(v, A(0));
            case "ne" or "!=": return !PyOps.Eq(v, A(0));
            case "lt" or "<" or "lessthan": return PyOps.Cmp(v, A(0), "<") < 0;
            case "gt" or ">" or "greaterthan": return PyOps.Cmp(v, A(0), ">") > 0;
            case "le" or "<=": return PyOps.Cmp(v, A(0), "<=") <= 0;
            case "ge" or ">=": return PyOps.Cmp(v, A(0), ">=") >= 0;
            case "odd": return PyOps.L(Num(v)) % 2 != 0;
            case "even": return PyOps.L(Num(v)) % 2 == 0;
            case "divisibleby": return PyOps.L(Num(v)) % PyOps.L(Num(A(0, "num"))) == 0;
            case "lower": return PyOps.Str(v) == PyOps.Str(v).ToLowerInvariant();
            case "upper": return PyOps.Str(v) == PyOps.Str(v).ToUpperInvariant();
            case "failed" or "failure": return Flag(Result(v, name), "failed");
            case "succeeded" or "success" or "successful": return !Flag(Result(v, name), "failed");
            case "changed" or "change":
            {
                var r = Result(v, name);
                if (r.TryGetValue("results", out var rs) && rs is List<object?> list && !r.ContainsKey("changed"))
                    return list.Any(x => x is IReadOnlyDictionary<string, object?> xd && Flag(xd, "changed"));
                return Flag(r, "changed");
            }
            case "skipped" or "skip": return Flag(Result(v, name), "skipped");
            case "finished": return !Result(v, name).TryGetValue("finished", out var fin) || Filters.ToBool(fin) || fin is long and not 0;
            case "subset": return PyOps.Iterate(v).All(x => PyOps.Contains(A(0, "b"), x));
            case "superset": return PyOps.Iterate(A(0, "b")).All(x => PyOps.Contains(v, x));
            case "any": return PyOps.Iterate(v).Any(PyOps.Truthy);
            case "all": return PyOps.Iterate(v).All(PyOps.Truthy);
            case "exists": return File.Exists(Expand(v)) || Directory.Exists(Expand(v));
            case "file": return File.Exists(Expand(v));
            case "directory": return Directory.Exists(Expand(v));
            case "link": return new FileInfo(Expand(v)).LinkTarget is not null;
            case "abs": return PyOps.Str(v).StartsWith('/');
            case "version" or "version_compare":
                return VersionTest.Compare(v, A(0, "version"), A(1, "operator"), A(2, "strict"), A(3, "version_type"));
        }
        throw new TemplateError($"template error while templating string: Could not load \"{name}\": '{name}'");
    }

    private static object? Num(object? v) => PyOps.IsNum(v) ? v : throw new TemplateError($"unsupported operand type(s) for %: '{PyOps.TypeName(v)}' and 'int'");

    private static string Expand(object? v)
    {
        var s = PyOps.Str(v);
        return s == "~" || s.StartsWith("~/") ? Environment.GetEnvironmentVariable("HOME") + s[1..] : s;
    }

    private static IReadOnlyDictionary<string, object?> Result(object? v, string name) =>
        v as IReadOnlyDictionary<string, object?> ?? throw new TemplateError($"The '{name}' test expects a dictionary");

    private static bool Flag(IReadOnlyDictionary<string, object?> r, string key) => r.TryGetValue(key, out var x) && Data.Truthy(x);

    private static bool Regex(object? v, object? pattern, Dictionary<string, object?> kw, string type)
    {
        var ic = kw.TryGetValue("ignorecase", out var icv) && PyOps.Truthy(icv);
        var ml = kw.TryGetValue("multiline", out var mlv) && PyOps.Truthy(mlv);
        var p = PyOps.Str(pattern);
        p = type switch { "match" => "\\G(?:" + p + ")", "fullmatch" => "\\G(?:" + p + ")\\z", _ => p };
        return Filters.PyRegex(p, ic, ml).IsMatch(PyOps.Str(v));
    }

}

using System.Text;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Python methods callable on values inside templates, as Jinja exposes them
/// (https://docs.python.org/3/library/stdtypes.html): dict keys/values/items/get/copy,
/// str split/rsplit/startswith/endswith/strip/lstrip/rstrip/lower/upper/capitalize/title/replace/
/// format/join/find/count/splitlines/isdigit/isalpha/zfill, list index/count/append/extend.
/// </summary>
internal static class Methods
{
    /// <summary>The bound method <paramref name="name"/> of <paramref name="obj"/>, or null when it has none.</summary>
    public static PyCallable? For(object? obj, string name) => obj switch
    {
        IReadOnlyDictionary<string, object?> d => DictMethod(d, name),
        string s => StrMethod(s, name),
        List<object?> l => ListMethod(l, name),
        _ => null,
    };

    private static object? Arg(List<object?> a, int i, object? def = null) => i < a.Count ? PyOps.Check(a[i]) : def;

    private static PyCallable? DictMethod(IReadOnlyDictionary<string, object?> d, string name) => name switch
    {
        "keys" => new(name, (_, _) => d.Keys.Select(k => (object?)k).ToList()),
        "values" => new(name, (_, _) => d.Values.ToList()),
        "items" => new(name, (_, _) => d.Select(kv => (object?)new PyTuple(new[] { kv.Key, kv.Value })).ToList()),
        "get" => new(name, (a, _) => d.TryGetValue(PyOps.Str(Arg(a, 0)), out var v) ? v : Arg(a, 1)),
        "copy" => new(name, (_, _) => new Dict(d)),
        "update" when d is Dict md => new(name, (a, kw) =>
        {
            if (Arg(a, 0) is IReadOnlyDictionary<string, object?> o) foreach (var (k, v) in o) md[k] = v;
            foreach (var (k, v) in kw) md[k] = v;
            return null;
        }),
        _ => null,
    };

    private static PyCallable? ListMethod(List<object?> l, string name) => name switch
    {
        "index" => new(name, (a, _) =>
        {
            var i = l.FindIndex(x => PyOps.Eq(x, Arg(a, 0)));
            return i >= 0 ? (long)i : throw new TemplateError($"{PyStr.Repr(Arg(a, 0))} is not in list");
        }),
        "count" => new(name, (a, _) => (long)l.Count(x => PyOps.Eq(x, Arg(a, 0)))),
        "append" => new(name, (a, _) => { l.Add(Arg(a, 0)); return null; }),
        "extend" => new(name, (a, _) => { l.AddRange(PyOps.Iterate(Arg(a, 0))); return null; }),
        _ => null,
    };

    private static PyCallable? StrMethod(string s, string name) => name switch
    {
        "split" => new(name, (a, kw) => Split(s, Arg(a, 0, kw.GetValueOrDefault("sep")) as string, PyOps.L(Arg(a, 1, kw.GetValueOrDefault("maxsplit") ?? -1L)), false)),
        "rsplit" => new(name, (a, kw) => Split(s, Arg(a, 0, kw.GetValueOrDefault("sep")) as string, PyOps.L(Arg(a, 1, kw.GetValueOrDefault("maxsplit") ?? -1L)), true)),
        "startswith" => new(name, (a, _) => Prefixes(Arg(a, 0)).Any(p => s.StartsWith(p, StringComparison.Ordinal))),
        "endswith" => new(name, (a, _) => Prefixes(Arg(a, 0)).Any(p => s.EndsWith(p, StringComparison.Ordinal))),
        "strip" => new(name, (a, _) => Arg(a, 0) is string cs ? s.Trim(cs.ToCharArray()) : s.Trim()),
        "lstrip" => new(name, (a, _) => Arg(a, 0) is string cs ? s.TrimStart(cs.ToCharArray()) : s.TrimStart()),
        "rstrip" => new(name, (a, _) => Arg(a, 0) is string cs ? s.TrimEnd(cs.ToCharArray()) : s.TrimEnd()),
        "lower" => new(name, (_, _) => s.ToLowerInvariant()),
        "upper" => new(name, (_, _) => s.ToUpperInvariant()),
        "capitalize" => new(name, (_, _) => Filters.Capitalize(s)),
        "title" => new(name, (_, _) => Filters.Title(s)),
        "replace" => new(name, (a, _) => Replace(s, PyOps.Str(Arg(a, 0)), PyOps.Str(Arg(a, 1)), a.Count > 2 ? PyOps.L(Arg(a, 2)) : -1)),
        "format" => new(name, (a, kw) => Filters.BraceFormat(s, a, kw)),
        "join" => new(name, (a, _) => string.Join(s, PyOps.Iterate(Arg(a, 0)).Select(PyOps.Str))),
        "find" => new(name, (a, _) => (long)s.IndexOf(PyOps.Str(Arg(a, 0)), StringComparison.Ordinal)),
        "count" => new(name, (a, _) => (long)CountOf(s, PyOps.Str(Arg(a, 0)))),
        "splitlines" => new(name, (_, _) => s.Split('\n').Select(x => x.TrimEnd('\r')).Take(s.EndsWith('\n') ? s.Count(c => c == '\n') : s.Count(c => c == '\n') + 1).Select(x => (object?)x).ToList()),
        "isdigit" => new(name, (_, _) => s.Length > 0 && s.All(char.IsDigit)),
        "isalpha" => new(name, (_, _) => s.Length > 0 && s.All(char.IsLetter)),
        "isalnum" => new(name, (_, _) => s.Length > 0 && s.All(char.IsLetterOrDigit)),
        "zfill" => new(name, (a, _) => s.PadLeft((int)PyOps.L(Arg(a, 0)), '0')),
        _ => null,
    };

    private static IEnumerable<string> Prefixes(object? a) => a is List<object?> l ? l.Select(PyOps.Str) : new[] { PyOps.Str(a) };

    private static int CountOf(string s, string sub)
    {
        if (sub.Length == 0) return s.Length + 1;
        int n = 0, i = 0;
        while ((i = s.IndexOf(sub, i, StringComparison.Ordinal)) >= 0) { n++; i += sub.Length; }
        return n;
    }

    /// <summary>str.replace(old, new[, count]).</summary>
    public static string Replace(string s, string old, string nw, long count = -1)
    {
        if (count < 0) return old.Length == 0 ? string.Concat(s.Select(c => nw + c)) + nw : s.Replace(old, nw, StringComparison.Ordinal);
        var sb = new StringBuilder();
        var i = 0;
        while (count-- > 0)
        {
            var j = s.IndexOf(old, i, StringComparison.Ordinal);
            if (j < 0) break;
            sb.Append(s, i, j - i).Append(nw);
            i = j + old.Length;
        }
        return sb.Append(s, i, s.Length - i).ToString();
    }

    /// <summary>Python str.split / str.rsplit: no separator splits on runs of whitespace.</summary>
    public static List<object?> Split(string s, string? sep, long max, bool fromRight)
    {
        List<string> parts;
        if (sep is null)
        {
            var words = s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
            if (max < 0 || words.Count <= max + 1) parts = words;
            else if (!fromRight)
            {
                // keep the rest of the string after the max-th split, with leading whitespace removed
                var rest = s.TrimStart();
                parts = new List<string>();
                for (var k = 0; k < max; k++)
                {
                    var idx = rest.IndexOfAny(new[] { ' ', '\t', '\n', '\r', '\f', '\v' });
                    parts.Add(rest[..idx]);
                    rest = rest[idx..].TrimStart();
                }
                parts.Add(rest);
            }
            else
            {
                var rest = s.TrimEnd();
                parts = new List<string>();
                for (var k = 0; k < max; k++)
                {
                    var idx = rest.LastIndexOfAny(new[] { ' ', '\t', '\n', '\r', '\f', '\v' });
                    parts.Insert(0, rest[(idx + 1)..]);
                    rest = rest[..idx].TrimEnd();
                }
                parts.Insert(0, rest);
            }
        }
        else
        {
            if (sep.Length == 0) throw new TemplateError("empty separator");
            var all = s.Split(sep);
            if (max < 0 || all.Length <= max + 1) parts = all.ToList();
            else if (!fromRight) parts = all.Take((int)max).Append(string.Join(sep, all.Skip((int)max))).ToList();
            else parts = new[] { string.Join(sep, all.Take(all.Length - (int)max)) }.Concat(all.Skip(all.Length - (int)max)).ToList();
        }
        return parts.Select(p => (object?)p).ToList();
    }
}

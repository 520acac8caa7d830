using System.Globalization;
using System.Text;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Ansible 2.14 and Jinja 3.1 filters with Python's exact outputs
/// (https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_filters.html,
/// https://jinja.palletsprojects.com/en/3.1.x/templates/#list-of-builtin-filters).
/// Core value filters live here; text, collection and data-format filters in the partial files.
/// An unknown filter is "Could not load \"name\"" (Ansible's wording); an undefined input raises
/// its undefined error except for default/d/mandatory.
/// </summary>
internal static partial class Filters
{
    private delegate object? Fn(object? v, FilterArgs a);

    private static readonly Dictionary<string, Fn> Registry = Build();

    public static bool Exists(string name) => Registry.ContainsKey(name);

    public static object? Apply(string name, object? v, List<object?> pos, Dictionary<string, object?> kw, RenderContext ctx)
    {
        if (!Registry.TryGetValue(name, out var fn))
            throw new TemplateError($"template error while templating string: Could not load \"{name}\": '{name}'");
        if (name is not ("default" or "d" or "mandatory")) PyOps.Check(v);
        // default's fallback is lazy, as Jinja's: an undefined one only matters when it is used.
        if (name is not ("default" or "d"))
        {
            foreach (var p in pos) PyOps.Check(p);
            foreach (var p in kw.Values) PyOps.Check(p);
        }
        return fn(v, new FilterArgs(name, pos, kw, ctx));
    }

    private static Dictionary<string, Fn> Build()
    {
        var r = new Dictionary<string, Fn>(StringComparer.Ordinal)
        {
            ["default"] = Default, ["d"] = Default,
            ["mandatory"] = (v, a) => v is Undefined u
                ? throw new TemplateError(a.Get(0, "msg") is { } m ? PyOps.Str(m) : $"Mandatory variable '{u.Name}'  not defined.")
                : v,
            ["bool"] = (v, _) => ToBool(v),
            ["int"] = (v, a) => ToInt(v, a.Get(0, "default", 0L), a.Long(1, "base", 10)),
            ["float"] = (v, a) => ToFloat(v, a.Get(0, "default", 0.0)),
            ["string"] = (v, _) => PyOps.Str(v),
            ["safe"] = (v, _) => v,
            ["ternary"] = (v, a) => v is null && a.Get(2, "none_val") is { } nv ? nv : PyOps.Truthy(v) ? a.Get(0, "true_val") : a.Get(1, "false_val"),
            ["type_debug"] = (v, _) => PyOps.TypeName(v),
            ["list"] = (v, _) => PyOps.Iterate(v).ToList(),
            ["items"] = (v, _) => v is IReadOnlyDictionary<string, object?> d
                ? d.Select(kv => (object?)new PyTuple(new[] { kv.Key, kv.Value })).ToList()
                : throw new TemplateError("Can only get item pairs from a mapping."),
            ["abs"] = (v, _) => PyOps.IsInt(v) ? (object)Math.Abs(PyOps.L(v)) : PyOps.IsNum(v) ? Math.Abs(PyOps.D(v)) : throw new TemplateError($"bad operand type for abs(): '{PyOps.TypeName(v)}'"),
            ["round"] = (v, a) => Round(v, (int)a.Long(0, "precision", 0), a.Str(1, "method", "common")!),
            ["dict2items"] = (v, a) => v is IReadOnlyDictionary<string, object?> d
                ? d.Select(kv => (object?)new Dict { [a.Str(0, "key_name", "key")!] = kv.Key, [a.Str(1, "value_name", "value")!] = kv.Value }).ToList()
                : throw new TemplateError($"dict2items requires a dictionary, got {PyOps.TypeName(v)} instead."),
            ["items2dict"] = ItemsToDict,
            ["combine"] = Combine,
            ["format"] = (v, a) => PercentFormat(PyOps.Str(v), a.Pos.Count == 1 ? a.Pos[0] : new PyTuple(a.Pos)),
        };
        AddText(r);
        AddCollections(r);
        AddData(r);
        AddMore(r);
        AddQuery(r);
        AddTime(r);
        AddRandom(r);
        AddDateTime(r);
        AddNet(r);
        return r;
    }

    private static object? Default(object? v, FilterArgs a)
    {
        var def = a.Get(0, "default_value", "");
        if (v is Undefined || (a.Bool(1, "boolean") && !PyOps.Truthy(v))) return def;
        return v;
    }

    /// <summary>Ansible's bool filter (to_bool): true for True, 1 and the strings yes/on/1/true (any case).</summary>
    public static bool ToBool(object? v) => v switch
    {
        bool b => b,
        null => false,
        string s => s.ToLowerInvariant() is "yes" or "on" or "1" or "true",
        _ => PyOps.IsNum(v) && PyOps.D(v) == 1,
    };

    /// <summary>Jinja's int filter: int(str, base), else int(float(value)), else the default.</summary>
    public static object? ToInt(object? v, object? def, long @base)
    {
        if (v is string s)
        {
            if (TryParseInt(s, (int)@base, out var n)) return n;
            return TryParseFloat(s, out var f) && !double.IsNaN(f) && !double.IsInfinity(f) ? (long)Math.Truncate(f) : def;
        }
        if (v is bool b) return b ? 1L : 0L;
        if (PyOps.IsInt(v)) return PyOps.L(v);
        if (v is double d) return double.IsNaN(d) || double.IsInfinity(d) ? def : (long)Math.Truncate(d);
        return def;
    }

    /// <summary>Python int(text, base): surrounding whitespace, sign, underscores, 0x/0o/0b prefixes for base 0 or that base.</summary>
    public static bool TryParseInt(string s, int @base, out long n)
    {
        n = 0;
        var t = s.Trim();
        var neg = false;
        if (t.StartsWith('+') || t.StartsWith('-')) { neg = t[0] == '-'; t = t[1..]; }
        var lower = t.ToLowerInvariant();
        if (lower.Length > 2 && lower[0] == '0' && "xob".Contains(lower[1]))
        {
            var pb = lower[1] switch { 'x' => 16, 'o' => 8, _ => 2 };
            if (@base == 0 || @base == pb) { @base = pb; t = t[2..]; }
        }
        else if (@base == 0)
        {
            if (t.Length > 1 && t[0] == '0' && t.Trim('0', '_').Length > 0) return false;
            @base = 10;
        }
        if (t.Length == 0 || t.StartsWith('_') || t.EndsWith('_') || t.Contains("__")) return false;
        t = t.Replace("_", "");
        foreach (var c in t)
        {
            var dgt = char.IsDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (dgt >= @base) return false;
            n = checked(n * @base + dgt);
        }
        if (neg) n = -n;
        return true;
    }

    /// <summary>Python float(text): whitespace, inf/nan, exponents, underscores between digits.</summary>
    public static bool TryParseFloat(string s, out double d)
    {
        var t = s.Trim().Replace("_", "");
        var low = t.ToLowerInvariant().TrimStart('+', '-');
        if (low is "inf" or "infinity" or "nan")
        {
            d = low == "nan" ? double.NaN : t.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (t.Length == 0 || !(char.IsDigit(t[^1]) || t[^1] == '.')) { d = 0; return false; }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }

    private static object? ToFloat(object? v, object? def) => v switch
    {
        string s => TryParseFloat(s, out var d) ? d : def,
        bool b => b ? 1.0 : 0.0,
        _ when PyOps.IsNum(v) => PyOps.D(v),
        _ => def,
    };

    private static object? Round(object? v, int precision, string method)
    {
        var d = PyOps.D(v);
        var f = Math.Pow(10, precision);
        return method switch
        {
            "ceil" => Math.Ceiling(d * f) / f,
            "floor" => Math.Floor(d * f) / f,
            _ => Math.Round(d, Math.Clamp(precision, 0, 15), MidpointRounding.ToEven),
        };
    }

    private static object? ItemsToDict(object? v, FilterArgs a)
    {
        var kn = a.Str(0, "key_name", "key")!;
        var vn = a.Str(1, "value_name", "value")!;
        var r = new Dict();
        foreach (var it in PyOps.Iterate(v))
        {
            if (it is not IReadOnlyDictionary<string, object?> d || !d.ContainsKey(kn) || !d.ContainsKey(vn))
                throw new TemplateError($"items2dict requires a list of dictionaries with '{kn}' and '{vn}' keys, got {PyStr.Repr(it)} instead.");
            r[PyOps.Str(d[kn])] = d[vn];
        }
        return r;
    }

    /// <summary>Ansible's combine(*dicts, recursive=False, list_merge='replace'|'keep'|'append'|'prepend'|'append_rp'|'prepend_rp').</summary>
    private static object? Combine(object? v, FilterArgs a)
    {
        var recursive = a.Kw.TryGetValue("recursive", out var rv) && PyOps.Truthy(rv);
        var listMerge = a.Kw.TryGetValue("list_merge", out var lm) ? PyOps.Str(lm) : "replace";
        // combine(*terms): the terms flattened one level; one is returned as it is; the others merged from the last
        // (highest priority) back, each pair checked as merge_hash's _validate_mutable_mappings does
        var dicts = new List<object?>();
        foreach (var p in a.Pos.Prepend(v))
            if (p is List<object?> l) dicts.AddRange(l); else dicts.Add(p);
        if (dicts.Count == 0) return new Dict();
        if (dicts.Count == 1) return dicts[0];
        var result = dicts[^1];
        for (var i = dicts.Count - 2; i >= 0; i--)
        {
            var d = dicts[i];
            if (d is not IReadOnlyDictionary<string, object?> dd || result is not IReadOnlyDictionary<string, object?> rd)
                throw new TemplateError($"failed to combine variables, expected dicts but got a '{PyOps.TypeName(d)}' and a '{PyOps.TypeName(result)}': \n{PyStr.JsonDumps(d)}\n{PyStr.JsonDumps(result)}");
            result = Merge(dd, rd, recursive, listMerge);
        }
        return result;
    }

    private static Dict Merge(IReadOnlyDictionary<string, object?> x, IReadOnlyDictionary<string, object?> y, bool recursive, string listMerge)
    {
        var r = new Dict(x);
        foreach (var (k, yv) in y)
        {
            if (!r.TryGetValue(k, out var xv)) { r[k] = yv; continue; }
            if (recursive && xv is IReadOnlyDictionary<string, object?> xd && yv is IReadOnlyDictionary<string, object?> yd)
                r[k] = Merge(xd, yd, recursive, listMerge);
            else if (xv is List<object?> xl && yv is List<object?> yl)
                r[k] = listMerge switch
                {
                    "keep" => xl,
                    "append" => xl.Concat(yl).ToList(),
                    "prepend" => yl.Concat(xl).ToList(),
                    "append_rp" => xl.Where(e => !yl.Any(z => PyOps.Eq(z, e))).Concat(yl).ToList(),
                    "prepend_rp" => yl.Concat(xl.Where(e => !yl.Any(z => PyOps.Eq(z, e)))).ToList(),
                    _ => yl,
                };
            else r[k] = yv;
        }
        return r;
    }

    /// <summary>Python's printf-style "fmt % args" for %s %r %d %i %f %e %g %x %o %c %%, flags, width and precision.</summary>
    public static string PercentFormat(string fmt, object? args)
    {
        var list = args is PyTuple t ? t.ToList() : new List<object?> { args };
        var sb = new StringBuilder();
        var ai = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            if (fmt[i] != '%') { sb.Append(fmt[i]); continue; }
            var j = i + 1;
            var flags = "";
            while (j < fmt.Length && "-+ 0#".Contains(fmt[j])) flags += fmt[j++];
            var ws = j; while (j < fmt.Length && char.IsDigit(fmt[j])) j++;
            var width = j > ws ? int.Parse(fmt[ws..j], CultureInfo.InvariantCulture) : 0;
            int? prec = null;
            if (j < fmt.Length && fmt[j] == '.') { j++; var ps = j; while (j < fmt.Length && char.IsDigit(fmt[j])) j++; prec = j > ps ? int.Parse(fmt[ps..j], CultureInfo.InvariantCulture) : 0; }
            if (j >= fmt.Length) throw new TemplateError("incomplete format");
            var conv = fmt[j];
            i = j;
            if (conv == '%') { sb.Append('%'); continue; }
            if (ai >= list.Count) throw new TemplateError("not enough arguments for format string");
            var v = list[ai++];
            string s = conv switch
            {
                's' => PyOps.Str(v),
                'r' => PyOps.Repr(v),
                'd' or 'i' or 'u' => PyOps.IsNum(v) ? PyOps.Inv((long)Math.Truncate(PyOps.D(v))) : throw new TemplateError($"%{conv} format: a real number is required, not {PyOps.TypeName(v)}"),
                'f' or 'F' => PyOps.D(v).ToString("F" + (prec ?? 6), CultureInfo.InvariantCulture),
                'e' => PyOps.D(v).ToString((prec ?? 6) == 0 ? "0e+00" : "0." + new string('0', prec ?? 6) + "e+00", CultureInfo.InvariantCulture),
                'g' => PyOps.D(v).ToString("G" + (prec ?? 6), CultureInfo.InvariantCulture),
                'x' => PyOps.L(v).ToString("x", CultureInfo.InvariantCulture),
                'X' => PyOps.L(v).ToString("X", CultureInfo.InvariantCulture),
                'o' => Convert.ToString(PyOps.L(v), 8),
                'c' => v is string cs ? cs : ((char)PyOps.L(v)).ToString(),
                _ => throw new TemplateError($"unsupported format character '{conv}'"),
            };
            if (conv is 's' or 'r' && prec is not null && s.Length > prec) s = s[..prec.Value];
            if (flags.Contains('+') && conv is 'd' or 'i' or 'f' && !s.StartsWith('-')) s = "+" + s;
            if (s.Length < width)
                s = flags.Contains('-') ? s.PadRight(width) : flags.Contains('0') && conv is not ('s' or 'r') ? (s.StartsWith('-') ? "-" + s[1..].PadLeft(width - 1, '0') : s.PadLeft(width, '0')) : s.PadLeft(width);
            sb.Append(s);
        }
        if (ai < list.Count && args is PyTuple) throw new TemplateError("not all arguments converted during string formatting");
        return sb.ToString();
    }

    /// <summary>Python's str.format for {} / {0} / {name} fields with an optional :spec (fill, align, width, .precision f/d).</summary>
    public static string BraceFormat(string fmt, List<object?> args, Dictionary<string, object?> kw)
    {
        var sb = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var c = fmt[i];
            if (c == '{' && i + 1 < fmt.Length && fmt[i + 1] == '{') { sb.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < fmt.Length && fmt[i + 1] == '}') { sb.Append('}'); i++; continue; }
            if (c != '{') { sb.Append(c); continue; }
            var end = fmt.IndexOf('}', i);
            if (end < 0) throw new TemplateError("Single '{' encountered in format string");
            var field = fmt[(i + 1)..end];
            i = end;
            var colon = field.IndexOf(':');
            var spec = colon >= 0 ? field[(colon + 1)..] : "";
            var key = colon >= 0 ? field[..colon] : field;
            var dot = key.IndexOf('.');
            var attr = dot >= 0 ? key[(dot + 1)..] : null;
            if (dot >= 0) key = key[..dot];
            object? v = key.Length == 0 ? (auto < args.Count ? args[auto++] : throw new TemplateError("Replacement index out of range"))
                : int.TryParse(key, out var idx) ? (idx < args.Count ? args[idx] : throw new TemplateError($"Replacement index {idx} out of range"))
                : kw.TryGetValue(key, out var kv) ? kv : throw new TemplateError($"'{key}'");
            if (attr is not null) v = Evaluator.GetAttr(v, attr);
            sb.Append(FormatSpec(v, spec));
        }
        return sb.ToString();
    }

    private static string FormatSpec(object? v, string spec)
    {
        if (spec.Length == 0) return PyOps.Str(v);
        var m = System.Text.RegularExpressions.Regex.Match(spec, @"^(?:(.)?([<>^=]))?([+\- ])?(0)?(\d+)?(,)?(?:\.(\d+))?([sdfeEgGxXob%])?$");
        if (!m.Success) return PyOps.Str(v);
        var fill = m.Groups[1].Success ? m.Groups[1].Value[0] : (m.Groups[4].Success ? '0' : ' ');
        var align = m.Groups[2].Success ? m.Groups[2].Value : (v is string ? "<" : ">");
        var width = m.Groups[5].Success ? int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture) : 0;
        int? prec = m.Groups[7].Success ? int.Parse(m.Groups[7].Value, CultureInfo.InvariantCulture) : null;
        var type = m.Groups[8].Value;
        var s = type switch
        {
            "f" => PyOps.D(v).ToString("F" + (prec ?? 6), CultureInfo.InvariantCulture),
            "d" => PyOps.Inv(PyOps.L(v)),
            "x" => PyOps.L(v).ToString("x", CultureInfo.InvariantCulture),
            "%" => (PyOps.D(v) * 100).ToString("F" + (prec ?? 6), CultureInfo.InvariantCulture) + "%",
            _ => prec is not null && v is string str && str.Length > prec ? str[..prec.Value] : prec is not null && v is double dd ? dd.ToString("G" + prec, CultureInfo.InvariantCulture) : PyOps.Str(v),
        };
        if (m.Groups[6].Success && long.TryParse(s, out var grp)) s = grp.ToString("N0", CultureInfo.InvariantCulture);
        if (s.Length >= width) return s;
        var pad = width - s.Length;
        return align switch
        {
            "<" => s + new string(fill, pad),
            "^" => new string(fill, pad / 2) + s + new string(fill, pad - pad / 2),
            _ => new string(fill, pad) + s,
        };
    }
}

using System.Security.Cryptography;
using Runner.Engine.Values;
using System.Text;
using System.Text.RegularExpressions;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// String, regular-expression and path filters (Ansible's core.py/urls, Jinja's string filters,
/// Python's os.path and shlex.quote: https://docs.python.org/3/library/os.path.html).
/// Python regex syntax ((?P&lt;n&gt;..), \1 / \g&lt;n&gt; in replacements) is translated to .NET's.
/// </summary>
internal static partial class Filters
{
    private static void AddText(Dictionary<string, Fn> r)
    {
        r["lower"] = (v, _) => PyOps.Str(v).ToLowerInvariant();
        r["comment"] = Comment;
        r["upper"] = (v, _) => PyOps.Str(v).ToUpperInvariant();
        r["capitalize"] = (v, _) => Capitalize(PyOps.Str(v));
        r["title"] = (v, _) => Title(PyOps.Str(v));
        r["trim"] = (v, a) => a.Str(0, "chars") is { } cs ? PyOps.Str(v).Trim(cs.ToCharArray()) : PyOps.Str(v).Trim();
        r["replace"] = (v, a) => Methods.Replace(PyOps.Str(v), a.Str(0, "old")!, a.Str(1, "new")!, a.Long(2, "count", -1));
        r["regex_replace"] = (v, a) =>
        {
            var re = PyRegex(a.Str(0, "pattern", "")!, a.Bool(2, "ignorecase"), a.Bool(3, "multiline"));
            var count = (int)a.Long(4, "count", 0);
            return re.Replace(PyOps.Str(v), PyReplacement(a.Str(1, "replacement", "")!), count == 0 ? -1 : count);
        };
        r["regex_search"] = RegexSearch;
        r["regex_findall"] = (v, a) =>
        {
            var re = PyRegex(a.Str(0, "regex", "")!, a.Bool(1, "ignorecase"), a.Bool(2, "multiline"));
            var groups = re.GetGroupNumbers().Length - 1;
            return re.Matches(PyOps.Str(v)).Select(m => groups == 0 ? m.Value
                : groups == 1 ? m.Groups[1].Value
                : (object?)new PyTuple(Enumerable.Range(1, groups).Select(g => (object?)m.Groups[g].Value))).ToList();
        };
        r["regex_escape"] = (v, _) => RegexEscape(PyOps.Str(v));
        r["split"] = (v, a) => Methods.Split(PyOps.Str(v), a.Str(0, "sep"), a.Long(1, "maxsplit", -1), false);
        r["join"] = (v, a) =>
        {
            var items = PyOps.Iterate(v);
            if (a.Str(1, "attribute") is { } at) items = items.Select(x => Attr(x, at)).ToList();
            return string.Join(a.Str(0, "d", "")!, items.Select(x => PyOps.Str(PyOps.Check(x))));
        };
        r["basename"] = (v, _) => { var s = PyOps.Str(v); return s[(s.LastIndexOf('/') + 1)..]; };
        r["dirname"] = (v, _) => Dirname(PyOps.Str(v));
        r["realpath"] = (v, _) => RealPath(PyOps.Str(v));
        r["expanduser"] = (v, _) => { var s = PyOps.Str(v); return s == "~" || s.StartsWith("~/") ? Environment.GetEnvironmentVariable("HOME") + s[1..] : s; };
        r["splitext"] = (v, _) => Splitext(PyOps.Str(v));
        r["quote"] = (v, _) => ShQuote(v is null ? "" : PyOps.Str(v));
        r["wordcount"] = (v, _) => (long)Regex.Matches(PyOps.Str(v), @"\w+").Count;
        r["indent"] = Indent;
        r["b64encode"] = (v, _) => Convert.ToBase64String(Encoding.UTF8.GetBytes(PyOps.Str(v)));
        r["b64decode"] = (v, _) =>
        {
            return Encoding.UTF8.GetString(PyErrors.B64Decode(PyOps.Str(v)));
        };
        r["hash"] = (v, a) => Hash(PyOps.Str(v), a.Str(0, "hashtype", "sha1")!);
        r["checksum"] = (v, _) => Hash(PyOps.Str(v), "sha1");
        r["md5"] = (v, _) => Hash(PyOps.Str(v), "md5");
        r["sha1"] = (v, _) => Hash(PyOps.Str(v), "sha1");
        r["password_hash"] = (v, a) => PasswordHash(PyOps.Str(v), a.Str(0, "hashtype", "sha512")!, a.Str(1, "salt"), a.Get(3, "rounds"));
        r["truncate"] = (v, a) =>
        {
            var s = PyOps.Str(v);
            var len = (int)a.Long(0, "length", 255);
            var end = a.Str(2, "end", "...")!;
            if (s.Length <= len + (int)a.Long(3, "leeway", 5)) return s;
            if (a.Bool(1, "killwords")) return s[..(len - end.Length)] + end;
            var cut = s[..(len - end.Length)];
            var sp = cut.LastIndexOf(' ');
            return (sp > 0 ? cut[..sp] : cut) + end;
        };
        r["center"] = (v, a) => { var s = PyOps.Str(v); var w = (int)a.Long(0, "width", 80); var pad = Math.Max(0, w - s.Length); var left = pad / 2 + (pad & w & 1); return new string(' ', left) + s + new string(' ', pad - left); };
    }

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    /// <summary>Jinja's title filter: each word (split at whitespace, -, (, {, [, &lt;) is capitalized.</summary>
    public static string Title(string s)
    {
        var parts = Regex.Split(s, @"([-\s\(\{\[\<]+)");
        return string.Concat(parts.Select(p => p.Length > 0 && !Regex.IsMatch(p, @"^[-\s\(\{\[\<]+$") ? char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant() : p));
    }

    /// <summary>A .NET Regex for a Python re pattern (named groups and backreferences translated).</summary>
    public static Regex PyRegex(string pattern, bool ignoreCase = false, bool multiline = false)
    {
        var p = Regex.Replace(pattern, @"\(\?P<(\w+)>", "(?<$1>");
        p = Regex.Replace(p, @"\(\?P=(\w+)\)", @"\k<$1>");
        p = p.Replace(@"\Z", @"\z");
        var opts = RegexOptions.CultureInvariant;
        if (ignoreCase) opts |= RegexOptions.IgnoreCase;
        if (multiline) opts |= RegexOptions.Multiline;
        try { return new Regex(p, opts, TimeSpan.FromSeconds(5)); }
        catch (ArgumentException e) { throw PyErrors.ReError(pattern, e); }
    }

    /// <summary>A Python re replacement (\1, \g&lt;1&gt;, \g&lt;name&gt;, \n, \\) as a .NET substitution.</summary>
    public static string PyReplacement(string repl)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < repl.Length; i++)
        {
            var c = repl[i];
            if (c == '$') { sb.Append("$$"); continue; }
            if (c != '\\' || i + 1 >= repl.Length) { sb.Append(c); continue; }
            var n = repl[i + 1];
            if (char.IsDigit(n))
            {
                var j = i + 1;
                while (j < repl.Length && j < i + 3 && char.IsDigit(repl[j])) j++;
                sb.Append("${").Append(repl[(i + 1)..j]).Append('}');
                i = j - 1;
            }
            else if (n == 'g' && i + 2 < repl.Length && repl[i + 2] == '<')
            {
                var close = repl.IndexOf('>', i);
                sb.Append("${").Append(repl[(i + 3)..close]).Append('}');
                i = close;
            }
            else
            {
                sb.Append(n switch { 'n' => "\n", 't' => "\t", 'r' => "\r", '\\' => "\\", _ => "\\" + n });
                i++;
            }
        }
        return sb.ToString();
    }

    /// <summary>regex_search: the match (or None), or with '\\N' / '\\g&lt;name&gt;' arguments the list of those groups.</summary>
    private static object? RegexSearch(object? v, FilterArgs a)
    {
        var re = PyRegex(a.Str(0, "regex", "")!, a.Kw.TryGetValue("ignorecase", out var ic) && PyOps.Truthy(ic), a.Kw.TryGetValue("multiline", out var ml) && PyOps.Truthy(ml));
        var m = re.Match(PyOps.Str(v));
        if (!m.Success) return null;
        if (a.Pos.Count <= 1) return m.Value;
        var res = new List<object?>();
        foreach (var g in a.Pos.Skip(1).Select(PyOps.Str))
        {
            var gm = Regex.Match(g, @"^\\(\d+)$|^\\g<(\w+)>$");
            if (!gm.Success) throw new TemplateError($"Unknown argument {g}");
            res.Add(gm.Groups[1].Success ? m.Groups[int.Parse(gm.Groups[1].Value)].Value : m.Groups[gm.Groups[2].Value].Value);
        }
        return res;
    }

    /// <summary>Python re.escape: backslash before ()[]{}?*+-|^$\.&amp;~# and whitespace.</summary>
    public static string RegexEscape(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s)
        {
            if ("()[]{}?*+-|^$\\.&~# \t\n\r\v\f".Contains(c)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Dirname(string s)
    {
        var i = s.LastIndexOf('/') + 1;
        var head = s[..i];
        return head.Length > 0 && head.Trim('/').Length > 0 ? head.TrimEnd('/') : head;
    }

    private static string RealPath(string s)
    {
        var full = Path.GetFullPath(s);
        try
        {
            var fi = new FileInfo(full);
            if (fi.Exists || Directory.Exists(full))
            {
                var target = fi.ResolveLinkTarget(true);
                if (target is not null) return target.FullName;
            }
        }
        catch (IOException) { }
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static PyTuple Splitext(string p)
    {
        var slash = p.LastIndexOf('/');
        var dot = p.LastIndexOf('.');
        if (dot > slash)
        {
            var fileStart = slash + 1;
            while (fileStart < dot && p[fileStart] == '.') fileStart++;
            if (fileStart < dot) return new PyTuple(new object?[] { p[..dot], p[dot..] });
        }
        return new PyTuple(new object?[] { p, "" });
    }

    /// <summary>Python shlex.quote.</summary>
    public static string ShQuote(string s)
    {
        if (s.Length == 0) return "''";
        if (s.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./-_".Contains(c))) return s;
        return "'" + s.Replace("'", "'\"'\"'") + "'";
    }

    /// <summary>Jinja 3.1's indent(width=4, first=False, blank=False): empty lines stay unindented unless blank.</summary>
    private static object? Indent(object? v, FilterArgs a)
    {
        var w = a.Get(0, "width", 4L);
        var pad = w is string ws ? ws : new string(' ', (int)PyOps.L(w));
        var lines = PyLines.Split(PyOps.Str(v) + "\n");
        string rv;
        if (a.Bool(2, "blank")) rv = string.Join("\n" + pad, lines);
        else
        {
            rv = lines[0];
            if (lines.Count > 1) rv += "\n" + string.Join("\n", lines.Skip(1).Select(l => l.Length > 0 ? pad + l : l));
        }
        return a.Bool(1, "first") ? pad + rv : rv;
    }


    private static string Hash(string s, string type)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        byte[] h = type switch
        {
            "sha1" => SHA1.HashData(bytes),
            "md5" => MD5.HashData(bytes),
            "sha256" => SHA256.HashData(bytes),
            "sha384" => SHA384.HashData(bytes),
            "sha512" => SHA512.HashData(bytes),
            _ => throw new TemplateError($"unsupported hash type {type}"),
        };
        return Convert.ToHexString(h).ToLowerInvariant();
    }

    private static string PasswordHash(string pw, string type, string? salt, object? rounds)
    {
        var r = rounds is null ? (int?)null : (int)PyOps.L(rounds);
        salt ??= ShaCrypt.RandomSalt(16);
        return type switch
        {
            "sha512" or "sha512_crypt" => ShaCrypt.Sha512Crypt(pw, salt, r),
            "sha256" or "sha256_crypt" => ShaCrypt.Sha256Crypt(pw, salt, r),
            _ => throw new TemplateError($"password_hash: unsupported hash type {type}"),
        };
    }
}

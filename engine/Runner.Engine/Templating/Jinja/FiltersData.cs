using System.Text;
using System.Text.Json;
using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Data-format filters: to_json (insertion order, ensure_ascii), to_nice_json (indent=4, sorted keys),
/// from_json, to_yaml (PyYAML default_flow_style=None), to_nice_yaml (indent=4, block style),
/// from_yaml and Jinja's tojson (sorted keys, HTML-safe escapes). Behaviour of Python's json module
/// (https://docs.python.org/3/library/json.html) and PyYAML as Ansible calls them.
/// </summary>
internal static partial class Filters
{
    private static void AddData(Dictionary<string, Fn> r)
    {
        // json.dumps' keyword arguments as Ansible's filters pass them through (ensure_ascii, indent, sort_keys, separators)
        r["to_json"] = (v, a) => Json(v, a, a.Bool(-1, "sort_keys"), a.Get(-1, "indent") is { } i ? (int)PyOps.L(i) : null);
        r["to_nice_json"] = (v, a) => Json(v, a, a.Bool(-1, "sort_keys", true), (int)a.Long(0, "indent", 4));
        r["tojson"] = (v, a) => PyStr.JsonDumps(Plain(v), true, a.Get(0, "indent") is { } i ? (int)PyOps.L(i) : null)
            .Replace("<", "\\u003c").Replace(">", "\\u003e").Replace("&", "\\u0026").Replace("'", "\\u0027");
        r["from_json"] = (v, _) =>
        {
            try { using var doc = JsonDocument.Parse(PyOps.Str(v)); return Data.FromJson(doc.RootElement); }
            catch (JsonException e) { throw PyJsonErrors.For(PyOps.Str(v)) ?? PythonError.ValueError(e.Message, "json.decoder.JSONDecodeError"); }
        };
        r["to_yaml"] = (v, a) => YamlDump.Dump(Plain(v), (int)a.Long(-1, "indent", 2), !a.Kw.TryGetValue("default_flow_style", out var fs) || fs is null, a.Bool(-1, "sort_keys", true));
        r["to_nice_yaml"] = (v, a) => YamlDump.Dump(Plain(v), (int)a.Long(0, "indent", 4), false, a.Bool(-1, "sort_keys", true));
        r["from_yaml"] = (v, _) =>
        {
            try { return v is string s ? YamlLoader.Load(s, "<from_yaml>") : v; }
            catch (RunnerException e) { throw PyErrors.Yaml(e); }
        };
    }

    /// <summary>Tuples become lists (as json/yaml write them).</summary>
    private static object? Plain(object? v) => v switch
    {
        PyTuple t => t.Select(Plain).ToList(),
        List<object?> l => l.Select(Plain).ToList(),
        Dict d => new Dict(d.Select(kv => new KeyValuePair<string, object?>(kv.Key, Plain(kv.Value)))),
        _ => v,
    };

    private static string Json(object? v, FilterArgs a, bool sortKeys, int? indent)
    {
        (string, string)? separators = a.Get(-1, "separators") is { } sep && PyOps.Iterate(sep).Select(PyOps.Str).ToList() is [var item, var key] ? (item, key) : null;
        var text = PyStr.JsonDumps(Plain(v), sortKeys, indent, separators);
        return a.Bool(-1, "ensure_ascii", true) ? Ascii(text) : text;
    }

    /// <summary>json.dumps' ensure_ascii=True: every non-ASCII UTF-16 unit as \uXXXX.</summary>
    private static string Ascii(string s)
    {
        if (s.All(c => c < 0x80)) return s;
        var sb = new StringBuilder();
        foreach (var c in s) if (c < 0x80) sb.Append(c); else sb.Append($"\\u{(int)c:x4}");
        return sb.ToString();
    }

}

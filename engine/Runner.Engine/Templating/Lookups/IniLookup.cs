using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// ini (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/ini_lookup.html): a key's value in a
/// section (global) of an INI file (ansible.ini, searched in files/), read as Python's configparser: keys are
/// lower-cased unless case_sensitive, "key = value" or "key: value", # and ; comments, indented continuation
/// lines, [DEFAULT] seen in every section, %(name)s interpolation. type=properties reads a Java properties file.
/// re=True returns every value whose key matches. Options also inline ("key section=s file=f"). A missing key
/// is default (""). Errors (AnsibleLookupError): "No section 'S' in FILE", "Duplicate option in 'FILE': ...".
/// </summary>
internal sealed class IniLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "ini" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var param = new Dictionary<string, object?>
        {
            ["type"] = "ini", ["file"] = "ansible.ini", ["section"] = "global", ["re"] = false, ["encoding"] = "utf-8",
            ["default"] = "", ["case_sensitive"] = false, ["allow_no_value"] = false,
        };
        foreach (var (k, v) in call.Options)
            param[k == "allow_none" ? "allow_no_value" : k] = param.ContainsKey(k) || k == "allow_none" ? v : throw new LookupOptionsError($"Invalid option {k} for ini lookup");
        var ret = new List<object?>();
        foreach (var t in terms)
        {
            var term = PyOps.Str(t);
            var key = term;
            if (term.Contains('=') || term.Trim().Contains(' '))
            {
                var updated = false;
                foreach (var p in Params(term, param.Keys))
                {
                    if (p.Contains('='))
                    {
                        var parts = p.Split('=');
                        if (parts.Length != 2) throw new LookupFailedError($"Could not use '{p}' from '{term}': too many values to unpack (expected 2)");
                        if (!param.ContainsKey(parts[0])) throw new LookupFailedError($"{parts[0]} is not a valid option.");
                        param[parts[0]] = parts[1];
                    }
                    else if (key == term) { key = p; updated = true; }
                }
                if (!updated) throw new LookupOptionsError($"No key to lookup was provided as first term with in string inline options: {term}");
            }
            var file = PyOps.Str(param["file"]);
            var path = call.Find(file);
            // not found, ansible-core's loader is asked for None
            if (path is null || !File.Exists(path)) throw new TemplateError($"Invalid filename: '{(path is null ? "None" : file)}'") { AnsibleClass = "ansible.errors.AnsibleParserError" };
            var text = File.ReadAllText(path, Encoding.GetEncoding(PyOps.Str(param["encoding"])));
            var section = PyOps.Str(param["section"]);
            if (PyOps.Str(param["type"]) == "properties") { text = "[java_properties]\n" + text; section = "java_properties"; }
            var caseSensitive = Filters.ToBool(param["case_sensitive"]);
            var ini = Parse(text, caseSensitive, file);
            if (!ini.TryGetValue(section, out var values)) throw new LookupFailedError($"No section '{section}' in {file}");
            var defaults = ini.GetValueOrDefault("DEFAULT") ?? new();
            string? Get(string k) => values.TryGetValue(k, out var v) ? v : defaults.GetValueOrDefault(k);
            if (Filters.ToBool(param["re"]))
            {
                var re = new Regex(key);
                foreach (var k in values.Keys.Concat(defaults.Keys.Where(k => !values.ContainsKey(k))))
                    if (re.Match(k) is { Success: true, Index: 0 }) ret.Add(Interpolate(Get(k), Get));
            }
            else
            {
                var k = caseSensitive ? key : key.ToLowerInvariant();
                var v = Get(k);
                ret.Add(v is null && !values.ContainsKey(k) ? param["default"] : Interpolate(v, Get));
            }
        }
        return ret.Where(x => x is not null).ToList();
    }

    /// <summary>ini's _parse_params: words, a k=v word starts option k, following plain words join the current one.</summary>
    private static List<string> Params(string term, IEnumerable<string> valid)
    {
        var keys = new List<string>();
        var values = new Dictionary<string, string>();
        var current = "key";
        var words = term.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i].Contains('='))
                foreach (var k in valid) if (words[i].Contains(k + "=")) current = k;
            if (i == 0 || !values.TryGetValue(current, out var have) || have.Length == 0) { values[current] = words[i]; keys.Add(current); }
            else values[current] = have + " " + words[i];
        }
        return keys.Select(k => values[k]).ToList();
    }

    /// <summary>configparser's reading: sections of key/value pairs, in file order.</summary>
    private static Dictionary<string, IniSection> Parse(string text, bool caseSensitive, string file)
    {
        var result = new Dictionary<string, IniSection>();
        IniSection? section = null;
        string? last = null;
        var lineNo = 0;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd();
            var stripped = line.TrimStart();
            if (stripped.Length == 0 || stripped[0] is '#' or ';') { if (stripped.Length == 0) last = null; continue; }
            if (last is not null && section is not null && line.Length > stripped.Length)
            {
                section[last] = section[last] + "\n" + stripped;
                continue;
            }
            if (stripped.StartsWith('[') && stripped.IndexOf(']') is var close and > 0)
            {
                var name = stripped[1..close];
                if (!result.TryGetValue(name, out section)) result[name] = section = new IniSection();
                last = null;
                continue;
            }
            if (section is null)
                throw new LookupFailedError($"File contains no section headers.\nfile: '<???>', line: {lineNo}\n'{raw}'");
            var sep = stripped.IndexOfAny(new[] { '=', ':' });
            var key = (sep < 0 ? stripped : stripped[..sep]).Trim();
            if (!caseSensitive) key = key.ToLowerInvariant();
            if (section.ContainsKey(key))
                throw new LookupFailedError($"Duplicate option in '{file}': While reading from '<???>' [line {lineNo,2}]: option '{key}' in section already exists");
            section[key] = sep < 0 ? null : stripped[(sep + 1)..].Trim();
            last = key;
        }
        return result;
    }

    private static string? Interpolate(string? v, Func<string, string?> get, int depth = 0) =>
        v is null || depth > 10 ? v : Regex.Replace(v, @"%\((\w+)\)s|%%", m =>
            m.Value == "%%" ? "%" : Interpolate(get(m.Groups[1].Value.ToLowerInvariant()), get, depth + 1) ?? "");
}

/// <summary>One section's keys and values, in file order (a key without value is null, allow_no_value).</summary>
internal sealed class IniSection : OrderedDictionary<string, string?>
{
    public IniSection() : base(StringComparer.Ordinal) { }
}

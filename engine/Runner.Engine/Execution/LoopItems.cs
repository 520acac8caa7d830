using System.Globalization;
using System.Text.RegularExpressions;
using Runner.Engine.Errors;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>
/// Expands a task's `loop:` or `with_X:` into its items, as Ansible's loop and lookup plugins do
/// (docs: "Loops"; lookup plugins items, list, dict, sequence, nested, together, indexed_items,
/// subelements, fileglob, lines... with_items flattens one level, loop does not).
/// Errors: <see cref="RunnerException"/> for a loop that is not a list; <see cref="TemplateError"/> from templating.
/// </summary>
public static class LoopItems
{
    /// <summary>The items, templated.</summary>
    public static List<object?> Expand(object? loop, string? with, Templar templar, IVariableScope scope)
    {
        var value = templar.Template(loop, scope);
        if (with is null)
        {
            return value switch
            {
                List<object?> l => l,
                _ => throw new RunnerException(
                    $"Invalid data passed to 'loop', it requires a list, got this instead: {PyStr.Str(value)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup."),
            };
        }
        switch (with)
        {
            case "items":
            {
                var list = value is List<object?> l ? l : new List<object?> { value };
                var flat = new List<object?>();
                foreach (var x in list)
                    if (x is List<object?> inner) flat.AddRange(inner); else flat.Add(x);
                return flat;
            }
            case "list":
                return value is List<object?> ll ? ll : new List<object?> { value };
            case "flattened":
                return Flatten(value);
            case "dict":
                if (value is not IEnumerable<KeyValuePair<string, object?>> dict)
                    throw new RunnerException($"with_dict expects a dict, got {PyStr.Str(value)}");
                return dict.Select(kv => (object?)new Dict { ["key"] = kv.Key, ["value"] = kv.Value }).ToList();
            case "indexed_items":
                return (value as List<object?> ?? new()).Select((x, i) => (object?)new List<object?> { (long)i, x }).ToList();
            case "sequence":
                return Sequence(PyStr.Str(value));
            case "nested" or "cartesian":
            {
                var lists = (value as List<object?> ?? new()).Select(x => x as List<object?> ?? new List<object?> { x }).ToList();
                IEnumerable<List<object?>> acc = new[] { new List<object?>() };
                foreach (var l in lists) acc = acc.SelectMany(prefix => l.Select(x => new List<object?>(prefix) { x }));
                return acc.Select(x => (object?)x).ToList();
            }
            case "together":
            {
                var lists = (value as List<object?> ?? new()).Select(x => x as List<object?> ?? new List<object?> { x }).ToList();
                var n = lists.Count == 0 ? 0 : lists.Max(l => l.Count);
                return Enumerable.Range(0, n).Select(i => (object?)lists.Select(l => i < l.Count ? l[i] : null).ToList()).ToList();
            }
            case "subelements":
            {
                var args = value as List<object?> ?? new();
                var list = args.ElementAtOrDefault(0) as List<object?> ?? new();
                var key = PyStr.Str(args.ElementAtOrDefault(1));
                var result = new List<object?>();
                foreach (var x in list)
                    if (x is Dict d && d.GetValueOrDefault(key) is List<object?> sub)
                        foreach (var s in sub) result.Add(new List<object?> { d, s });
                return result;
            }
            case "fileglob":
            {
                var patterns = value is List<object?> pl ? pl.Select(PyStr.Str) : new[] { PyStr.Str(value) };
                var result = new List<object?>();
                foreach (var p in patterns)
                {
                    var full = Path.IsPathRooted(p) ? p : Path.Combine(scope.SearchPaths.FirstOrDefault() ?? ".", "files", p);
                    var dir = Path.GetDirectoryName(full)!;
                    if (Directory.Exists(dir))
                        result.AddRange(Directory.GetFiles(dir, Path.GetFileName(full)).OrderBy(f => f, StringComparer.Ordinal));
                }
                return result;
            }
            case "lines":
                return PyStr.Str(value).Split('\n', StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList();
            case "first_found":
            {
                var names = value is List<object?> fl ? fl.Select(PyStr.Str) : new[] { PyStr.Str(value) };
                foreach (var n in names)
                    foreach (var dir in scope.SearchPaths)
                        foreach (var c in new[] { Path.Combine(dir, "files", n), Path.Combine(dir, n) })
                            if (File.Exists(c)) return new List<object?> { c };
                throw new RunnerException("No file was found when using first_found.");
            }
            default:
                throw new RunnerException($"lookup plugin ({with}) not found", key: "with_" + with);
        }
    }

    private static List<object?> Flatten(object? v)
    {
        var r = new List<object?>();
        if (v is List<object?> l) foreach (var x in l) r.AddRange(Flatten(x));
        else r.Add(v);
        return r;
    }

    /// <summary>with_sequence: "start=1 end=3 stride=1 format=n%02d" or the shortcut "[start-]end[/stride][:format]".</summary>
    public static List<object?> Sequence(string spec)
    {
        long start = 1, end = 0, stride = 1;
        long? count = null;
        var format = "%d";
        var m = Regex.Match(spec.Trim(), @"^(?:(-?\d+)-)?(-?\d+)(?:/(-?\d+))?(?::(.+))?$");
        if (m.Success && !spec.Contains('='))
        {
            if (m.Groups[1].Success) start = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            end = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (m.Groups[3].Success) stride = long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            if (m.Groups[4].Success) format = m.Groups[4].Value;
        }
        else
        {
            foreach (var word in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = word.Split('=', 2);
                if (kv.Length != 2) continue;
                switch (kv[0])
                {
                    case "start": start = ParseNum(kv[1]); break;
                    case "end": end = ParseNum(kv[1]); break;
                    case "stride": stride = ParseNum(kv[1]); break;
                    case "count": count = ParseNum(kv[1]); break;
                    case "format": format = kv[1]; break;
                }
            }
        }
        if (count is not null) end = start + (count.Value - 1) * stride;
        var items = new List<object?>();
        if (stride == 0) return items;
        for (var i = start; stride > 0 ? i <= end : i >= end; i += stride)
            items.Add(FormatPrintf(format, i));
        return items;
    }

    private static long ParseNum(string s) =>
        s.StartsWith("0x") ? Convert.ToInt64(s[2..], 16) : s.StartsWith("0o") ? Convert.ToInt64(s[2..], 8) : long.Parse(s, CultureInfo.InvariantCulture);

    private static string FormatPrintf(string format, long value) =>
        Regex.Replace(format, @"%(0?)(\d*)([dixXo])", m =>
        {
            var text = m.Groups[3].Value switch
            {
                "x" => value.ToString("x"),
                "X" => value.ToString("X"),
                "o" => Convert.ToString(value, 8),
                _ => value.ToString(CultureInfo.InvariantCulture),
            };
            var width = m.Groups[2].Value.Length > 0 ? int.Parse(m.Groups[2].Value) : 0;
            return text.PadLeft(width, m.Groups[1].Value == "0" ? '0' : ' ');
        });
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Cli;

/// <summary>
/// ansible-doc's plain-text page (ansible-core 2.14, lib/ansible/cli/doc.py get_man_text and add_fields) for the
/// entry <see cref="DocJson.Of"/> builds:
/// <code>
/// > COLLECTION.NAME    (FILENAME)
///
///         description, wrapped
///
/// OPTIONS (= is mandatory):
///
/// - option            ("=" when required)
///         description paragraphs, wrapped
///         aliases/choices/default/elements/type: YAML flow values, keys sorted ("default: null" when none)
///
/// NOTES: / RETURN VALUES: (returned, sample, type)
/// </code>
/// Text is wrapped at max(columns - 8, 70) with an 8-space indent, markup turned into ansible-doc's tty forms.
/// </summary>
public static partial class DocText
{
    private const string Indent = "        ";

    /// <summary>The page of one module; <paramref name="columns"/> is the terminal width (79 off a terminal, as Ansible's Display).</summary>
    public static string Page(Dict entry, int columns = 79)
    {
        var doc = (Dict)entry["doc"]!;
        var limit = Math.Max(columns - Indent.Length, 70);
        var text = new List<string>
        {
            $"> {(PyStr.Str(doc["collection"]) + "." + PyStr.Str(doc["module"])).ToUpperInvariant()}    ({PyStr.Str(doc["filename"])})\n",
            Fill(TtyIfy(string.Join(" ", Strings(doc["description"]))), limit, Indent, Indent) + "\n",
        };
        if (doc.GetValueOrDefault("options") is Dict { Count: > 0 } options)
        {
            text.Add("OPTIONS (= is mandatory):\n");
            AddFields(text, options, limit, returnValues: false);
            text.Add("");
        }
        if (doc.GetValueOrDefault("notes") is List<object?> { Count: > 0 } notes)
        {
            text.Add("NOTES:");
            foreach (var n in notes) text.Add(Fill(TtyIfy(PyStr.Str(n)), limit - 6, Indent[..^2] + "* ", Indent));
            text.Add("");
        }
        if (entry.GetValueOrDefault("return") is Dict { Count: > 0 } returns)
        {
            text.Add("RETURN VALUES:");
            AddFields(text, returns, limit, returnValues: true);
        }
        return string.Join("\n", text);
    }

    private static void AddFields(List<string> text, Dict fields, int limit, bool returnValues)
    {
        foreach (var name in fields.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var opt = new Dict((Dict)fields[name]!);
            var required = opt.Remove("required", out var r) && r is true;
            text.Add($"{(required ? "=" : "-")} {name}");
            foreach (var p in Strings(opt.GetValueOrDefault("description"))) text.Add(Fill(TtyIfy(p), limit, Indent, Indent));
            opt.Remove("description");
            if (!required && !returnValues && !opt.ContainsKey("default")) opt["default"] = null;
            foreach (var k in opt.Keys.OrderBy(k => k, StringComparer.Ordinal))
                text.Add(Indent + k + ": " + Yaml(opt[k]));
            text.Add("");
        }
    }

    private static IEnumerable<string> Strings(object? v) => v switch
    {
        null => Array.Empty<string>(),
        List<object?> l => l.Select(x => PyStr.Str(x)),
        _ => new[] { PyStr.Str(v) },
    };

    [GeneratedRegex(@"\bI\(([^)]+)\)")] private static partial Regex Italic();
    [GeneratedRegex(@"\bB\(([^)]+)\)")] private static partial Regex Bold();
    [GeneratedRegex(@"\bM\(([^)]+)\)")] private static partial Regex ModuleRef();
    [GeneratedRegex(@"\bU\(([^)]+)\)")] private static partial Regex Url();
    [GeneratedRegex(@"\bL\(([^)]+), *([^)]+)\)")] private static partial Regex Link();
    [GeneratedRegex(@"\bC\(([^)]+)\)")] private static partial Regex Const();

    /// <summary>DocCLI.tty_ify: I(x) and C(x) as `x', B(x) as *x*, M(x) as [x], U(x) as x, L(t,u) as "t &lt;u&gt;".</summary>
    public static string TtyIfy(string text)
    {
        var t = Italic().Replace(text, "`$1'");
        t = Bold().Replace(t, "*$1*");
        t = ModuleRef().Replace(t, "[$1]");
        t = Url().Replace(t, "$1");
        t = Link().Replace(t, "$1 <$2>");
        return Const().Replace(t, "`$1'");
    }

    /// <summary>Python's textwrap.fill: greedy, at most <paramref name="width"/> characters a line including the
    /// indent, whitespace at the breaks dropped, words longer than a line cut.</summary>
    public static string Fill(string text, int width, string initialIndent, string subsequentIndent)
    {
        var chunks = Regex.Split(text.Replace('\n', ' ').Replace('\t', ' '), "( +)").Where(c => c.Length > 0).ToList();
        var lines = new List<string>();
        var line = new StringBuilder(initialIndent);
        var indentLength = initialIndent.Length;
        var empty = true;
        foreach (var chunk in chunks)
        {
            var isSpace = chunk[0] == ' ';
            if (empty && isSpace) continue;
            if (line.Length + chunk.Length <= width) { line.Append(chunk); empty &= isSpace; continue; }
            if (isSpace) continue;
            var word = chunk;
            if (!empty)
            {
                lines.Add(line.ToString().TrimEnd(' '));
                line = new StringBuilder(subsequentIndent);
                indentLength = subsequentIndent.Length;
            }
            while (indentLength + word.Length > width)
            {
                var room = Math.Max(width - indentLength, 1);
                lines.Add(line + word[..room]);
                word = word[room..];
                line = new StringBuilder(subsequentIndent);
                indentLength = subsequentIndent.Length;
            }
            line.Append(word);
            empty = false;
        }
        if (!empty) lines.Add(line.ToString().TrimEnd(' '));
        return string.Join("\n", lines);
    }

    /// <summary>A value as PyYAML's flow style writes it: null, true/false, numbers, plain or single-quoted strings,
    /// [lists] and {mappings}.</summary>
    public static string Yaml(object? v) => v switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int => Convert.ToString(v, CultureInfo.InvariantCulture)!,
        double d => PyStr.Float(d),
        List<object?> l => "[" + string.Join(", ", l.Select(Yaml)) + "]",
        Dict m => "{" + string.Join(", ", m.Select(kv => Yaml(kv.Key) + ": " + Yaml(kv.Value))) + "}",
        _ => Scalar(PyStr.Str(v)),
    };

    private static string Scalar(string s)
    {
        var plain = s.Length > 0 && YamlLoader.ResolvePlain(s) is string && s.Trim() == s
            && "-?:,[]{}#&*!|>'\"%@`".IndexOf(s[0]) < 0 && !s.Contains(": ") && !s.Contains(" #") && !s.EndsWith(':')
            && !s.Any(char.IsControl);
        return plain ? s : "'" + s.Replace("'", "''") + "'";
    }
}

using System.Text;
using Runner.Engine.Playbooks;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// csvfile (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/csvfile_lookup.html): the row whose
/// first column is the term's key (the words that are not k=v), column col (default 1) of it; options file
/// (ansible.csv, searched in files/), delimiter (TAB by default: the name is misleading), default, encoding, and
/// the same as inline k=v. Python csv's excel dialect: "quoted, ""doubled"" fields". Not found: default (none by default).
/// </summary>
internal sealed class CsvfileLookup : LookupPlugin
{
    private static readonly string[] Valid = { "col", "default", "delimiter", "file", "encoding" };

    public override IReadOnlyList<string> Names { get; } = new[] { "csvfile" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var ret = new List<object?>();
        var param = new Dictionary<string, object?>
        {
            ["col"] = "1", ["default"] = null, ["delimiter"] = "TAB", ["file"] = "ansible.csv", ["encoding"] = "utf-8",
        };
        foreach (var (k, v) in call.Options)
            param[k] = Valid.Contains(k) ? v : throw new LookupOptionsError($"Invalid option {k} for csvfile lookup");
        foreach (var t in terms)
        {
            var kv = KeyValueParser.Parse(PyOps.Str(t), true);
            if (!kv.TryGetValue("_raw_params", out var key)) throw new TemplateError("Search key is required but was not found");
            foreach (var (k, v) in kv)
                if (k != "_raw_params") param[k] = Valid.Contains(k) ? v : throw new TemplateError($"{k} is not a valid option");
            var delimiter = PyOps.Str(param["delimiter"]);
            if (delimiter is "TAB" or "\\t") delimiter = "\t";
            var file = PyOps.Str(param["file"]);
            var path = call.Find(file);
            // not found, ansible-core opens None
            if (path is null || !File.Exists(path)) throw new TemplateError($"csvfile: [Errno 2] No such file or directory: {(path is null ? "b'None'" : $"'{file}'")}");
            var value = Read(path, PyOps.Str(key), delimiter, Encoding.GetEncoding(PyOps.Str(param["encoding"])), Col(param["col"]))
                ?? param["default"];
            if (value is List<object?> l) ret.AddRange(l);
            else if (value is not null) ret.Add(value);
        }
        return ret;
    }

    private static int Col(object? v) => PyOps.IsInt(v) ? (int)PyOps.L(v)
        : int.TryParse(PyOps.Str(v), out var c) ? c : throw new TemplateError($"csvfile: invalid literal for int() with base 10: '{PyOps.Str(v)}'");

    private static string? Read(string path, string key, string delimiter, Encoding encoding, int col)
    {
        if (delimiter.Length != 1) throw new TemplateError("csvfile: \"delimiter\" must be a 1-character string");
        foreach (var row in Rows(File.ReadAllText(path, encoding), delimiter[0]))
            if (row.Count > 0 && row[0] == key)
                return col >= 0 && col < row.Count ? row[col] : throw new TemplateError("csvfile: list index out of range");
        return null;
    }

    /// <summary>Python csv.reader with the excel dialect (quotechar '"', doubled quotes, no initial-space skipping).</summary>
    internal static IEnumerable<List<string>> Rows(string text, char delimiter)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }
            if (c == '"' && field.Length == 0) { quoted = true; any = true; }
            else if (c == delimiter) { row.Add(field.ToString()); field.Clear(); any = true; }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                if (any || field.Length > 0) row.Add(field.ToString());
                yield return row;
                row = new List<string>(); field.Clear(); any = false;
            }
            else { field.Append(c); any = true; }
        }
        if (any || field.Length > 0) { row.Add(field.ToString()); yield return row; }
    }
}

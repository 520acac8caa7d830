namespace Runner.Engine.Facts;

/// <summary>
/// The facts probe's output (<see cref="FactsScript"/>) split into its records: <c>key=value</c> lines, file
/// contents, directory listings, symlink targets and command outputs. The accessors behave like the helpers
/// ansible-core's collectors use (lib/ansible/module_utils/facts/utils.py): <see cref="Content"/> is
/// get_file_content (stripped; null when missing or empty), <see cref="Lines"/> is get_file_lines.
/// </summary>
public sealed class ProbeOutput
{
    private const char Rs = '\u001e';
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _dirs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Rc, string Out)> _commands = new(StringComparer.Ordinal);

    /// <summary>Splits <paramref name="text"/> into records; unknown or malformed lines are ignored.</summary>
    public ProbeOutput(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length > 2 && line[0] == Rs && line[2] == ' ')
            {
                var head = line[3..];
                switch (line[1])
                {
                    case 'F': _files[head] = Block(lines, ref i, trimOneNewline: true); break;
                    case 'D': _dirs[head] = Block(lines, ref i, false).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList(); break;
                    case 'L':
                        var sp = head.LastIndexOf(' ');
                        if (sp > 0) _links[head[..sp]] = head[(sp + 1)..];
                        break;
                    case 'C':
                        var at = head.LastIndexOf(' ');
                        if (at > 0 && int.TryParse(head[(at + 1)..], out var rc)) _commands[head[..at]] = (rc, Block(lines, ref i, false));
                        else Block(lines, ref i, false);
                        break;
                }
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var k = line[..eq];
            if (!_values.TryGetValue(k, out var l)) _values[k] = l = new List<string>();
            l.Add(line[(eq + 1)..]);
        }
    }

    private static string Block(string[] lines, ref int i, bool trimOneNewline)
    {
        var sb = new System.Text.StringBuilder();
        var first = true;
        for (i++; i < lines.Length && lines[i] != Rs + "E"; i++)
        {
            if (!first) sb.Append('\n');
            sb.Append(lines[i]);
            first = false;
        }
        var s = sb.ToString();
        if (trimOneNewline && s.EndsWith('\n')) s = s[..^1];
        return s;
    }

    /// <summary>The last value of a <c>key=value</c> line, or "".</summary>
    public string Value(string key) => _values.TryGetValue(key, out var l) ? l[^1] : "";

    /// <summary>True when a <c>key=</c> line was printed.</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>Every value of a repeated key, in order.</summary>
    public IReadOnlyList<string> Values(string key) => _values.TryGetValue(key, out var l) ? l : Array.Empty<string>();

    /// <summary>The values every key had, for the raw-key parsers.</summary>
    public IReadOnlyDictionary<string, string> LastValues => _values.ToDictionary(kv => kv.Key, kv => kv.Value[^1], StringComparer.Ordinal);

    /// <summary>A file's raw content, or null when it was not dumped.</summary>
    public string? Raw(string path) => _files.TryGetValue(path, out var s) ? s : null;

    /// <summary>get_file_content: the stripped content, or null when missing or empty.</summary>
    public string? Content(string path) => Raw(path)?.Trim() is { Length: > 0 } s ? s : null;

    /// <summary>get_file_lines: the stripped content's lines, or none.</summary>
    public IReadOnlyList<string> Lines(string path) => Content(path)?.Split('\n') ?? Array.Empty<string>();

    /// <summary>True when the probe saw <paramref name="path"/> (a file, a directory, a link, or an exists= line).</summary>
    public bool Exists(string path) => _files.ContainsKey(path) || _dirs.ContainsKey(path) || _links.ContainsKey(path) || Values("exists").Contains(path);

    /// <summary>A directory's entries in readdir order, or null when it was not listed.</summary>
    public IReadOnlyList<string>? Dir(string path) => _dirs.TryGetValue(path, out var l) ? l : null;

    /// <summary>A symlink's target (readlink), or null.</summary>
    public string? Link(string path) => _links.TryGetValue(path, out var s) ? s : null;

    /// <summary>Every listed symlink whose path starts with <paramref name="prefix"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> LinksUnder(string prefix) => _links.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Every dumped file whose path starts with <paramref name="prefix"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> FilesUnder(string prefix) => _files.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>A command's exit code and stdout, or null when it was not run.</summary>
    public (int Rc, string Out)? Command(string name) => _commands.TryGetValue(name, out var c) ? c : null;

    /// <summary>Every command whose name starts with <paramref name="prefix"/>, in name order.</summary>
    public IEnumerable<(string Name, int Rc, string Out)> CommandsUnder(string prefix) =>
        _commands.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key[prefix.Length..], kv.Value.Rc, kv.Value.Out));

    /// <summary>json.loads of <paramref name="text"/> as Runner data (Dict, list, long, ...), or <paramref name="failed"/> = true.</summary>
    public static object? ParseJson(string text, out bool failed)
    {
        failed = false;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            return Runner.Engine.Values.Data.FromJson(doc.RootElement);
        }
        catch (System.Text.Json.JsonException) { failed = true; return null; }
    }

    /// <summary>The stdout of a command that exited 0, or null.</summary>
    public string? Ok(string name) => Command(name) is { Rc: 0 } c ? c.Out : null;
}

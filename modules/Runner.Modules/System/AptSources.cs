using System.Text;
using Runner.Engine.Values;
using System.Text.RegularExpressions;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// The one-line apt sources of a host as ansible-core 2.14's apt_repository reads and rewrites them (its SourcesList
/// class, modules/apt_repository.py): sources.list and the *.list files of sources.list.d, each line parsed into
/// (line number, valid, enabled, source, comment) and written back normalized ("# " for a disabled line, single spaces
/// in a valid source, " # comment"). Adding a source enables every disabled copy of it, else appends it to the file
/// named after its URL (or the filename option); removing it drops every enabled copy. Pure: the module reads the
/// files and writes what <see cref="Dump"/> gives. Deb822 .sources files are not read, as Ansible's module does not.
/// </summary>
internal sealed class AptSources
{
    private static readonly string[] Types = { "deb", "deb-src" };

    /// <summary>One line of a file: its number when read (or its place when added), and its parts.</summary>
    public sealed record Entry(int N, bool Valid, bool Enabled, string Source, string Comment);

    private readonly List<string> _order = new();
    private readonly Dictionary<string, List<Entry>> _files = new(StringComparer.Ordinal);

    /// <summary>The sources read from <paramref name="files"/> (path and text, in Ansible's order: sources.list first).</summary>
    /// <param name="partsDir">apt's Dir::Etc::sourceparts (with its trailing slash), where new files go.</param>
    public AptSources(string partsDir, IEnumerable<(string Path, string Text)> files)
    {
        PartsDir = partsDir;
        foreach (var (path, text) in files)
            Set(path, Lines(text).Select((l, n) => { var p = Parse(l); return new Entry(n, p.Valid, p.Enabled, p.Source, p.Comment); }).ToList());
    }

    /// <summary>sources.list.d as apt names it.</summary>
    public string PartsDir { get; }

    /// <summary>The files a source was appended to (the mode option applies to them).</summary>
    public HashSet<string> NewRepos { get; } = new(StringComparer.Ordinal);

    /// <summary>The paths known, in the order read or added.</summary>
    public IReadOnlyList<string> Paths => _order;

    /// <summary>The entries of <paramref name="path"/>.</summary>
    public IReadOnlyList<Entry> Entries(string path) => _files[path];

    private void Set(string path, List<Entry> entries)
    {
        if (!_files.ContainsKey(path)) _order.Add(path);
        _files[path] = entries;
    }

    /// <summary>A file's lines as Python's text mode reads them (universal newlines, the line ends dropped).</summary>
    private static IEnumerable<string> Lines(string text) => PyLines.Split(text, bytesOnly: true);

    /// <summary>
    /// SourcesList._parse: a leading '#' disables, the text after a later '#' is the comment, a line whose first word is
    /// deb or deb-src is a valid source (its words joined by single spaces). <paramref name="rest"/> is the line as
    /// Ansible names it in "Invalid repository string: ..." (after the '#' and the comment are cut).
    /// </summary>
    public static (bool Valid, bool Enabled, string Source, string Comment) Parse(string line, out string rest)
    {
        var (valid, enabled, comment) = (false, true, "");
        line = PyStrip(line);
        if (line.StartsWith('#')) { enabled = false; line = line[1..]; }
        var i = line.IndexOf('#');
        if (i > 0) { comment = PyStrip(line[(i + 1)..]); line = line[..i]; }
        rest = line;
        var source = PyStrip(line);
        if (source.Length > 0)
        {
            var chunks = Words(source);
            if (Types.Contains(chunks[0])) { valid = true; source = string.Join(' ', chunks); }
        }
        return (valid, enabled, source, comment);
    }

    private static (bool Valid, bool Enabled, string Source, string Comment) Parse(string line) => Parse(line, out _);

    /// <summary>Python's str.split(): words between runs of whitespace.</summary>
    private static string[] Words(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static string PyStrip(string s) => s.Trim();

    /// <summary>The source of <paramref name="repo"/> (add_source/remove_source's strict parse), or null with Ansible's message.</summary>
    public static string? Source(string repo, out string? error)
    {
        var (valid, enabled, source, _) = Parse(repo, out var rest);
        error = valid && enabled ? null : $"Invalid repository string: {rest}";
        return error is null ? source : null;
    }

    /// <summary>Every file's text as Ansible's dump(): files without lines left out.</summary>
    public Dictionary<string, string> Dump()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in _order)
            if (_files[path].Count > 0) d[path] = Render(_files[path]);
        return d;
    }

    private static string Render(IEnumerable<Entry> entries)
    {
        var sb = new StringBuilder();
        foreach (var e in entries)
        {
            if (!e.Enabled) sb.Append("# ");
            sb.Append(e.Source);
            if (e.Comment.Length > 0) sb.Append(" # ").Append(e.Comment);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The enabled valid sources (UbuntuSourcesList.repos_urls).</summary>
    public IEnumerable<string> EnabledSources() =>
        _order.SelectMany(p => _files[p]).Where(e => e.Valid && e.Enabled).Select(e => e.Source);

    /// <summary>
    /// _suggest_filename: the filename option plus ".list", else the first word after the type of
    /// <paramref name="line"/>, options ([...]), scheme and user:password@ dropped, its non-alphanumerics as
    /// underscores (runs joined), plus ".list". Null when the line has no such word (Ansible's IndexError).
    /// </summary>
    public static string? SuggestFilename(string line, string? filename)
    {
        line = Regex.Replace(line, @"\[[^\]]+\]", "");
        line = Regex.Replace(line, @"\w+://", "");
        var parts = Words(line).Where(p => !Types.Contains(p)).ToList();
        if (parts.Count == 0) return null;
        if (parts[0].Contains('@')) parts[0] = parts[0].Split('@', 2)[1];
        if (filename is not null) return filename + ".list";
        return string.Join('_', Words(Regex.Replace(parts[0], "[^a-zA-Z0-9]", " "))) + ".list";
    }

    /// <summary>_expand_path: a name with a slash as given, else its absolute path in sources.list.d.</summary>
    public string ExpandPath(string filename) => filename.Contains('/') ? filename : PyPath.NormPath(PartsDir + "/" + filename);

    /// <summary>_add_valid_source: enables every copy of <paramref name="source"/>, or appends it to <paramref name="filename"/>.</summary>
    public void Add(string source, string filename)
    {
        var found = false;
        foreach (var path in _order)
        {
            var entries = _files[path];
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                if (!e.Valid || e.Source != source) continue;
                entries[e.N] = entries[e.N] with { Enabled = true };
                found = true;
            }
        }
        if (found) return;
        var file = ExpandPath(filename);
        if (!_files.ContainsKey(file)) Set(file, new List<Entry>());
        var list = _files[file];
        list.Add(new Entry(list.Count, true, true, source, ""));
        NewRepos.Add(file);
    }

    /// <summary>
    /// _remove_valid_source: pops every enabled copy of <paramref name="source"/> by its line number while iterating, as
    /// Ansible does (a second copy in one file may then be skipped or another line removed, as there).
    /// </summary>
    public void Remove(string source)
    {
        foreach (var path in _order)
        {
            var entries = _files[path];
            for (var i = 0; i < entries.Count;)
            {
                var e = entries[i++];
                if (e.Valid && e.Source == source && e.Enabled && e.N < entries.Count) entries.RemoveAt(e.N);
            }
        }
    }
}

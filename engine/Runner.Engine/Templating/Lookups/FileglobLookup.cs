using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// fileglob (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/fileglob_lookup.html): files (not
/// folders) matching each pattern. A pattern with a folder part finds that folder in the search path (files/
/// first); a bare pattern is tried in each search path's files/ then the path itself, the first that matches
/// wins. Order is the folder's (Python's glob does not sort); no match is an empty list, never an error.
/// </summary>
internal sealed class FileglobLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "fileglob" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var ret = new List<object?>();
        foreach (var t in terms)
        {
            var term = PyOps.Str(t);
            var file = Path.GetFileName(term);
            var dirs = new List<string?>();
            if (file != term) dirs.Add(call.Find(Path.GetDirectoryName(term)!));
            else
                foreach (var p in call.Paths.Append(call.BaseDir).Distinct())
                {
                    dirs.Add(Path.Combine(p, "files"));
                    dirs.Add(p);
                }
            foreach (var dir in dirs)
            {
                if (dir is null || !Directory.Exists(dir)) continue;
                var found = Glob(dir, file);
                if (found.Count == 0) continue;
                ret.AddRange(found);
                break;
            }
        }
        return ret;
    }

    private static List<object?> Glob(string dir, string pattern)
    {
        var re = new Regex("^" + Translate(pattern) + "$", RegexOptions.CultureInvariant);
        return Directory.EnumerateFiles(dir)
            .Where(f => Path.GetFileName(f) is var n && re.IsMatch(n) && (!n.StartsWith('.') || pattern.StartsWith('.')))
            .Select(f => (object?)Path.Combine(dir, Path.GetFileName(f))).ToList();
    }

    /// <summary>fnmatch.translate: * ? [seq] [!seq].</summary>
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*') sb.Append(".*");
            else if (c == '?') sb.Append('.');
            else if (c == '[' && pattern.IndexOf(']', i + 1) is var end and > 0)
            {
                var body = pattern[(i + 1)..end];
                if (body.StartsWith('!')) body = "^" + body[1..];
                sb.Append('[').Append(body.Replace("\\", "\\\\")).Append(']');
                i = end;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}

using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// first_found (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/first_found_lookup.html), as
/// ansible-core 2.14's _process_terms: a string term uses the call's files=/paths= options, a dict term its own
/// (files, paths, skip); a list term is processed recursively. files are split on "," and ";", paths on ",", ":"
/// and ";"; with paths each path/file pair is searched; files alone REPLACE the names gathered so far (so
/// lookup('first_found', 'x', files=['y']) searches only y, and files= with no term searches nothing); with
/// neither the term itself is the name. Each name is templated (an undefined one is skipped) and searched in
/// the task executor's subdir (files, vars for include_vars, templates for template). Error (an
/// AnsibleLookupError): "No file was found when using first_found." unless skip is true (the last one read wins).
/// </summary>
internal sealed class FirstFoundLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "first_found" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var skip = false;
        var names = Process(terms, call, ref skip);
        foreach (var n in names)
        {
            string fn;
            try { fn = PyOps.Str(call.Template(n)); }
            catch (UndefinedVariableError) { continue; }
            if (call.Find(fn, call.Subdir, warnMissing: false) is { } path) return new List<object?> { path };
        }
        if (skip) return new List<object?>();
        throw new LookupFailedError("No file was found when using first_found.");
    }

    private static List<object?> Process(IEnumerable<object?> terms, LookupCall call, ref bool skip)
    {
        var total = new List<object?>();
        foreach (var term in terms)
        {
            IReadOnlyDictionary<string, object?> opts;
            switch (term)
            {
                case IReadOnlyDictionary<string, object?> d: opts = d; break;
                case string: opts = call.Options; break;
                case List<object?> l: total.AddRange(Process(l, call, ref skip)); continue;
                default:
                    throw new LookupFailedError($"Invalid term supplied, can handle string, mapping or list of strings but got: <class '{PyOps.TypeName(term)}'> for {PyOps.Str(term)}");
            }
            var files = Split(opts.GetValueOrDefault("files"), ",;");
            var paths = Split(opts.GetValueOrDefault("paths"), ",:;");
            skip = opts.TryGetValue("skip", out var s) && Filters.ToBool(s);
            if (paths.Count > 0)
                foreach (var p in paths) foreach (var f in files) total.Add(Path.Combine(p, f));
            else if (files.Count > 0)
                total = files.Cast<object?>().ToList();
            else
                total.Add(term);
        }
        return total;
    }

    /// <summary>_split_on: a string split on any of <paramref name="chars"/> (empty pieces kept), a list each item split.</summary>
    private static List<string> Split(object? v, string chars) => v switch
    {
        null => new(),
        string s => s.Split(chars.ToCharArray()).ToList(),
        List<object?> l => l.SelectMany(x => Split(x, chars)).ToList(),
        _ => new() { PyOps.Str(v) },
    };
}

using System.Globalization;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// What a lookup plugin sees of one call: the keyword options (set_options(direct=kwargs)), the variables,
/// the subdir the task executor set (first_found: "files", "vars" or "templates") and file search as
/// LookupBase.find_file_in_search_path.
/// </summary>
internal sealed class LookupCall
{
    public LookupCall(RenderContext ctx, Dictionary<string, object?> options, string subdir = "files")
    {
        Context = ctx;
        Options = options;
        Subdir = subdir;
    }

    public RenderContext Context { get; }
    public Dictionary<string, object?> Options { get; }
    /// <summary>The task executor's _subdir (with_first_found in include_vars is "vars").</summary>
    public string Subdir { get; }
    public IVariableScope Scope => Context.Scope;

    /// <summary>The loader's basedir: the playbook's folder (pipe and lines run there; password paths are relative to it).</summary>
    public string BaseDir => Context.TryLookup("playbook_dir", out var pd) && pd is string s && s.Length > 0
        ? s : Scope.SearchPaths.LastOrDefault() ?? Directory.GetCurrentDirectory();

    public object? Option(string name) => Options.GetValueOrDefault(name);
    public bool Has(string name) => Options.ContainsKey(name);
    public string? Str(string name, string? dflt = null) => Options.TryGetValue(name, out var v) && v is not null ? PyOps.Str(v) : dflt;
    public bool Bool(string name, bool dflt) => Options.TryGetValue(name, out var v) ? Filters.ToBool(v) : dflt;

    public long Int(string name, long dflt)
    {
        if (!Options.TryGetValue(name, out var v) || v is null) return dflt;
        if (PyOps.IsInt(v)) return PyOps.L(v);
        return long.TryParse(PyOps.Str(v), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
            : throw new LookupOptionsError($"Invalid type for configuration option {name}: {PyOps.Str(v)}");
    }

    /// <summary>Templates a value with the call's variables (failing on undefined).</summary>
    public object? Template(object? value) => Context.Templar.TemplateIn(value, Context);

    /// <summary>A variable's value, templated; false when undefined.</summary>
    public bool TryVariable(string name, out object? value) => Context.TryLookup(name, out value) && value is not PyCallable;

    /// <summary>
    /// find_file_in_search_path: the file (or folder) <paramref name="needle"/> in the task's search path, else null and,
    /// unless <paramref name="warnMissing"/> is false (ignore_missing), the warning "Unable to find 'X' in expected paths".
    /// </summary>
    public string? Find(string needle, string? subdir = null, bool warnMissing = true)
    {
        var found = SearchPath.Find(this, subdir ?? "files", needle);
        if (found is null && warnMissing) Context.Warn($"Unable to find '{needle}' in expected paths (use -vvvvv to see paths)");
        return found;
    }

    /// <summary>The search path: ansible_search_path (role, task folder, playbook folder), then a rendering template's own folder.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            var paths = new List<string>(Scope.SearchPaths);
            if (Context.SourcePath is { } sp && Path.GetDirectoryName(Path.GetFullPath(sp)) is { } sd && !paths.Contains(sd)) paths.Add(sd);
            return paths;
        }
    }
}

using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// The lookup plugins by name, used by both lookup()/query()/q() in templates (<see cref="Invoke"/>, as Ansible's
/// Templar._lookup) and with_NAME loops (<see cref="Loop"/>, as TaskExecutor._get_loop_items): one implementation each.
/// https://docs.ansible.com/ansible/2.14/plugins/lookup.html
/// </summary>
internal static class LookupRegistry
{
    private static readonly Dictionary<string, LookupPlugin> Plugins = Build(
        new FileLookup(), new UnvaultLookup(), new TemplateLookup(), new FirstFoundLookup(), new FileglobLookup(),
        new PipeLookup(), new LinesLookup(), new CsvfileLookup(), new IniLookup(),
        new VarsLookup(), new VarnamesLookup(), new EnvLookup(), new ConfigLookup(), new InventoryHostnamesLookup(),
        new ItemsLookup(), new ListLookup(), new FlattenedLookup(), new DictLookup(), new IndexedItemsLookup(),
        new TogetherLookup(), new NestedLookup(), new RandomChoiceLookup(), new SequenceLookup(), new SubelementsLookup(),
        new PasswordLookup(), new UrlLookup());

    private static Dictionary<string, LookupPlugin> Build(params LookupPlugin[] plugins)
    {
        var d = new Dictionary<string, LookupPlugin>(StringComparer.Ordinal);
        foreach (var p in plugins) foreach (var n in p.Names) d[n] = p;
        return d;
    }

    /// <summary>A plugin by name (ansible.builtin.NAME, community.general.NAME... are the short name), else "lookup plugin (NAME) not found".</summary>
    public static LookupPlugin Get(string name)
    {
        var shortName = name.LastIndexOf('.') is var dot and >= 0 ? name[(dot + 1)..] : name;
        return Plugins.TryGetValue(shortName, out var p) ? p : throw new TemplateError($"lookup plugin ({name}) not found");
    }

    public static bool Exists(string name) => Plugins.ContainsKey(name.LastIndexOf('.') is var dot and >= 0 ? name[(dot + 1)..] : name);

    /// <summary>
    /// lookup(NAME, *terms, **kw) / query(...) as Templar._lookup: wantlist, errors=strict|warn|ignore and
    /// allow_unsafe are taken out of the options; a failure the plugin handled (AnsibleLookupError) keeps its
    /// message, any other is "An unhandled exception occurred while running the lookup plugin 'NAME'...";
    /// with errors=warn|ignore a failure returns [] (wantlist) or None. Result: an empty list as is; with
    /// wantlist the list; else the items joined with "," when all are strings, the only item when there is
    /// one, the list itself otherwise (so lookup('items', [1, 2]) is [1, 2] but lookup('items', ['a', 'b']) is "a,b").
    /// </summary>
    public static object? Invoke(string name, List<object?> terms, Dictionary<string, object?> kw, RenderContext ctx, bool query)
    {
        var options = new Dictionary<string, object?>(kw, StringComparer.Ordinal);
        var wantList = query | (options.Remove("wantlist", out var wl) && PyOps.Truthy(wl));
        options.Remove("allow_unsafe");
        var errors = options.Remove("errors", out var er) ? PyOps.Str(er) : "strict";
        var plugin = Get(name);
        List<object?> ran;
        try { ran = plugin.Run(terms, new LookupCall(ctx, options)); }
        catch (Exception e) when (e is TemplateError and not UndefinedVariableError and not LookupOptionsError || e is IOException or UnauthorizedAccessException)
        {
            var cls = e is TemplateError te ? te.PyClass : "ansible.errors.AnsibleError";
            if (errors is "warn" or "ignore")
            {
                // the warning shows the error once (no orig_exc appended); ignore only logs it
                if (errors == "warn")
                    ctx.Warn(e is LookupFailedError ? $"Lookup failed but the error is being ignored: {e.Message}" : UnhandledText(name, cls, e.Message));
                return wantList ? new List<object?>() : null;
            }
            throw e is LookupFailedError ? e : new TemplateError(Unhandled(name, e.Message, cls), e);
        }
        if (ran.Count == 0 || wantList) return ran;
        if (ran.All(x => x is string)) return string.Join(",", ran.Cast<string>());
        return ran.Count == 1 ? ran[0] : ran;
    }

    /// <summary>Ansible's message for a plugin failure it did not handle (an AnsibleError wrapping the original).</summary>
    public static string Unhandled(string name, string message, string pyClass = "ansible.errors.AnsibleError") =>
        $"{UnhandledText(name, pyClass, message)}. {message}";

    private static string UnhandledText(string name, string pyClass, string message) =>
        $"An unhandled exception occurred while running the lookup plugin '{name}'. Error was a <class '{pyClass}'>, original message: {message}";

    /// <summary>
    /// with_NAME: listify_lookup_plugin_terms over the loop value (a string is stripped and templated; a
    /// value that is a string or not iterable becomes [value]; a dict's iteration is its keys, but the dict
    /// lookup gets the dict), then the plugin's run with wantlist, the plugin's own message on failure.
    /// first_found templates leniently: an undefined term is dropped. <paramref name="action"/> sets the
    /// subdir as TaskExecutor: the first of template, var, file in the action name gives templates/vars/files.
    /// </summary>
    public static List<object?> Loop(string name, object? loop, Templar templar, IVariableScope scope, string? action)
    {
        var plugin = Get(name);
        var ctx = new RenderContext(templar, scope);
        var lenient = plugin is FirstFoundLookup;
        object? value;
        if (loop is string s) value = lenient ? Lenient(s.Trim(), ctx) : templar.TemplateIn(s.Trim(), ctx);
        else if (lenient && loop is List<object?> l) value = l.Select(x => Lenient(x, ctx)).Where(x => x is not string xs || !Templar.IsTemplate(xs)).ToList();
        else value = templar.TemplateIn(loop, ctx);
        var terms = value switch
        {
            List<object?> list => list,
            Dict d when plugin is DictLookup => new List<object?> { d },
            Dict when plugin is ListLookup => throw new TemplateError("with_list expects a list"),
            Dict when plugin is IndexedItemsLookup => throw new TemplateError("with_indexed_items expects a list"),
            Dict d => d.Keys.Cast<object?>().ToList(),
            _ => new List<object?> { value },
        };
        // a loop's items reach the task as the worker serialized them: tuples are lists
        return plugin.Run(terms, new LookupCall(ctx, new Dictionary<string, object?>(), Subdir(action)))
            .Select(x => x is PyTuple t ? t.ToList() : x).ToList();
    }

    /// <summary>TaskExecutor._get_loop_items: 'template', 'var', 'file' in the action name, else files.</summary>
    public static string Subdir(string? action)
    {
        foreach (var s in new[] { "template", "var", "file" })
            if (action is not null && action.Contains(s, StringComparison.Ordinal)) return s + "s";
        return "files";
    }

    private static object? Lenient(object? v, RenderContext ctx)
    {
        try { return ctx.Templar.TemplateIn(v, ctx); }
        catch (UndefinedVariableError) { return v; }
    }
}

using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// file (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/file_lookup.html): each term's contents,
/// searched in files/ of the search path, decrypted when vaulted (as Ansible's loader does); rstrip=True (default)
/// and lstrip=False strip whitespace.
/// Error: "could not locate file in lookup: NAME".
/// </summary>
internal sealed class FileLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "file" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var res = new List<object?>();
        foreach (var t in terms)
        {
            var name = PyOps.Str(t);
            var path = call.Find(name);
            if (path is null || !File.Exists(path)) throw new TemplateError($"could not locate file in lookup: {name}");
            var text = Vault.VaultFiles.ReadText(path);
            if (call.Bool("lstrip", false)) text = text.TrimStart();
            if (call.Bool("rstrip", true)) text = text.TrimEnd();
            res.Add(text);
        }
        return res;
    }
}

/// <summary>
/// unvault (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/unvault_lookup.html): a file's contents
/// as is (no stripping), decrypted when vaulted (Engine/Vault).
/// </summary>
internal sealed class UnvaultLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "unvault" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var res = new List<object?>();
        foreach (var t in terms)
        {
            var name = PyOps.Str(t);
            var path = call.Find(name);
            if (path is null || !File.Exists(path)) throw new TemplateError($"Unable to find file matching \"{name}\" ") { AnsibleClass = "ansible.errors.AnsibleParserError" };
            res.Add(Vault.VaultFiles.ReadText(path));
        }
        return res;
    }
}

/// <summary>
/// template (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/template_lookup.html): renders each
/// file (searched in templates/) with the current variables plus template_vars=, keeping trailing newlines;
/// variable_start_string / variable_end_string / comment_start_string / comment_end_string change the delimiters.
/// Error: "the template file NAME could not be found for the lookup".
/// </summary>
internal sealed class TemplateLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "template" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var options = TemplateOptions.Ansible with
        {
            VariableStart = call.Str("variable_start_string", "{{")!,
            VariableEnd = call.Str("variable_end_string", "}}")!,
            CommentStart = call.Str("comment_start_string", "{#")!,
            CommentEnd = call.Str("comment_end_string", "#}")!,
        };
        IVariableScope scope = call.Option("template_vars") is IReadOnlyDictionary<string, object?> tv && tv.Count > 0
            ? new OverlayScope(call.Scope, tv) : call.Scope;
        var res = new List<object?>();
        foreach (var t in terms)
        {
            var name = PyOps.Str(t);
            var path = call.Find(name, "templates");
            if (path is null || !File.Exists(path)) throw new TemplateError($"the template file {name} could not be found for the lookup");
            // the file is templated on its own (do_template), which doubles an undefined variable's message
            try { res.Add(call.Context.Templar.RenderFileIn(Vault.VaultFiles.ReadText(path), scope, path, options, name)); }
            catch (UndefinedVariableError e) { throw new UndefinedVariableError(e.Name, $"{e.Message}. {e.Message}"); }
        }
        return res;
    }

    /// <summary>template_vars= on top of the task's variables.</summary>
    private sealed class OverlayScope : IVariableScope
    {
        private readonly IVariableScope _inner;
        private readonly IReadOnlyDictionary<string, object?> _top;

        public OverlayScope(IVariableScope inner, IReadOnlyDictionary<string, object?> top) { _inner = inner; _top = top; }

        public bool TryGetRaw(string name, out object? value) => _top.TryGetValue(name, out value) || _inner.TryGetRaw(name, out value);
        public IEnumerable<string> Names => _inner.Names.Concat(_top.Keys).Distinct();
        public IReadOnlyList<string> SearchPaths => _inner.SearchPaths;
    }
}

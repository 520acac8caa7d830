using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Modules.Docs;

/// <summary>One documented return value (ansible-doc's RETURN entry): what it is, when it is returned, its type and a sample.</summary>
public sealed record ReturnDoc(IReadOnlyList<string> Description, string? Returned, string? Type, object? Sample);

/// <summary>
/// The prose of a module's documentation: what the <see cref="ModuleSpec"/> cannot say. Names, types, defaults,
/// choices, required flags and aliases come from the spec only; this holds the collection, the short and long
/// description, one description per option (keyed by the spec's option names, <c>_raw_params</c> as <c>free_form</c>)
/// and the return values. Text may carry Ansible's markup: C(code), I(option), M(module), B(bold), U(url).
/// </summary>
public sealed record ModuleDoc(string Name, string Collection, string ShortDescription, IReadOnlyList<string> Description,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Options, IReadOnlyDictionary<string, ReturnDoc> Returns,
    IReadOnlyList<string> Notes)
{
    /// <summary>The fully qualified name, e.g. ansible.builtin.copy.</summary>
    public string Fqcn => $"{Collection}.{Name}";
}

/// <summary>
/// The documentation of the built-in modules: one YAML file per module in modules/Runner.Modules/Docs/ (embedded
/// in the assembly), named after the module:
/// <code>
/// collection: ansible.builtin
/// short_description: one line
/// description: [paragraph, ...]
/// also_documents: [other names of the module]   # optional: systemd_service under systemd
/// extends: [files]                               # optional: shared option texts from _files.yml
/// options: {option: text or [paragraphs]}
/// returns: {key: {description: text, returned: when, type: str, sample: value}}
/// notes: [text, ...]                             # optional
/// </code>
/// Fragments document only the options of the modules that have them. The test DocCommandTests holds each file to its module's spec (every option documented, none invented).
/// </summary>
public static class ModuleDocs
{
    private static readonly Lazy<Dictionary<string, ModuleDoc>> All = new(Load);

    /// <summary>The name an option has in the documentation: free-form modules' <c>_raw_params</c> is <c>free_form</c>.</summary>
    public static string DocName(string option) => option == "_raw_params" ? "free_form" : option;

    /// <summary>The documentation of the module registered as <paramref name="moduleName"/> (its short name), or null.</summary>
    public static ModuleDoc? For(string moduleName) => All.Value.GetValueOrDefault(moduleName);

    /// <summary>Every documented module name (short names, including also_documents names).</summary>
    public static IEnumerable<string> Names => All.Value.Keys;

    private static Dictionary<string, ModuleDoc> Load()
    {
        var asm = typeof(ModuleDocs).Assembly;
        var files = new Dictionary<string, Dict>(StringComparer.Ordinal);
        foreach (var resource in asm.GetManifestResourceNames().Where(n => n.StartsWith("docs/", StringComparison.Ordinal)))
        {
            using var stream = asm.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            files[Path.GetFileNameWithoutExtension(resource)] = YamlLoader.Load(reader.ReadToEnd(), resource) as Dict
                ?? throw new InvalidDataException($"{resource}: not a mapping");
        }
        var docs = new Dictionary<string, ModuleDoc>(StringComparer.Ordinal);
        foreach (var (name, d) in files.Where(f => !f.Key.StartsWith('_')))
        {
            var doc = Parse(name, d, files);
            docs[doc.Name] = doc;
            foreach (var other in Strings(d.GetValueOrDefault("also_documents"))) docs[other] = doc with { Name = other };
        }
        return docs;
    }

    /// <summary>A module's file; the options of the fragments it extends (files "_NAME.yml") come first, its own win.</summary>
    private static ModuleDoc Parse(string name, Dict d, IReadOnlyDictionary<string, Dict> files)
    {
        var options = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var fragment in Strings(d.GetValueOrDefault("extends")))
        {
            if (!files.TryGetValue("_" + fragment, out var f)) throw new InvalidDataException($"docs/{name}.yml extends a missing fragment _{fragment}.yml");
            if (f.GetValueOrDefault("options") is Dict fo)
                foreach (var (k, v) in fo) options[k] = Strings(v);
        }
        if (d.GetValueOrDefault("options") is Dict od)
            foreach (var (k, v) in od) options[k] = Strings(v);
        var returns = new Dictionary<string, ReturnDoc>(StringComparer.Ordinal);
        if (d.GetValueOrDefault("returns") is Dict rd)
            foreach (var (k, v) in rd)
            {
                var e = v as Dict ?? new Dict { ["description"] = v };
                returns[k] = new ReturnDoc(Strings(e.GetValueOrDefault("description")), Str(e.GetValueOrDefault("returned")),
                    Str(e.GetValueOrDefault("type")), e.GetValueOrDefault("sample"));
            }
        return new ModuleDoc(name, Str(d.GetValueOrDefault("collection")) ?? "ansible.builtin",
            Str(d.GetValueOrDefault("short_description")) ?? "", Strings(d.GetValueOrDefault("description")), options, returns,
            Strings(d.GetValueOrDefault("notes")));
    }

    private static string? Str(object? v) => v is null ? null : PyStr.Str(v);

    private static IReadOnlyList<string> Strings(object? v) => v switch
    {
        null => Array.Empty<string>(),
        List<object?> l => l.Select(x => PyStr.Str(x)).ToList(),
        _ => new[] { PyStr.Str(v) },
    };
}

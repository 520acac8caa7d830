using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Docs;

namespace Runner.Cli;

/// <summary>
/// A module's documentation in ansible-doc -j's shape (ansible-core 2.14): <c>{"doc": {collection, description,
/// filename, has_action, module, notes, options, short_description}, "examples": null, "metadata": null, "return": {...}}</c>.
/// Each option: description (list), type, and only when they apply required (true), default, choices, aliases,
/// elements. The structure comes from the <see cref="ModuleSpec"/>, the prose from <see cref="ModuleDocs"/>.
/// </summary>
public static class DocJson
{
    /// <summary>Ansible's type name of an option type (mode options are raw in Ansible's specs).</summary>
    public static string TypeName(OptionType t) => t switch
    {
        OptionType.Mode => "raw",
        _ => t.ToString().ToLowerInvariant(),
    };

    /// <summary>The "options" mapping: documented name → entry.</summary>
    public static Dict Options(ModuleSpec spec, ModuleDoc? doc)
    {
        var options = new Dict();
        // options whose name starts with "_" are internal (copy's _original_basename), as in Ansible's docs
        foreach (var o in spec.Options.Where(o => !o.Name.StartsWith('_') || o.Name == "_raw_params"))
        {
            var name = ModuleDocs.DocName(o.Name);
            var e = new Dict
            {
                ["description"] = (doc?.Options.GetValueOrDefault(name) ?? Array.Empty<string>()).Select(x => (object?)x).ToList(),
                ["type"] = TypeName(o.Type),
            };
            if (o.Required) e["required"] = true;
            if (o.Default is not null) e["default"] = o.Default;
            if (o.Choices is { Length: > 0 } c) e["choices"] = c.Select(x => (object?)x).ToList();
            if (o.Aliases is { Length: > 0 } a) e["aliases"] = a.Select(x => (object?)x).ToList();
            if (o.Elements is { } el) e["elements"] = TypeName(el);
            options[name] = e;
        }
        return options;
    }

    /// <summary>The whole entry for <paramref name="module"/>.</summary>
    public static Dict Of(IModule module, ModuleDoc? doc)
    {
        var d = new Dict
        {
            ["collection"] = doc?.Collection ?? "ansible.builtin",
            ["description"] = (doc?.Description ?? Array.Empty<string>()).Select(x => (object?)x).ToList(),
            ["filename"] = module.GetType().FullName,
            ["has_action"] = module.Spec.RunsOnController,
            ["module"] = module.Name,
            ["options"] = Options(module.Spec, doc),
            ["short_description"] = doc?.ShortDescription ?? "",
        };
        if (doc is { Notes.Count: > 0 }) d["notes"] = doc.Notes.Select(x => (object?)x).ToList();
        var returns = new Dict();
        foreach (var (k, r) in doc?.Returns ?? new Dictionary<string, ReturnDoc>())
        {
            var e = new Dict { ["description"] = r.Description.Count == 1 ? r.Description[0] : r.Description.Select(x => (object?)x).ToList() };
            if (r.Returned is not null) e["returned"] = r.Returned;
            if (r.Sample is not null) e["sample"] = r.Sample;
            if (r.Type is not null) e["type"] = r.Type;
            returns[k] = e;
        }
        return new Dict { ["doc"] = d, ["examples"] = null, ["metadata"] = null, ["return"] = returns };
    }
}

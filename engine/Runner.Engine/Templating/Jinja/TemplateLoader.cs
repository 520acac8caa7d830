namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Finds and parses the templates named by {% include %}, {% import %}, {% from %} and {% extends %}, as
/// Jinja's FileSystemLoader does with the search path ansible-core 2.14's template action gives it
/// (ansible/plugins/action/template.py): for each of ansible_search_path, then the folder of the template
/// being rendered, "&lt;dir&gt;/templates/NAME" then "&lt;dir&gt;/NAME". Names are relative to the search path,
/// not to the including file. A list of names takes the first that exists. The file is read as Jinja
/// reads it (no "#jinja2:" header handling, no trailing newline padding) with the including template's
/// environment. Errors: <see cref="TemplateNotFoundError"/> (Jinja's TemplateNotFound / TemplatesNotFound).
/// </summary>
internal static class TemplateLoader
{
    /// <summary>The parsed template, or null when it is missing and <paramref name="ignoreMissing"/>.</summary>
    public static ParsedTemplate? Load(object? name, RenderContext ctx, bool ignoreMissing)
    {
        var names = name is List<object?> l ? l.Select(PyOps.Str).ToList() : new List<string> { PyOps.Str(PyOps.Check(name)) };
        foreach (var n in names)
            if (Find(n, ctx) is { } path)
                return ctx.Templar.Parse(File.ReadAllText(path), false, ctx.Options, path);
        if (ignoreMissing) return null;
        throw names.Count == 1
            ? new TemplateNotFoundError("TemplateNotFound", names[0])
            : new TemplateNotFoundError("TemplatesNotFound", $"none of the templates given were found: {string.Join(", ", names)}");
    }

    private static string? Find(string name, RenderContext ctx)
    {
        var bases = new List<string>(ctx.Scope.SearchPaths);
        if (ctx.SourcePath is { } sp && Path.GetDirectoryName(Path.GetFullPath(sp)) is { } sd) bases.Add(sd);
        foreach (var b in bases)
            foreach (var candidate in new[] { Path.Combine(b, "templates", name), Path.Combine(b, name) })
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }
}

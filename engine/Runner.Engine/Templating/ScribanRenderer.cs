using Runner.Engine.Templating.Jinja;
using Scriban;
using Scriban.Runtime;

namespace Runner.Engine.Templating;

/// <summary>
/// Renders native Scriban templates (.sbn) with Runner's variables exposed as a ScriptObject
/// (https://github.com/scriban/scriban/blob/master/doc/runtime.md). Member names are kept as they are.
/// </summary>
internal static class ScribanRenderer
{
    public static string Render(string text, IVariableScope vars, string sourcePath, Templar templar)
    {
        var template = Template.Parse(text, sourcePath);
        if (template.HasErrors)
            throw new TemplateError($"Scriban template {sourcePath}: {string.Join("; ", template.Messages.Select(m => m.ToString()))}");
        var ctx = new RenderContext(templar, vars, sourcePath);
        var globals = new ScriptObject();
        foreach (var name in vars.Names.ToList())
        {
            try { globals.SetValue(name, ToScriban(ctx.Lookup(name)), false); }
            catch (TemplateError) { /* a variable that cannot be templated is left out; using it renders empty */ }
        }
        var tc = new TemplateContext { MemberRenamer = m => m.Name, StrictVariables = false };
        tc.PushGlobal(globals);
        try { return template.Render(tc); }
        catch (Scriban.Syntax.ScriptRuntimeException e) { throw new TemplateError($"Scriban template {sourcePath}: {e.Message}", e); }
    }

    private static object? ToScriban(object? v) => v switch
    {
        IReadOnlyDictionary<string, object?> d => ToObject(d),
        List<object?> l => new ScriptArray(l.Select(ToScriban)),
        Undefined => null,
        _ => v,
    };

    private static ScriptObject ToObject(IReadOnlyDictionary<string, object?> d)
    {
        var so = new ScriptObject();
        foreach (var (k, v) in d) so.SetValue(k, ToScriban(v), false);
        return so;
    }
}

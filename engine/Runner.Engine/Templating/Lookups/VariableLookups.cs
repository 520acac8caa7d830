using System.Text.RegularExpressions;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// vars (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/vars_lookup.html): each named variable,
/// templated; a missing one is default= when given, else undefined ("No variable found with this name: NAME").
/// </summary>
internal sealed class VarsLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "vars" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var res = new List<object?>();
        foreach (var t in terms)
        {
            var name = Identifier(t);
            if (call.TryVariable(name, out var v)) res.Add(v);
            else if (call.Option("default") is { } d) res.Add(d);
            else throw new UndefinedVariableError(name, $"No variable found with this name: {name}");
        }
        return res;
    }
}

/// <summary>
/// varnames (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/varnames_lookup.html): the names of
/// the variables a Python regex (re.search) matches, in the variables' order, for each term.
/// </summary>
internal sealed class VarnamesLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "varnames" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var names = call.Scope.Names.ToList();
        var ret = new List<object?>();
        foreach (var t in terms)
        {
            if (t is not string term) throw new TemplateError($"Invalid setting identifier, \"{PyOps.Str(t)}\" is not a string, it is a <class '{PyOps.TypeName(t)}'>");
            Regex re;
            try { re = new Regex(term); }
            catch (ArgumentException e) { throw new TemplateError($"Unable to use \"{term}\" as a search parameter: {PyErrors.ReError(term, e).Message}"); }
            ret.AddRange(names.Where(n => re.IsMatch(n)));
        }
        return ret;
    }
}

/// <summary>
/// env (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/env_lookup.html): the controller's
/// environment variable named by each term's first word; unset is default= ("" by default).
/// </summary>
internal sealed class EnvLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "env" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var dflt = call.Has("default") ? call.Option("default") : "";
        return terms.Select(t =>
        {
            var name = PyOps.Str(t).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            return Environment.GetEnvironmentVariable(name) is { } v ? v
                : call.Option("default") is Undefined ? throw new UndefinedVariableError(name, $"The \"env\" lookup, found an undefined variable: {name}")
                : dflt;
        }).ToList();
    }
}

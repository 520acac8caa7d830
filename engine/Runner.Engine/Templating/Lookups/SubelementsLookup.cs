using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// subelements (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/subelements_lookup.html): for each
/// dict of a list (or a dict's values) and each element of its list at SUBKEY (dotted: "auth.keys"), the pair
/// [dict without that key, element]; {skip_missing: true} skips dicts that lack it; a result marked skipped is
/// skipped. Errors as Ansible's ("could not find 'K' key in iterated item 'D'", "the key K should point to a list, got 'V'").
/// </summary>
internal sealed class SubelementsLookup : LookupPlugin
{
    private const string Usage = "subelements lookup expects a list of two or three items, ";

    public override IReadOnlyList<string> Names { get; } = new[] { "subelements" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        if (terms.Count is < 2 or > 3) throw new TemplateError(Usage);
        var first = terms[0] is string s ? call.Template(s.Trim()) : call.Template(terms[0]);
        if (first is not (List<object?> or Dict)) first = new List<object?> { first };
        if (terms[1] is not string subkeys) throw new TemplateError(Usage + "first a dict or a list, second a string pointing to the subkey");
        var path = subkeys.Split('.');
        List<object?> elements;
        if (first is Dict fd)
        {
            if (fd.TryGetValue("skipped", out var sk) && sk is not false) return new List<object?>();
            elements = fd.Values.ToList();
        }
        else elements = (List<object?>)first;
        var flags = terms.Count == 3 ? terms[2] as IReadOnlyDictionary<string, object?>
            ?? throw new TemplateError(Usage + "the optional third item must be a dict with flags ('skip_missing',)") : null;
        var skipMissing = flags is not null && flags.TryGetValue("skip_missing", out var sm) && Filters.ToBool(sm);

        var ret = new List<object?>();
        foreach (var e in elements)
        {
            if (e is not Dict item0) throw new TemplateError($"subelements lookup expects a dictionary, got '{PyOps.Str(e)}'");
            if (item0.TryGetValue("skipped", out var skipped) && skipped is not false) continue;
            var copy = Copy(item0);
            Dict sub = copy;
            var sublist = new List<object?>();
            foreach (var key in path)
            {
                var last = key == path[^1];
                if (!sub.TryGetValue(key, out var v))
                {
                    if (skipMissing) continue;
                    throw new TemplateError($"could not find '{key}' key in iterated item '{PyOps.Str(sub)}'");
                }
                if (!last)
                {
                    if (v is Dict vd) { var c = Copy(vd); sub[key] = c; sub = c; }
                    else if (skipMissing) continue;
                    else throw new TemplateError($"the key {key} should point to a dictionary, got '{PyOps.Str(v)}'");
                }
                else if (v is List<object?> l) { sublist = l; sub.Remove(key); }
                else throw new TemplateError($"the key {key} should point to a list, got '{PyOps.Str(v)}'");
            }
            foreach (var x in sublist) ret.Add(new PyTuple(new[] { copy, x }));
        }
        return ret;
    }

    private static Dict Copy(Dict d) => new(d);
}

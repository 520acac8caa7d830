using System.Security.Cryptography;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>items (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/items_lookup.html): the terms flattened one level.</summary>
internal sealed class ItemsLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "items" };
    public override List<object?> Run(List<object?> terms, LookupCall call) => Flatten(terms);
}

/// <summary>list (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/list_lookup.html): the terms as they are.</summary>
internal sealed class ListLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "list" };
    public override List<object?> Run(List<object?> terms, LookupCall call) => terms;
}

/// <summary>flattened (community.general: https://docs.ansible.com/ansible/latest/collections/community/general/flattened_lookup.html): every level flattened.</summary>
internal sealed class FlattenedLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "flattened" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var r = new List<object?>();
        foreach (var t in terms)
            if (t is List<object?> l) r.AddRange(Run(l, call)); else r.Add(t);
        return r;
    }
}

/// <summary>dict (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/dict_lookup.html): each mapping's items as {key, value}. Error: "with_dict expects a dict".</summary>
internal sealed class DictLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "dict" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var r = new List<object?>();
        foreach (var t in terms)
        {
            if (t is not IEnumerable<KeyValuePair<string, object?>> d) throw new TemplateError("with_dict expects a dict");
            r.AddRange(d.Select(kv => (object?)new Dict { ["key"] = kv.Key, ["value"] = kv.Value }));
        }
        return r;
    }
}

/// <summary>indexed_items (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/indexed_items_lookup.html): [index, item] of the terms flattened one level.</summary>
internal sealed class IndexedItemsLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "indexed_items" };
    public override List<object?> Run(List<object?> terms, LookupCall call) =>
        Flatten(terms).Select((x, i) => (object?)new PyTuple(new[] { (long)i, x })).ToList();
}

/// <summary>
/// together (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/together_lookup.html): the lists
/// zipped, padded with None (itertools.zip_longest), each tuple flattened one level.
/// Error: "with_together requires at least one element in each list".
/// </summary>
internal sealed class TogetherLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "together" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var lists = terms.Select(t => Listify(t, call)).ToList();
        if (lists.Count == 0) throw new TemplateError("with_together requires at least one element in each list");
        var n = lists.Max(l => l.Count);
        return Enumerable.Range(0, n).Select(i => (object?)Flatten(lists.Select(l => i < l.Count ? l[i] : null))).ToList();
    }

    /// <summary>listify_lookup_plugin_terms of one term: templated; a string or a non-list becomes [it].</summary>
    internal static List<object?> Listify(object? term, LookupCall call)
    {
        var v = term is string s ? call.Template(s.Trim()) : call.Template(term);
        return v switch
        {
            List<object?> l => l,
            Dict d => d.Keys.Cast<object?>().ToList(),
            _ => new List<object?> { v },
        };
    }
}

/// <summary>
/// nested (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/nested_lookup.html; cartesian is
/// community.general's same product): the product of the lists, each combination flattened one level.
/// Error: "with_nested requires at least one element in the nested list".
/// </summary>
internal sealed class NestedLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "nested", "cartesian" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var lists = terms.Select(t => TogetherLookup.Listify(t, call)).ToList();
        if (lists.Count == 0) throw new TemplateError("with_nested requires at least one element in the nested list");
        var result = lists[0];
        foreach (var next in lists.Skip(1))
            result = result.SelectMany(x => next.Select(y => (object?)Flatten(new[] { x, y }))).ToList();
        // LookupBase._flatten of each: a list flattened one level, a string its characters (it iterates it)
        return result.Select(x => (object?)(x switch
        {
            List<object?> l => Flatten(l),
            string s => s.Select(c => (object?)c.ToString()).ToList(),
            _ => throw PythonError.TypeError($"'{PyOps.TypeName(x)}' object is not iterable"),
        })).ToList();
    }
}

/// <summary>random_choice (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/random_choice_lookup.html): one of the terms at random (none given: the empty list).</summary>
internal sealed class RandomChoiceLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "random_choice" };
    public override List<object?> Run(List<object?> terms, LookupCall call) =>
        terms.Count == 0 ? terms : new List<object?> { terms[RandomNumberGenerator.GetInt32(terms.Count)] };
}

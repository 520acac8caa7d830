using Runner.Engine.Facts;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.setup (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/setup_module.html):
/// gathers facts on the target with <see cref="FactsProbe"/> and returns {"ansible_facts": {...}, "changed": false}.
/// Options: gather_subset (accepted; Runner always gathers its one fact set), filter (list of shell-style
/// patterns on the fact names, with or without the ansible_ prefix), gather_timeout, fact_path (accepted, unused).
/// Runs on the target; a probe failure gives failed=true with the reason in msg.
/// </summary>
public sealed class SetupModule : IModule
{
    public string Name => "setup";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("gather_subset", OptionType.List, Default: new List<object?> { "all" }, Elements: OptionType.Str),
        new OptionSpec("filter", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new OptionSpec("gather_timeout", OptionType.Int, Default: 10L),
        new OptionSpec("fact_path", OptionType.Path, Default: "/etc/ansible/facts.d"));

    public async Task<Dict> RunAsync(ModuleContext context, CancellationToken ct)
    {
        Dict facts;
        try
        {
            facts = await FactsProbe.GatherAsync(context.Connection, context.Exec with { Stdin = null }, ct);
        }
        catch (InvalidOperationException e)
        {
            return new Dict { ["failed"] = true, ["msg"] = e.Message, ["changed"] = false };
        }
        var patterns = (context.Args.Get("filter") as List<object?> ?? new()).Select(p => p?.ToString() ?? "").Where(p => p.Length > 0).ToList();
        if (patterns.Count > 0)
            facts = new Dict(facts.Where(kv => patterns.Any(p => Matches(p, kv.Key))));
        return new Dict { ["ansible_facts"] = facts, ["changed"] = false };
    }

    /// <summary>fnmatch-style match of <paramref name="pattern"/> against "ansible_"+<paramref name="key"/> or the bare key.</summary>
    internal static bool Matches(string pattern, string key)
    {
        var re = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch("ansible_" + key, re) || System.Text.RegularExpressions.Regex.IsMatch(key, re);
    }
}

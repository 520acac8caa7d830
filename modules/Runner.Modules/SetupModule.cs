using Runner.Engine.Facts;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.setup (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/setup_module.html):
/// gathers facts on the target with <see cref="FactsProbe"/> (one script, one round trip) and returns
/// {"ansible_facts": {...}, "changed": false}. Options: gather_subset (all, min, hardware, network, virtual, facter,
/// ohai, a collector or fact id, "!" to exclude; see <see cref="GatherSubset"/>), filter (shell-style patterns on
/// the fact names, matched as modules/setup.py's AnsibleFactCollector._filter does: against the ansible_ name, and
/// with ansible_ prepended unless the pattern starts with ansible_, facter or ohai), fact_path (the facts.d
/// folder), gather_timeout (accepted; the probe has the connection's timeout).
/// Runs on the target; a probe failure or a bad subset gives failed=true with the reason in msg.
/// </summary>
public sealed class SetupModule : IModule
{
    public string Name => "setup";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("gather_subset", OptionType.List, Default: new List<object?> { "all" }, Elements: OptionType.Str),
        new OptionSpec("filter", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new OptionSpec("gather_timeout", OptionType.Int, Default: 10L),
        new OptionSpec("fact_path", OptionType.Path, Default: "/etc/ansible/facts.d")) with { GathersFacts = true };

    public async Task<Dict> RunAsync(ModuleContext context, CancellationToken ct)
    {
        Dict facts;
        var subset = Strings(context.Args.Get("gather_subset"));
        try
        {
            facts = await FactsProbe.GatherAsync(context.Connection, context.Exec with { Stdin = null }, ct,
                subset.Count == 0 ? null : subset, context.Args.Get("fact_path") as string);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return new Dict { ["failed"] = true, ["msg"] = e.Message, ["changed"] = false };
        }
        var patterns = Strings(context.Args.Get("filter")).Where(p => p.Length > 0 && p != "*").ToList();
        if (patterns.Count > 0)
            facts = new Dict(facts.Where(kv => kv.Key == "discovered_interpreter_python" || patterns.Any(p => Matches(p, kv.Key))));
        return new Dict { ["ansible_facts"] = facts, ["changed"] = false };
    }

    private static List<string> Strings(object? v) =>
        v is List<object?> l ? l.Select(x => x?.ToString() ?? "").ToList() : v is string s ? s.Split(',').Select(x => x.Trim()).ToList() : new List<string>();

    /// <summary>fnmatch of <paramref name="pattern"/> against the fact's output name, or with ansible_ prepended to the pattern.</summary>
    internal static bool Matches(string pattern, string key)
    {
        var name = FactsProbe.OutputName(key);
        if (FnMatch.IsMatch(name, pattern)) return true;
        return !pattern.StartsWith("ansible_", StringComparison.Ordinal) && !pattern.StartsWith("facter", StringComparison.Ordinal)
            && !pattern.StartsWith("ohai", StringComparison.Ordinal) && FnMatch.IsMatch(name, "ansible_" + pattern);
    }
}

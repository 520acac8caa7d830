using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.set_fact (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/set_fact_module.html):
/// every key (other than cacheable) becomes a host fact. As 2.14 does without jinja2_native, string values
/// "yes"/"no"/"true"/"false" (any case) become booleans. Returns {"ansible_facts": {...},
/// "_ansible_facts_cacheable": bool, "changed": false}. Bad names and no keys fail with Ansible's wording.
/// </summary>
public sealed partial class SetFactModule : IModule
{
    public string Name => "set_fact";

    public ModuleSpec Spec { get; } = new(new OptionSpec[] { new("cacheable", OptionType.Bool, Default: false) },
        AcceptsAnyArgs: true, RunsOnController: true) { NeedsConnection = false, FactsLayer = FactsLayer.SetFacts, SupportsAsync = false };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    private static readonly string[] Keywords =
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield",
    };

    public Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var facts = new Dict();
        foreach (var (k, v) in ctx.Args)
        {
            if (k == "cacheable") continue;
            if (!Identifier().IsMatch(k) || Keywords.Contains(k))
                return Task.FromResult(Results.Fail($"The variable name '{k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores."));
            facts[k] = v is string s && s.ToLowerInvariant() is "yes" or "true" ? true
                : v is string s2 && s2.ToLowerInvariant() is "no" or "false" ? false : v;
        }
        if (facts.Count == 0)
            return Task.FromResult(Results.Fail("No key/value pairs provided, at least one is required for this action to succeed"));
        return Task.FromResult(new Dict
        {
            ["ansible_facts"] = facts, ["_ansible_facts_cacheable"] = ctx.Args.Bool("cacheable"), ["changed"] = false,
        });
    }
}

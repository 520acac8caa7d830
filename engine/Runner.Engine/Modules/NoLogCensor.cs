using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// Removes the values of a module's no_log options from its result, as Ansible's remove_values
/// (lib/ansible/module_utils/basic.py): a string equal to a secret becomes "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
/// a secret inside a longer string becomes "********"; keys, lists and dicts at any depth, diffs and warnings
/// included. Applied by the engine to every module's result, once.
/// </summary>
public static class NoLogCensor
{
    /// <summary>The text that replaces a whole secret value.</summary>
    public const string Whole = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER";

    /// <summary>The values of <paramref name="spec"/>'s no_log options given in <paramref name="args"/> (not empty).</summary>
    public static List<string> Secrets(ModuleSpec spec, Dict args) =>
        spec.Options.Where(o => o.NoLog && args.GetValueOrDefault(o.Name) is not null)
            .Select(o => PyStr.Str(args[o.Name])).Where(v => v.Length > 0).ToList();

    /// <summary><paramref name="result"/> without any of <paramref name="secrets"/>; the same object when there are none.</summary>
    public static Dict Censor(Dict result, IReadOnlyList<string> secrets) =>
        secrets.Count == 0 ? result : (Dict)Clean(result, secrets)!;

    private static object? Clean(object? value, IReadOnlyList<string> secrets) => value switch
    {
        string s => CleanText(s, secrets),
        Dict d => d.Aggregate(new Dict(), (acc, kv) => { acc[CleanText(kv.Key, secrets)] = Clean(kv.Value, secrets); return acc; }),
        List<object?> l => l.Select(v => Clean(v, secrets)).ToList(),
        _ => value,
    };

    private static string CleanText(string s, IReadOnlyList<string> secrets)
    {
        if (secrets.Contains(s)) return Whole;
        foreach (var secret in secrets) s = s.Replace(secret, "********", StringComparison.Ordinal);
        return s;
    }
}

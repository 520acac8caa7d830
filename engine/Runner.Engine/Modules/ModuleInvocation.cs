using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// The <c>invocation</c> a module's result carries, as AnsibleModule adds it (lib/ansible/module_utils/basic.py,
/// _return_formatted): <c>{"module_args": PARAMS}</c> where PARAMS holds every option of the argument spec (its
/// converted value, its default, or null), each alias the task used with the value as written, and the module's
/// internal parameters (<see cref="Internal"/>). no_log values are censored afterwards by <see cref="NoLogCensor"/>.
/// ansible-playbook drops it from a registered result and from screen output below -vvv, but keeps it in every
/// loop item's result (StrategyBase._process_pending_results deletes only the top-level key).
/// </summary>
/// <param name="Internal">Parameters the action plugin passes the module besides the task's options, with their value
/// unless the task gave one (command's _raw_params, shell's _uses_shell: true, file's _diff_peek).</param>
/// <param name="Hidden">Options Runner accepts that the Ansible module's argument spec lacks (command's cmd, which
/// the task parser turns into _raw_params): never listed.</param>
/// <param name="Rewrite">What the Ansible module's own code does to its params before it exits (AnsibleModule reports
/// them at exit_json time, so a value the module replaced shows replaced: find's empty patterns become ["*"]); it
/// changes the module_args dict in place. Only rewrites that depend on the params alone belong here.</param>
public sealed record ModuleInvocation(IReadOnlyDictionary<string, object?>? Internal = null, IReadOnlyList<string>? Hidden = null,
    Action<Dict>? Rewrite = null)
{
    /// <summary>Every option of the spec, nothing more.</summary>
    public static ModuleInvocation Default { get; } = new();

    /// <summary>The result's <c>invocation</c> value for <paramref name="given"/> (the templated task arguments) and
    /// <paramref name="validated"/> (<see cref="ArgumentValidator.Validate"/>'s output).</summary>
    public Dict For(ModuleSpec spec, Dict given, Dict validated)
    {
        var args = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in Internal ?? new Dictionary<string, object?>()) args[name] = value;
        foreach (var option in spec.Options)
        {
            if (Hidden?.Contains(option.Name) == true) continue;
            var aliasesGiven = (option.Aliases ?? Array.Empty<string>()).Where(given.ContainsKey).ToList();
            var wasGiven = given.ContainsKey(option.Name) || aliasesGiven.Count > 0;
            if (wasGiven || !args.ContainsKey(option.Name)) args[option.Name] = validated.GetValueOrDefault(option.Name);
            foreach (var alias in aliasesGiven) args[alias] = given[alias];
        }
        var moduleArgs = new Dict(args);
        Rewrite?.Invoke(moduleArgs);
        return new Dict { ["module_args"] = moduleArgs };
    }
}

using Runner.Engine.Modules;
using Runner.Engine.Playbooks;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>
/// The module_defaults keyword (https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_module_defaults.html) as
/// ansible-core 2.14 applies it (executor/module_common.py get_action_args_with_defaults): the entries of the play, the
/// role, each enclosing block and the task, outermost first, are templated, then merged with dict.update, so an inner
/// level's defaults for a module replace the outer level's for that module as a whole (they are not merged option by
/// option: measured with ansible-playbook, a block's {mode} for file drops the play's {state, mode}); the task's own
/// options win over the defaults. An entry's key names a module by its short name or FQCN (file, ansible.builtin.file,
/// ansible.legacy.file all name the same module); group/NAME entries (action groups) are not applied.
/// </summary>
public static class ModuleDefaults
{
    /// <summary>The raw module_defaults entries that reach <paramref name="task"/>, outermost first (the play's, then its blocks' and roles', then its own).</summary>
    public static List<object?> Entries(TaskItem task, object? playValue)
    {
        var levels = new List<object?>();
        for (TaskNode? n = task; n is not null; n = n.Parent)
            if (n.Keywords.TryGetValue("module_defaults", out var v) && v is not null) levels.Add(v);
        if (playValue is not null) levels.Add(playValue);
        levels.Reverse();
        var entries = new List<object?>();
        foreach (var level in levels)
            if (level is List<object?> l) entries.AddRange(l); else entries.Add(level);
        return entries;
    }

    /// <summary>
    /// The task's options with the defaults for <paramref name="module"/> under them. <paramref name="template"/> templates the
    /// entries (all of them, as Task.post_validate does: an undefined variable in any entry fails the task).
    /// </summary>
    public static Dict Apply(Dict args, IModule module, ModuleRegistry modules, List<object?> entries, Func<object?, object?> template)
    {
        if (entries.Count == 0) return args;
        var merged = new Dictionary<IModule, object?>();
        foreach (var entry in entries)
        {
            if (template(entry) is not Dict d) continue;
            foreach (var (key, value) in d)
                if (!key.StartsWith("group/", StringComparison.Ordinal) && modules.Find(key) is { } m)
                    merged[m] = value;
        }
        if (!merged.TryGetValue(module, out var defaults) || defaults is not Dict dd) return args;
        var result = new Dict(dd);
        foreach (var (k, v) in args) result[k] = v;
        return result;
    }
}

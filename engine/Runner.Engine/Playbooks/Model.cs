using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Engine.Playbooks;

/// <summary>
/// A node of a play's task tree: a <see cref="TaskItem"/> or a <see cref="BlockItem"/>. Holds the keywords
/// every level shares (Ansible's "Playbook Keywords" page): tags, when, vars, become, check_mode,
/// environment... as raw (untemplated) values. Parents are linked so inherited keywords can be resolved.
/// </summary>
public abstract class TaskNode
{
    /// <summary>The enclosing block (a block, an import, a role), or null at play level.</summary>
    public BlockItem? Parent { get; set; }

    /// <summary>Where the node was written.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The node's own tags (not inherited).</summary>
    public List<string> Tags { get; set; } = new();

    /// <summary>The node's own `when` conditions, ANDed (strings or booleans).</summary>
    public List<object?> When { get; set; } = new();

    /// <summary>The node's own `vars:`.</summary>
    public Dict Vars { get; set; } = new();

    /// <summary>Other keywords (become, become_user, check_mode, diff, environment, ignore_errors, any_errors_fatal,
    /// delegate_to, run_once, no_log, ignore_unreachable, become_method...), raw.</summary>
    public Dict Keywords { get; set; } = new();

    /// <summary>The role this node belongs to, if any.</summary>
    public RoleInstance? Role { get; set; }

    /// <summary>The value of a keyword on this node or the nearest ancestor that sets it.</summary>
    public object? Inherited(string keyword)
    {
        for (TaskNode? n = this; n is not null; n = n.Parent)
            if (n.Keywords.TryGetValue(keyword, out var v)) return v;
        return null;
    }

    /// <summary>True when this node or an ancestor sets the keyword.</summary>
    public bool HasInherited(string keyword)
    {
        for (TaskNode? n = this; n is not null; n = n.Parent)
            if (n.Keywords.ContainsKey(keyword)) return true;
        return false;
    }

    /// <summary>Own and inherited tags.</summary>
    public HashSet<string> EffectiveTags()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (TaskNode? n = this; n is not null; n = n.Parent) set.UnionWith(n.Tags);
        return set;
    }

    /// <summary>Conditions from the outermost ancestor down to this node.</summary>
    public List<object?> EffectiveWhen()
    {
        var chain = new List<TaskNode>();
        for (TaskNode? n = this; n is not null; n = n.Parent) chain.Add(n);
        chain.Reverse();
        return chain.SelectMany(n => n.When).ToList();
    }

    /// <summary>Vars from the outermost ancestor down to this node (later entries win).</summary>
    public List<Dict> VarsChain()
    {
        var chain = new List<Dict>();
        for (TaskNode? n = this; n is not null; n = n.Parent) chain.Add(n.Vars);
        chain.Reverse();
        return chain;
    }
}

/// <summary>A task: one action (module, include, meta) with its arguments and keywords.</summary>
public sealed class TaskItem : TaskNode
{
    /// <summary>The `name:` as written, or null.</summary>
    public string? Name { get; set; }

    /// <summary>The action as written (e.g. "ansible.builtin.copy", "include_tasks", "meta").</summary>
    public required string Action { get; set; }

    /// <summary>The arguments (free-form text is under "_raw_params").</summary>
    public Dict Args { get; set; } = new();

    /// <summary>The loop expression (loop, with_items, with_dict, ...), raw, or null.</summary>
    public object? Loop { get; set; }

    /// <summary>The with_X lookup name when the loop came from with_X (items, dict, sequence, ...), else null.</summary>
    public string? LoopWith { get; set; }

    /// <summary>loop_control, raw.</summary>
    public Dict LoopControl { get; set; } = new();

    public string? Register { get; set; }
    public List<string> Notify { get; set; } = new();
    public List<string> Listen { get; set; } = new();
    public object? ChangedWhen { get; set; }
    public object? FailedWhen { get; set; }
    public object? Until { get; set; }
    public bool IsHandler { get; set; }

    /// <summary>True for include_tasks/include_role tasks whose result lines say "included".</summary>
    public bool IsInclude => ShortAction is "include_tasks" or "include_role" or "include";

    /// <summary>The action without a collection prefix.</summary>
    public string ShortAction => Action.Contains('.') ? Action[(Action.LastIndexOf('.') + 1)..] : Action;

    /// <summary>Ansible's task.get_name(): "role : name" inside a role, the action when unnamed.</summary>
    public string DisplayName(string? renderedName = null)
    {
        var n = renderedName ?? Name;
        // IncludeRole.get_name: its name, else "ACTION : ROLE", never prefixed with the role it is in
        if (ShortAction == "include_role")
            return !string.IsNullOrEmpty(n) ? n : $"{Action} : {Values.PyStr.Str(Args.GetValueOrDefault("name") ?? Args.GetValueOrDefault("role"))}";
        if (string.IsNullOrEmpty(n)) n = Action;
        return Role is not null ? $"{Role.Name} : {n}" : n;
    }
}

/// <summary>A block (also used for imports and roles): block/rescue/always task lists.</summary>
public sealed class BlockItem : TaskNode
{
    public List<TaskNode> Block { get; set; } = new();
    public List<TaskNode> Rescue { get; set; } = new();
    public List<TaskNode> Always { get; set; } = new();
    public string? Name { get; set; }

    /// <summary>Extra vars this level adds as include/role params (precedence above set_fact).</summary>
    public Dict Params { get; set; } = new();
}

/// <summary>A role as used in a play: its folder, variables and task/handler lists.</summary>
public sealed class RoleInstance
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public Dict Defaults { get; set; } = new();
    public Dict Vars { get; set; } = new();
    public Dict Params { get; set; } = new();
    /// <summary>File each default/var came from, for --explain.</summary>
    public string DefaultsFile => System.IO.Path.Combine(Path, "defaults", "main.yml");
    public string VarsFile => System.IO.Path.Combine(Path, "vars", "main.yml");
}

/// <summary>A play (Ansible's "Playbook Keywords", Play section).</summary>
public sealed class Play
{
    public string Name { get; set; } = "";
    public required string Hosts { get; set; }
    public SourceLocation? Location { get; init; }
    public object? GatherFacts { get; set; } = true;
    public Dict Vars { get; set; } = new();
    public List<object?> VarsFiles { get; set; } = new();
    public List<RoleInstance> Roles { get; set; } = new();
    /// <summary>The `collections` keyword: collections searched for role names given without one.</summary>
    public List<string> Collections { get; set; } = new();
    public List<TaskNode> PreTasks { get; set; } = new();
    /// <summary>Role tasks then tasks (one section for handler flushing).</summary>
    public List<TaskNode> Tasks { get; set; } = new();
    public List<TaskNode> PostTasks { get; set; } = new();
    public List<TaskItem> Handlers { get; set; } = new();
    public List<string> Tags { get; set; } = new();
    public Dict Keywords { get; set; } = new();
    public object? Serial { get; set; }
    public bool AnyErrorsFatal { get; set; }
    public bool ForceHandlers { get; set; }
    /// <summary>The playbook file's folder (playbook_dir).</summary>
    public required string PlaybookDir { get; init; }
}

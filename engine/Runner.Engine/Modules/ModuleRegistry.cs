namespace Runner.Engine.Modules;

/// <summary>
/// The modules a run knows, by short name; FQCNs ansible.builtin.X, ansible.legacy.X and
/// community.general.X / community.aws.X / amazon.aws.X / kubernetes.core.X resolve to X.
/// </summary>
public sealed class ModuleRegistry
{
    private readonly Dictionary<string, IModule> _modules = new(StringComparer.Ordinal);

    /// <summary>Adds a module under its name and any extra aliases (e.g. systemd_service).</summary>
    public ModuleRegistry Add(IModule module, params string[] aliases)
    {
        _modules[module.Name] = module;
        foreach (var a in aliases) _modules[a] = module;
        return this;
    }

    private static readonly string[] Prefixes =
    {
        "ansible.builtin.", "ansible.legacy.", "ansible.posix.", "community.general.", "community.aws.",
        "amazon.aws.", "kubernetes.core.", "community.crypto.", "runner.",
    };

    /// <summary>The collections whose modules Runner implements natively (their FQCN names resolve to Runner's
    /// modules): ansible.posix, community.general, community.aws, amazon.aws, kubernetes.core, community.crypto.</summary>
    public static IReadOnlyList<string> NativeCollections { get; } =
        Prefixes.Select(p => p.TrimEnd('.')).Where(c => c is not ("ansible.builtin" or "ansible.legacy" or "runner")).ToList();

    /// <summary>The module for a task keyword, or null when none is known.</summary>
    public IModule? Find(string name)
    {
        if (_modules.TryGetValue(name, out var m)) return m;
        foreach (var p in Prefixes)
            if (name.StartsWith(p, StringComparison.Ordinal) && _modules.TryGetValue(name[p.Length..], out m)) return m;
        return null;
    }

    /// <summary>True when <paramref name="name"/> is a module name (short or FQCN).</summary>
    public bool Contains(string name) => Find(name) is not null;

    /// <summary>Every registered name.</summary>
    public IEnumerable<string> Names => _modules.Keys;

    /// <summary>Each registered module once, with the names it is registered under (its own first), by name.</summary>
    public IEnumerable<(IModule Module, IReadOnlyList<string> Names)> Modules =>
        _modules.GroupBy(kv => kv.Value, ReferenceEqualityComparer.Instance)
            .Select(g => ((IModule)g.Key!, (IReadOnlyList<string>)g.Select(kv => kv.Key)
                .OrderBy(n => n == ((IModule)g.Key!).Name ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal).ToList()))
            .OrderBy(m => m.Item2[0], StringComparer.Ordinal);

    /// <summary>The module the implicit "Gathering Facts" task runs: the one whose spec <see cref="ModuleSpec.GathersFacts"/>.</summary>
    /// <exception cref="Errors.RunnerException">No registered module gathers facts.</exception>
    public IModule FactGatherer =>
        _modules.Values.FirstOrDefault(m => m.Spec.GathersFacts)
        ?? throw new Errors.RunnerException("no module gathers facts (ModuleSpec.GathersFacts): register setup or set gather_facts: false");
}

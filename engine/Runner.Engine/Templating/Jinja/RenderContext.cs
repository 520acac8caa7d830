using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// The state of one top-level templating call: the variable scope, the lazily templated variables
/// already resolved (cache), the names being resolved (recursion guard) and the local frames of
/// {% set %} / {% for %}. One instance per call on one thread, so Templar itself stays thread-safe.
/// </summary>
internal sealed class RenderContext
{
    private readonly Dictionary<string, object?> _resolved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);
    private readonly List<Dictionary<string, object?>> _frames = new();

    public RenderContext(Templar templar, IVariableScope scope, string? sourcePath = null, TemplateOptions? options = null)
    {
        Templar = templar;
        Scope = scope;
        SourcePath = sourcePath;
        Options = options ?? TemplateOptions.Ansible;
    }

    public Templar Templar { get; }
    public IVariableScope Scope { get; }
    /// <summary>The template file being rendered (template module / lookup), else null.</summary>
    public string? SourcePath { get; }
    /// <summary>The environment the template being rendered was read with; included and imported templates are read with it too.</summary>
    public TemplateOptions Options { get; set; }
    /// <summary>
    /// Template inheritance ({% extends %}): for each block name, its bodies from the most derived template
    /// to the base; a {% block %} renders the first, super() the next.
    /// </summary>
    public Dictionary<string, List<List<Stmt>>> Blocks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A warning, as ansible-core's display.warning from a lookup or filter (<see cref="TemplateWarnings"/>).</summary>
    public void Warn(string message) => TemplateWarnings.Warn(message, Templar.Warn);

    public void Push(Dictionary<string, object?>? frame = null) => _frames.Add(frame ?? new(StringComparer.Ordinal));
    public void Pop() => _frames.RemoveAt(_frames.Count - 1);
    public int Depth => _frames.Count;

    /// <summary>Restores the frame stack to <paramref name="depth"/> frames (after an error).</summary>
    public void Unwind(int depth) { while (_frames.Count > depth) Pop(); }

    public void SetLocal(string name, object? value)
    {
        if (_frames.Count == 0) Push();
        _frames[^1][name] = value;
    }

    /// <summary>Is <paramref name="name"/> defined (locals, globals, scope)?</summary>
    public bool TryLookup(string name, out object? value)
    {
        for (var i = _frames.Count - 1; i >= 0; i--)
            if (_frames[i].TryGetValue(name, out value)) return true;
        if (Scope.TryGetRaw(name, out var raw)) { value = Resolve(name, raw); return true; }
        if (Globals.TryGet(name, this, out value)) return true;
        value = null;
        return false;
    }

    public object? Lookup(string name) => TryLookup(name, out var v) ? v : Undefined.Var(name);

    /// <summary>
    /// A scope variable's value with every template string in it rendered (Ansible templates variables
    /// lazily, when read). A variable whose templating reads itself is "recursive loop detected".
    /// </summary>
    public object? Resolve(string name, object? raw)
    {
        if (raw is Vault.LockedVaultValue locked) throw new TemplateError(locked.Message);
        if (!ContainsTemplate(raw)) return raw;
        lock (_resolved)
        {
            if (_resolved.TryGetValue(name, out var done)) return done;
        }
        if (!_resolving.Add(name))
            throw new TemplateError($"recursive loop detected in template string: {(raw is string s ? s : PyOps.Str(raw))}");
        try
        {
            var saved = _frames.ToList();
            _frames.Clear();
            object? value;
            try { value = Templar.TemplateIn(raw, this); }
            catch (UndefinedVariableError e)
            {
                // AnsibleJ2Vars.__getitem__: an undefined value fails only where it is used, so default() and
                // `is defined` still work; its message names the variable's template (do_template doubles the inner one)
                value = new Undefined(name, $"{RawText(raw)}: {e.Message}. {e.Message}");
            }
            catch (TemplateError e)
            {
                throw new TemplateError($"An unhandled exception occurred while templating '{RawText(raw)}'. Error was a <class '{e.PyClass}'>, original message: {e.Message}", e);
            }
            finally { _frames.Clear(); _frames.AddRange(saved); }
            _resolved[name] = value;
            return value;
        }
        finally { _resolving.Remove(name); }
    }

    /// <summary>Python's str() of a variable's raw value, as ansible-core's messages quote it.</summary>
    private static string RawText(object? raw) => raw is string s ? s : PyOps.Repr(raw);

    /// <summary>True when a value (or a value nested in it) is a string holding a Jinja delimiter, or a vaulted value not decrypted.</summary>
    public static bool ContainsTemplate(object? v) => v switch
    {
        string s => Templar.IsTemplate(s),
        Dict d => d.Any(kv => ContainsTemplate(kv.Value) || Templar.IsTemplate(kv.Key)),
        List<object?> l => l.Any(ContainsTemplate),
        Vault.LockedVaultValue => true, // templating it raises the vault's error
        _ => false,
    };
}

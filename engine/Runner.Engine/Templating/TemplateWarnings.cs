namespace Runner.Engine.Templating;

/// <summary>
/// Warnings raised while templating (ansible-core's display.warning from a lookup or a filter: "Lookup failed but the
/// error is being ignored: ...", "Unable to find 'X' in expected paths..."). ansible-core prints them from the worker
/// that runs one task on one host, whose Display drops a warning it has printed already: a scope opened with
/// <see cref="Begin"/> around one task on one host does the same. Outside any scope a warning goes to
/// <see cref="Templar.Warn"/>, every time. Thread-safe; the scope follows the async flow that opened it.
/// </summary>
public sealed class TemplateWarnings : IDisposable
{
    private static readonly AsyncLocal<TemplateWarnings?> Current = new();
    private readonly Action<string> _sink;
    private readonly TemplateWarnings? _outer;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private TemplateWarnings(Action<string> sink, TemplateWarnings? outer)
    {
        _sink = sink;
        _outer = outer;
    }

    /// <summary>Opens a scope whose warnings go to <paramref name="sink"/>, each text once; dispose to close it.</summary>
    public static TemplateWarnings Begin(Action<string> sink)
    {
        var scope = new TemplateWarnings(sink, Current.Value);
        Current.Value = scope;
        return scope;
    }

    public void Dispose() => Current.Value = _outer;

    /// <summary>Reports <paramref name="message"/> (without the "[WARNING]: " prefix) to the open scope, else to <paramref name="unscoped"/>.</summary>
    public static void Warn(string message, Action<string>? unscoped)
    {
        var scope = Current.Value;
        if (scope is null) { unscoped?.Invoke(message); return; }
        lock (scope._seen)
            if (!scope._seen.Add(message)) return;
        scope._sink(message);
    }
}

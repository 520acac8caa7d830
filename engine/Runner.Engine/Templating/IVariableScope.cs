namespace Runner.Engine.Templating;

/// <summary>
/// The variables a template sees. Values are raw Runner data (not yet templated): the templar
/// templates any string inside a value lazily when the template reads it, as Ansible does.
/// </summary>
public interface IVariableScope
{
    /// <summary>Looks up a variable by name; false when it is undefined.</summary>
    bool TryGetRaw(string name, out object? value);

    /// <summary>Every defined name (for lookup('vars') and `vars`).</summary>
    IEnumerable<string> Names { get; }

    /// <summary>Folders searched, in order, by the file/template/first_found lookups and relative paths.</summary>
    IReadOnlyList<string> SearchPaths { get; }
}

/// <summary>A scope over a plain dictionary, for tests and simple callers.</summary>
public sealed class DictionaryScope : IVariableScope
{
    private readonly IReadOnlyDictionary<string, object?> _vars;

    public DictionaryScope(IReadOnlyDictionary<string, object?> vars, IReadOnlyList<string>? searchPaths = null)
    {
        _vars = vars;
        SearchPaths = searchPaths ?? new[] { Directory.GetCurrentDirectory() };
    }

    public bool TryGetRaw(string name, out object? value) => _vars.TryGetValue(name, out value);
    public IEnumerable<string> Names => _vars.Keys;
    public IReadOnlyList<string> SearchPaths { get; }
}

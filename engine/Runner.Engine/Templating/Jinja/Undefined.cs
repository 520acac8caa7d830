namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Ansible's AnsibleUndefined (a Jinja StrictUndefined): the value of an undefined variable or a
/// missing attribute. Reading an attribute of it yields itself (so `undefined_dict.key is defined`
/// is false without error); printing, iterating or computing with it raises
/// <see cref="UndefinedVariableError"/> with <see cref="Message"/>, e.g. "'x' is undefined" or
/// "'dict object' has no attribute 'x'".
/// </summary>
internal sealed class Undefined
{
    public Undefined(string name, string message) { Name = name; Message = message; }

    /// <summary>An undefined variable: "'name' is undefined".</summary>
    public static Undefined Var(string name) => new(name, $"'{name}' is undefined");

    /// <summary>A missing attribute of <paramref name="owner"/>: "'dict object' has no attribute 'x'".</summary>
    public static Undefined Attr(object? owner, string name) =>
        new(name, $"'{PyOps.TypeName(owner)} object' has no attribute '{name}'");

    public string Name { get; }
    public string Message { get; }

    public UndefinedVariableError Error() => new(Name, Message);
}

/// <summary>A callable value inside templates (a bound method, a macro, a global like lookup()).</summary>
internal sealed class PyCallable
{
    public PyCallable(string name, Func<List<object?>, Dictionary<string, object?>, object?> fn) { Name = name; Fn = fn; }
    public string Name { get; }
    public Func<List<object?>, Dictionary<string, object?>, object?> Fn { get; }
    /// <summary>Attributes of a callable that is also an object (a recursive loop's "loop").</summary>
    public Runner.Engine.Values.Dict? Attributes { get; init; }
}

/// <summary>Jinja's namespace(): an object whose attributes {% set ns.attr = value %} may assign, even inside loops.</summary>
internal sealed class Namespace
{
    public Runner.Engine.Values.Dict Attrs { get; } = new();
}

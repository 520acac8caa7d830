namespace Runner.Engine.Templating;

/// <summary>
/// Renders Ansible's Jinja2 templates. (Stub: the Jinja front end on Scriban fills this in.)
/// </summary>
public sealed class Templar
{
    /// <summary>
    /// Templates a value: strings holding "{{", "{%" or "{#" are rendered, lists and dicts are walked.
    /// Result types follow Ansible 2.14: a string that is exactly one bare variable keeps that variable's
    /// type; anything else renders to a string, turned back into a list, dict, bool or None only when
    /// the text looks like one (Python literal). Errors: <see cref="TemplateError"/>.
    /// </summary>
    public object? Template(object? value, IVariableScope vars) => throw new NotImplementedException();

    /// <summary>Renders a string to text (never converted back to native types).</summary>
    public string RenderString(string text, IVariableScope vars) => throw new NotImplementedException();

    /// <summary>
    /// Evaluates a conditional (when, changed_when, failed_when, assert's that): a bare Jinja expression
    /// (a string with "{{ }}" is templated first, as Ansible does) and Python truthiness of the result.
    /// Errors: <see cref="TemplateError"/>, e.g. for an undefined variable.
    /// </summary>
    public bool EvaluateConditional(object? condition, IVariableScope vars) => throw new NotImplementedException();

    /// <summary>Evaluates a bare Jinja expression to its native value (debug var=, loop expressions).</summary>
    public object? EvaluateExpression(string expression, IVariableScope vars) => throw new NotImplementedException();

    /// <summary>Renders a template file's text for the template module (trim_blocks on, trailing newline kept).</summary>
    public string RenderTemplateFile(string text, IVariableScope vars, string sourcePath) => throw new NotImplementedException();

    /// <summary>True when <paramref name="text"/> holds a Jinja delimiter ({{, {% or {#).</summary>
    public static bool IsTemplate(string text) => text.Contains("{{") || text.Contains("{%") || text.Contains("{#");
}

/// <summary>A template could not be rendered: syntax error, undefined variable, bad filter argument.</summary>
public class TemplateError : Exception
{
    public TemplateError(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A template read a variable (or attribute) that is not defined. Message: "'name' is undefined".</summary>
public sealed class UndefinedVariableError : TemplateError
{
    public UndefinedVariableError(string name, string message) : base(message) => Name = name;

    /// <summary>The undefined variable or attribute.</summary>
    public string Name { get; }
}

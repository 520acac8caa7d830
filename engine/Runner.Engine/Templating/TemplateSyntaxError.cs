namespace Runner.Engine.Templating;

/// <summary>
/// A template's source is not valid Jinja (Jinja's TemplateSyntaxError): unknown tag, unclosed block,
/// bad expression. <see cref="Line"/> is the 1-based line of the template where Jinja stopped.
/// </summary>
public sealed class TemplateSyntaxError : TemplateError
{
    public TemplateSyntaxError(string message, int line, Exception? inner = null) : base(message, inner) => Line = line;

    /// <summary>The 1-based line of the template the error is on.</summary>
    public int Line { get; }
}

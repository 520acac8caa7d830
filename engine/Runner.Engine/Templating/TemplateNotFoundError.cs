namespace Runner.Engine.Templating;

/// <summary>
/// A template named by {% include %}, {% import %} or {% extends %} is not on the search path (Jinja's
/// TemplateNotFound; TemplatesNotFound for a list). <see cref="Kind"/> is that Jinja exception's name,
/// which Ansible's template action prints before the message ("TemplateNotFound: missing.j2").
/// </summary>
public sealed class TemplateNotFoundError : TemplateError
{
    public TemplateNotFoundError(string kind, string message) : base(message) => Kind = kind;

    public override string PyClass => $"jinja2.exceptions.{Kind}";

    /// <summary>"TemplateNotFound" or "TemplatesNotFound".</summary>
    public string Kind { get; }
}

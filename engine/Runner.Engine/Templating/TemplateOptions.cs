namespace Runner.Engine.Templating;

/// <summary>
/// The Jinja environment settings that change how template source is read: the delimiters, trim_blocks,
/// lstrip_blocks, newline_sequence and keep_trailing_newline (Jinja 3.1 Environment,
/// https://jinja.palletsprojects.com/en/3.1.x/api/#jinja2.Environment). <see cref="Ansible"/> is what
/// ansible-core 2.14's AnsibleEnvironment uses everywhere (trim_blocks forced on, the rest Jinja's
/// defaults); the template module overrides them from its options of the same names
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/template_module.html), and a
/// first line "#jinja2: key: value, ..." overrides them for that one template (<see cref="WithHeader"/>).
/// </summary>
public sealed record TemplateOptions
{
    /// <summary>ansible-core 2.14's environment: trim_blocks on, lstrip_blocks off, "\n", default delimiters.</summary>
    public static readonly TemplateOptions Ansible = new();

    public string BlockStart { get; init; } = "{%";
    public string BlockEnd { get; init; } = "%}";
    public string VariableStart { get; init; } = "{{";
    public string VariableEnd { get; init; } = "}}";
    public string CommentStart { get; init; } = "{#";
    public string CommentEnd { get; init; } = "#}";
    /// <summary>Removes the first newline after a block or comment tag.</summary>
    public bool TrimBlocks { get; init; } = true;
    /// <summary>Strips spaces and tabs from the start of a line up to a block or comment tag.</summary>
    public bool LstripBlocks { get; init; }
    /// <summary>The line ending every newline of the template source becomes ("\n", "\r" or "\r\n").</summary>
    public string NewlineSequence { get; init; } = "\n";
    /// <summary>Keeps the source's single trailing newline (Jinja strips it by default).</summary>
    public bool KeepTrailingNewline { get; init; }

    /// <summary>True when the text holds any of this environment's start delimiters.</summary>
    public bool IsTemplate(string text) =>
        text.Contains(VariableStart, StringComparison.Ordinal) || text.Contains(BlockStart, StringComparison.Ordinal) ||
        text.Contains(CommentStart, StringComparison.Ordinal);

    /// <summary>
    /// Ansible's Templar.do_template: when <paramref name="text"/> starts with "#jinja2:", that first line
    /// ("#jinja2: trim_blocks: False, lstrip_blocks: True") is removed and each "key: value" pair (value a
    /// Python literal) overrides the setting of that name. Returns the settings and the remaining text.
    /// Errors: <see cref="TemplateError"/> "failed to parse jinja2 override 'PAIR'. ..." for a pair without ':'.
    /// </summary>
    public (TemplateOptions Options, string Text) WithHeader(string text) => Jinja.JinjaHeader.Apply(this, text);
}

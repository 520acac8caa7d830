using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// The "#jinja2:" first line of a template, as ansible-core 2.14's Templar.do_template reads it
/// (ansible/template/__init__.py, JINJA2_OVERRIDE): the line up to the first newline is split on ",",
/// each pair on its first ":", the key stripped and the value read with ast.literal_eval, and the
/// environment attribute of that name set; the line itself is removed from the template. Keys Runner
/// does not model are accepted and ignored, as setattr on an unused attribute is in Ansible.
/// </summary>
internal static class JinjaHeader
{
    private const string Prefix = "#jinja2:";

    public static (TemplateOptions, string) Apply(TemplateOptions options, string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return (options, text);
        var eol = text.IndexOf('\n');
        // Python's data[len(prefix):eol] with eol == -1 drops the last character; data[eol + 1:] keeps all
        var line = eol < 0 ? text[Prefix.Length..Math.Max(Prefix.Length, text.Length - 1)] : text[Prefix.Length..eol];
        var rest = text[(eol + 1)..];
        foreach (var pair in line.Split(','))
        {
            var colon = pair.IndexOf(':');
            if (colon < 0)
                throw new TemplateError($"failed to parse jinja2 override '{pair.Trim()}'. Did you use something different from colon as key-value separator?");
            var key = pair[..colon].Trim();
            var raw = pair[(colon + 1)..].Trim();
            if (!LiteralEval.TryParse(raw, out var value))
                throw new TemplateError($"failed to parse jinja2 override '{pair.Trim()}': malformed node or string: {raw}");
            options = Set(options, key, value);
        }
        return (options, rest);
    }

    private static TemplateOptions Set(TemplateOptions o, string key, object? v) => key switch
    {
        "trim_blocks" => o with { TrimBlocks = Data.Truthy(v) },
        "lstrip_blocks" => o with { LstripBlocks = Data.Truthy(v) },
        "keep_trailing_newline" => o with { KeepTrailingNewline = Data.Truthy(v) },
        "newline_sequence" => o with { NewlineSequence = Str(key, v) },
        "block_start_string" => o with { BlockStart = Str(key, v) },
        "block_end_string" => o with { BlockEnd = Str(key, v) },
        "variable_start_string" => o with { VariableStart = Str(key, v) },
        "variable_end_string" => o with { VariableEnd = Str(key, v) },
        "comment_start_string" => o with { CommentStart = Str(key, v) },
        "comment_end_string" => o with { CommentEnd = Str(key, v) },
        _ => o,
    };

    private static string Str(string key, object? v) =>
        v as string ?? throw new TemplateError($"jinja2 override {key} must be a string, got {PyOps.TypeName(v)}");
}

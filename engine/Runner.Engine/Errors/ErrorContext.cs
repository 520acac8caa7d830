using System.Text;
using System.Text.RegularExpressions;

namespace Runner.Engine.Errors;

/// <summary>
/// The part ansible-core 2.14 appends to an error raised with the object it concerns (AnsibleError._get_extended_error,
/// lib/ansible/errors/__init__.py, texts from errors/yaml_strings.py): "The error appears to be in 'FILE': line N,
/// column M, but may be elsewhere..." then the offending line with the one before it and a "^ here" arrow, then the
/// hints for common YAML mistakes (a tab, an unquoted "{{", a second "{", an extra colon, unbalanced quotes, k=v
/// shorthand mixed with YAML). A task's errors (undefined variable in its options, a failed `when`) carry it.
/// </summary>
public static class ErrorContext
{
    private const string Position =
        "The error appears to be in '{0}': line {1}, column {2}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n";

    private const string DictError = """
        This one looks easy to fix. YAML thought it was looking for the start of a
        hash/dictionary and was confused to see a second "{". Most likely this was
        meant to be an ansible template evaluation instead, so we have to give the
        parser a small hint that we wanted a string instead. The solution here is to
        just quote the entire value.

        For instance, if the original line was:

            app_path: {{ base_path }}/foo

        It should be written as:

            app_path: "{{ base_path }}/foo"

        """;

    private const string UnquotedVariableError = """
        We could be wrong, but this one looks like it might be an issue with
        missing quotes. Always quote template expression brackets when they
        start a value. For instance:

            with_items:
              - {{ foo }}

        Should be written as:

            with_items:
              - "{{ foo }}"

        """;

    private const string UnquotedColonError = """
        This one looks easy to fix. There seems to be an extra unquoted colon in the line
        and this is confusing the parser. It was only expecting to find one free
        colon. The solution is just add some quotes around the colon, or quote the
        entire line after the first colon.

        For instance, if the original line was:

            copy: src=file.txt dest=/path/filename:with_colon.txt

        It can be written as:

            copy: src=file.txt dest='/path/filename:with_colon.txt'

        Or:

            copy: 'src=file.txt dest=/path/filename:with_colon.txt'

        """;

    private const string PartiallyQuotedLineError = """
        This one looks easy to fix. It seems that there is a value started
        with a quote, and the YAML parser is expecting to see the line ended
        with the same kind of quote. For instance:

            when: "ok" in result.stdout

        Could be written as:

           when: '"ok" in result.stdout'

        Or equivalently:

           when: "'ok' in result.stdout"

        """;

    private const string UnbalancedQuotesError = """
        We could be wrong, but this one looks like it might be an issue with
        unbalanced quotes. If starting a value with a quote, make sure the
        line ends with the same set of quotes. For instance this arbitrary
        example:

            foo: "bad" "wolf"

        Could be written as:

            foo: '"bad" "wolf"'

        """;

    private const string LeadingTabError = """
        There appears to be a tab character at the start of the line.

        YAML does not use tabs for formatting. Tabs should be replaced with spaces.

        For example:
            - name: update tooling
              vars:
                version: 1.2.3
        #    ^--- there is a tab there.

        Should be written as:
            - name: update tooling
              vars:
                version: 1.2.3
        # ^--- all spaces here.

        """;

    private const string ShorthandError = "There appears to be both 'k=v' shorthand syntax and YAML in this task. Only one syntax may be used.\n";

    private static readonly Regex KeyValue = new(@"\w+(\s+)?=(\s+)?[\w/-]+");

    /// <summary>
    /// The extended error for a node written at <paramref name="at"/> (1-based line and column), as Ansible prints it
    /// after "\n\n"; empty when the location is unknown. The file is read again to show the lines.
    /// </summary>
    public static string For(SourceLocation? at)
    {
        if (at is null || at.Line <= 0) return "";
        var message = new StringBuilder(string.Format(Position, at.File, at.Line, at.Column));
        string[] lines;
        try { lines = ReadLines(at.File); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return message + "\n(could not open file to display line)"; }
        if (lines.Length == 0) return message + "\n(specified line no longer in file, maybe it changed?)";
        var index = Math.Min(at.Line - 1, lines.Length - 1);
        while (index > 0 && lines[index].Trim().Length == 0) index--;
        var target = lines[index];
        var prev = index > 0 ? lines[index - 1] : "";
        if (target.Length == 0) return message.ToString();
        if (KeyValue.IsMatch(prev))
        {
            var pos = prev.TrimEnd().IndexOf('=');
            message.Clear().Append(string.Format(Position, at.File, at.Line - 1, pos + 1));
            message.Append($"\nThe offending line appears to be:\n\n{prev.TrimEnd()}\n{new string(' ', pos)}^ here\n\n");
            message.Append(ShorthandError);
        }
        else
            message.Append($"\nThe offending line appears to be:\n\n{prev.TrimEnd()}\n{target.TrimEnd()}\n{new string(' ', Math.Max(at.Column - 1, 0))}^ here\n");
        message.Append(Hints(target, at.Column));
        return message.ToString();
    }

    /// <summary>The hints for common mistakes the offending line shows (the checks and their order are Ansible's).</summary>
    private static string Hints(string target, int column)
    {
        var hints = new StringBuilder();
        if (target.Contains('\t')) hints.Append(LeadingTabError);
        var stripped = target.Replace(" ", "");
        if (target.Contains("{{") && target.Contains("}}") && (!target.Contains("\"{{") || !target.Contains("'{{")))
            hints.Append(UnquotedVariableError);
        else if (stripped.Contains(":{{") && stripped.Contains("}}"))
            hints.Append(DictError);
        else if (target.Length > 1 && target.Length > column && target[column] == ':' && target.Count(c => c == ':') > 1)
            hints.Append(UnquotedColonError);
        else
        {
            var parts = target.Split(':');
            if (parts.Length > 1)
            {
                var middle = parts[1].Trim();
                var match = middle.StartsWith('\'') && !middle.EndsWith('\'') || middle.StartsWith('"') && !middle.EndsWith('"');
                var unbalanced = middle.Length > 0 && middle[0] is '"' or '\'' && middle[^1] is '"' or '\'' && target.Count(c => c == '\'') > 2
                                 || target.Count(c => c == '"') > 2;
                if (match) hints.Append(PartiallyQuotedLineError);
                if (unbalanced) hints.Append(UnbalancedQuotesError);
            }
        }
        return hints.ToString();
    }

    /// <summary>The file's lines as Python's readlines() gives them, each with its newline.</summary>
    private static string[] ReadLines(string path)
    {
        var text = File.ReadAllText(path);
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        return lines.ToArray();
    }
}

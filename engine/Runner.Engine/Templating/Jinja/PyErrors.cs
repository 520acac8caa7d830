using System.Text.RegularExpressions;
using Runner.Engine.Errors;
using YamlDotNet.Core;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// The Python exceptions ansible-core's filters raise for bad input, with the wording of the Python libraries behind
/// them: PyYAML's errors for from_yaml ("yaml.parser.ParserError: ...\n  in "&lt;unicode string&gt;", line L, column C"),
/// the re module's re.error for a bad pattern ("unterminated character set at position N"), binascii.Error for
/// b64decode. Only the parts Runner can know are exact: PyYAML's problem position (its last line, which ansible-playbook
/// shows) comes from YamlDotNet's, which follows the same libyaml rules; the first lines are YamlDotNet's wording.
/// </summary>
internal static class PyErrors
{
    /// <summary>PyYAML's MarkedYAMLError for a document YamlLoader refused (<paramref name="e"/> from YamlLoader.Load).</summary>
    public static PythonError Yaml(RunnerException e)
    {
        if (e.InnerException is not YamlException ye)
            return new PythonError("yaml.parser.ParserError", $"{e.Message}\n  in \"<unicode string>\", line {e.Location?.Line ?? 1}, column {e.Location?.Column ?? 1}");
        var text = Regex.Replace(ye.InnerException?.Message ?? ye.Message, @"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", "").TrimEnd('.');
        // an unquoted ": " inside a plain value, the commonest mistake: YamlDotNet words it its own way
        if (text is "While scanning a plain scalar value, found invalid mapping" or "Mapping values are not allowed in this context")
            return new PythonError("yaml.scanner.ScannerError", $"mapping values are not allowed in this context\n  in \"<unicode string>\", line {ye.Start.Line}, column {ye.Start.Column}");
        // YamlDotNet writes libyaml's "context, problem" on one line; PyYAML puts each on its own
        var lines = text.StartsWith("While ", StringComparison.Ordinal) && text.IndexOf(", ", StringComparison.Ordinal) is var comma and > 0
            ? "w" + text[1..comma] + "\n" + text[(comma + 2)..]
            : char.ToLowerInvariant(text[0]) + text[1..];
        var cls = ye is SyntaxErrorException ? "yaml.scanner.ScannerError" : "yaml.parser.ParserError";
        return new PythonError(cls, $"{lines}\n  in \"<unicode string>\", line {ye.Start.Line}, column {ye.Start.Column}");
    }

    /// <summary>
    /// re.error for a pattern .NET refused, worded as Python's sre_parse for the common mistakes, at the position
    /// Python reports (the unclosed "[" or "(", the stray ")", the quantifier with nothing to repeat).
    /// </summary>
    public static PythonError ReError(string pattern, ArgumentException e)
    {
        var error = e is RegexParseException rp ? rp.Error : RegexParseError.Unknown;
        var offset = e is RegexParseException rpo ? rpo.Offset : pattern.Length;
        var (openClass, openGroup, strayClose) = Scan(pattern);
        var message = error switch
        {
            RegexParseError.UnterminatedBracket when openClass >= 0 => $"unterminated character set at position {openClass}",
            RegexParseError.InsufficientClosingParentheses when openGroup >= 0 => $"missing ), unterminated subpattern at position {openGroup}",
            RegexParseError.InsufficientOpeningParentheses when strayClose >= 0 => $"unbalanced parenthesis at position {strayClose}",
            RegexParseError.QuantifierAfterNothing => $"nothing to repeat at position {Math.Max(offset - 1, 0)}",
            RegexParseError.NestedQuantifiersNotParenthesized => $"multiple repeat at position {Math.Max(offset - 1, 0)}",
            RegexParseError.UnescapedEndingBackslash => $"bad escape (end of pattern) at position {pattern.Length - 1}",
            _ => e.Message,
        };
        return new PythonError("re.error", message);
    }

    /// <summary>Where a pattern leaves a character class or a group open, or closes a group it never opened (-1: nowhere).</summary>
    private static (int OpenClass, int OpenGroup, int StrayClose) Scan(string p)
    {
        var groups = new Stack<int>();
        var stray = -1;
        for (var i = 0; i < p.Length; i++)
        {
            switch (p[i])
            {
                case '\\': i++; break;
                case '[':
                {
                    var start = i++;
                    if (i < p.Length && p[i] == '^') i++;
                    if (i < p.Length && p[i] == ']') i++;
                    while (i < p.Length && p[i] != ']') { if (p[i] == '\\') i++; i++; }
                    if (i >= p.Length) return (start, groups.Count > 0 ? groups.Last() : -1, stray);
                    break;
                }
                case '(': groups.Push(i); break;
                case ')':
                    if (groups.Count > 0) groups.Pop();
                    else if (stray < 0) stray = i;
                    break;
            }
        }
        return (-1, groups.Count > 0 ? groups.Last() : -1, stray);
    }

    /// <summary>
    /// base64.b64decode(s) (not validating): characters outside the alphabet are dropped; binascii.Error when the data
    /// characters are one more than a multiple of 4 or the padding is short.
    /// </summary>
    public static byte[] B64Decode(string s)
    {
        var data = new System.Text.StringBuilder();
        var pad = 0;
        foreach (var c in s)
        {
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/')
            {
                if (pad > 0) break; // data after padding ends the input, as binascii does once a quad is complete
                data.Append(c);
            }
            else if (c == '=') pad++;
        }
        var n = data.Length;
        if (n % 4 == 1)
            throw PythonError.ValueError($"Invalid base64-encoded string: number of data characters ({n}) cannot be 1 more than a multiple of 4", "binascii.Error");
        if (n % 4 != 0 && pad < 4 - n % 4) throw PythonError.ValueError("Incorrect padding", "binascii.Error");
        data.Append('=', (4 - n % 4) % 4);
        return Convert.FromBase64String(data.ToString());
    }
}

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Ansible's comment filter (ansible/plugins/filter/core.py comment; docs: ansible.builtin.comment filter): wraps
/// text as a comment block in a style (plain "#", erlang "%", c "//", cblock "/* */", xml "&lt;!-- --&gt;"),
/// with the keyword overrides newline, beginning, prefix, prefix_count, decoration, postfix, postfix_count, end.
/// "Ansible managed" | comment gives "#\n# Ansible managed\n#".
/// </summary>
internal static partial class Filters
{
    private static readonly Dictionary<string, Dictionary<string, string>> CommentStyles = new()
    {
        ["plain"] = new() { ["decoration"] = "# " },
        ["erlang"] = new() { ["decoration"] = "% " },
        ["c"] = new() { ["decoration"] = "// " },
        ["cblock"] = new() { ["beginning"] = "/*", ["decoration"] = " * ", ["end"] = " */" },
        ["xml"] = new() { ["beginning"] = "<!--", ["decoration"] = " - ", ["end"] = "-->" },
    };

    private static object? Comment(object? v, FilterArgs a)
    {
        var text = PyOps.Str(v);
        var styleName = a.Str(0, "style", "plain")!;
        if (!CommentStyles.TryGetValue(styleName, out var style))
            throw new TemplateError($"template error while templating string: KeyError: '{styleName}'");
        var edge = (a.Kw.TryGetValue("decoration", out var dk) ? PyOps.Str(dk) : style["decoration"]).TrimEnd();
        var p = new Dictionary<string, string>
        {
            ["newline"] = "\n", ["beginning"] = "", ["prefix"] = edge, ["prefix_count"] = "1",
            ["decoration"] = "", ["postfix"] = edge, ["postfix_count"] = "1", ["end"] = "",
        };
        foreach (var (k, val) in style) p[k] = val;
        foreach (var (k, val) in a.Kw) p[k] = PyOps.Str(val);
        var nl = p["newline"];
        var deco = p["decoration"];
        var beginning = p["beginning"].Length > 0 ? p["beginning"] + nl : "";
        var prefix = p["prefix"].Length == 0 ? "" : Repeat(p["prefix"] == nl ? nl : p["prefix"] + nl, int.Parse(p["prefix_count"]));
        var body = (deco + text.Replace(nl, nl + deco)).Replace(deco + nl, deco.TrimEnd() + nl);
        var postfix = string.Join(nl, new[] { "" }.Concat(Enumerable.Repeat(p["postfix"], int.Parse(p["postfix_count"]))));
        var end = p["end"].Length > 0 ? nl + p["end"] : "";
        return beginning + prefix + body + postfix + end;
    }

    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, Math.Max(0, n)));
}

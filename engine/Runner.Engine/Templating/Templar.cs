using System.Collections.Concurrent;
using System.Text;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating;

/// <summary>
/// Renders Ansible's Jinja2 templates as ansible-core 2.14 with Jinja 3.1 does
/// (https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_templating.html).
/// The Jinja front end (Templating/Jinja/) lexes and parses Jinja itself and evaluates the tree with
/// Python semantics (see <see cref="Jinja.Evaluator"/> for why it does not lower to Scriban's AST);
/// native Scriban (.sbn) templates render through <see cref="RenderScriban"/>.
/// Environment as Ansible's: trim_blocks on, lstrip_blocks off, trailing newlines preserved, a printed
/// None is "", string literals inside {{ }} of task strings keep their backslashes.
/// Thread-safe: parsed templates are cached by source text in a ConcurrentDictionary; every call
/// gets its own render state.
/// </summary>
public sealed class Templar
{
    private readonly ConcurrentDictionary<(string Text, bool Raw, TemplateOptions Options, string? Path), ParsedTemplate> _cache = new();
    private readonly ConcurrentDictionary<string, Expr> _exprCache = new();

    /// <summary>
    /// Templates a value: strings holding "{{", "{%" or "{#" are rendered, lists and dicts are walked
    /// (keys too). Result types follow Ansible 2.14: a string that is exactly "{{ name }}" for a variable
    /// holding a bool, number or None returns that value; anything else renders to a string, turned back
    /// into a list, dict or bool when the text starts with "[" or "{" or is True/False and parses as a
    /// Python literal. Errors: <see cref="TemplateError"/> (<see cref="UndefinedVariableError"/> for undefined).
    /// </summary>
    public object? Template(object? value, IVariableScope vars) =>
        Guard(value as string, () => TemplateIn(value, new RenderContext(this, vars)));

    /// <summary>Renders a string to text (never converted back to native types).</summary>
    public string RenderString(string text, IVariableScope vars) =>
        !IsTemplate(text) ? text : Guard(text, () => Render(text, true, new RenderContext(this, vars), null));

    /// <summary>
    /// Evaluates a conditional (when, changed_when, failed_when, assert's that) as Ansible 2.14's
    /// Conditional._check_conditional: a bool passes through, null is false; a string is first templated
    /// (so "{{ x }}" works, with native conversion), a non-string or empty result is judged by Python
    /// truthiness, otherwise the text is evaluated as a Jinja expression and its truthiness returned
    /// (so the string "false" is truthy, the expression false is not). Errors: "The conditional check
    /// 'EXPR' failed. The error was: error while evaluating conditional (EXPR): MSG. MSG" for undefined
    /// variables (<see cref="UndefinedVariableError"/>), "The conditional check 'EXPR' failed. The error
    /// was: MSG" for other <see cref="TemplateError"/>s.
    /// </summary>
    public bool EvaluateConditional(object? condition, IVariableScope vars)
    {
        switch (condition)
        {
            case null: return false;
            case bool b: return b;
            case not string: return Data.Truthy(condition);
        }
        var text = (string)condition;
        try
        {
            var ctx = new RenderContext(this, vars);
            var templated = TemplateIn(text, ctx);
            if (templated is not string ts || ts.Length == 0) return PyOps.Truthy(templated);
            try { return PyOps.Truthy(Evaluator.Eval(ParseExpr(ts, conditional: true), ctx)); }
            catch (TemplateError e) when (IsLateSyntaxError(e)) { throw SyntaxError(e, ConditionalText(ts)); }
            catch (PythonError e) when (e.Kind == PyErrorKind.TypeError)
            {
                throw new TemplateError($"Unexpected templating type error occurred on ({ConditionalText(ts)}): {e.Message}. {e.Message}", e);
            }
        }
        catch (UndefinedVariableError e)
        {
            throw new UndefinedVariableError(e.Name,
                $"The conditional check '{text}' failed. The error was: error while evaluating conditional ({text}): {e.Message}. {e.Message}");
        }
        catch (TemplateError e)
        {
            throw new TemplateError($"The conditional check '{text}' failed. The error was: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or OverflowException or FormatException or IOException or InvalidOperationException)
        {
            throw new TemplateError($"The conditional check '{text}' failed. The error was: {e.Message}", e);
        }
    }

    /// <summary>
    /// Evaluates a bare Jinja expression (no braces) to its native value (debug var=, loop expressions).
    /// Errors: <see cref="UndefinedVariableError"/> when the result or a part of it is undefined.
    /// </summary>
    public object? EvaluateExpression(string expression, IVariableScope vars) => Guard(expression, () =>
    {
        var v = Evaluator.Eval(ParseExpr(expression), new RenderContext(this, vars));
        return PyOps.Check(v) is PyTuple t ? t.ToList() : v;
    });

    /// <summary>
    /// Renders a template file's text for the template module (ansible/plugins/action/template.py):
    /// the environment is <paramref name="options"/> (default <see cref="TemplateOptions.Ansible"/>:
    /// trim_blocks on, lstrip_blocks off), overridden by a "#jinja2:" first line; backslash escapes are
    /// processed in string literals; trailing newlines are kept as many as the source has (padded with
    /// newline_sequence). Adds template_path and template_fullpath; lookups and {% include %} /
    /// {% import %} / {% extends %} also search the file's own folder. Errors: <see cref="TemplateError"/>;
    /// a syntax error quotes the whole source, as ansible-core's does.
    /// </summary>
    /// <param name="templatePath">The template as the task named it (template_path); <paramref name="sourcePath"/> by default.</param>
    public string RenderTemplateFile(string text, IVariableScope vars, string sourcePath, TemplateOptions? options = null,
        string? templatePath = null) =>
        Guard(null, () => RenderFileIn(text, vars, sourcePath, options ?? TemplateOptions.Ansible, templatePath));

    /// <summary>
    /// Renders a native Scriban template (.sbn; https://github.com/scriban/scriban/blob/master/doc/language.md).
    /// Variables are exposed under their own names as a ScriptObject (nested dicts as ScriptObjects, lists as
    /// ScriptArrays), each templated first as Ansible would. Errors: <see cref="TemplateError"/> with
    /// Scriban's parse or runtime message and <paramref name="sourcePath"/>.
    /// </summary>
    public string RenderScriban(string text, IVariableScope vars, string sourcePath) =>
        ScribanRenderer.Render(text, vars, sourcePath, this);

    /// <summary>True when <paramref name="text"/> holds a Jinja delimiter ({{, {% or {#).</summary>
    public static bool IsTemplate(string text) => text.Contains("{{") || text.Contains("{%") || text.Contains("{#");

    // ---- internals ----

    /// <summary>Where a warning raised while templating goes when no task scope is open (<see cref="TemplateWarnings"/>): the run's callback.</summary>
    public Action<string>? Warn { get; set; }

    /// <summary>The [defaults] ansible_managed setting: a Python format string with {host}, {uid} and {file}, then
    /// strftime'd with the template's modification time (Ansible 2.14's default is "Ansible managed").</summary>
    public string AnsibleManaged { get; init; } = "Ansible managed";

    /// <summary>
    /// The variables Ansible's template action adds (template/__init__.py generate_ansible_template_vars):
    /// template_path, template_fullpath, template_host (the controller's node name), template_uid (the controller
    /// user: Runner does not look up the file's owner), template_mtime and template_run_date (as Python's
    /// str(datetime)), and ansible_managed.
    /// </summary>
    private Dictionary<string, object?> TemplateVars(string sourcePath, string templatePath)
    {
        var full = Path.GetFullPath(sourcePath);
        var mtime = File.Exists(full) ? File.GetLastWriteTime(full) : DateTime.Now;
        var host = Environment.MachineName;
        var uid = Environment.UserName;
        var managed = PyStrftime.Format(AnsibleManaged.Replace("{host}", host).Replace("{uid}", uid).Replace("{file}", templatePath),
            new DateTimeOffset(mtime));
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["template_path"] = templatePath,
            ["template_fullpath"] = full,
            ["template_host"] = host,
            ["template_uid"] = uid,
            ["template_mtime"] = PyStrftime.DateTimeStr(mtime),
            ["template_run_date"] = PyStrftime.DateTimeStr(DateTime.Now),
            ["ansible_managed"] = managed,
        };
    }

    internal string RenderFileIn(string text, IVariableScope vars, string sourcePath, TemplateOptions options, string? templatePath = null)
    {
        var ctx = new RenderContext(this, vars, sourcePath, options);
        ctx.Push(TemplateVars(sourcePath, templatePath ?? sourcePath));
        return Render(text, false, ctx, sourcePath);
    }

    internal object? TemplateIn(object? value, RenderContext ctx) => value switch
    {
        string s => TemplateString(s, ctx),
        Dict d => new Dict(d.Select(kv => new KeyValuePair<string, object?>(
            IsTemplate(kv.Key) ? PyOps.Str(TemplateString(kv.Key, ctx)) : kv.Key, TemplateIn(kv.Value, ctx)))),
        List<object?> l => l.Select(x => TemplateIn(x, ctx)).ToList(),
        Vault.LockedVaultValue locked => throw new TemplateError(locked.Message),
        _ => value,
    };

    /// <summary>
    /// One string templated (ansible-core's do_template): a TypeError raised while rendering it is reported as
    /// "Unexpected templating type error occurred on (TEXT): MSG. MSG".
    /// </summary>
    private object? TemplateString(string s, RenderContext ctx)
    {
        if (!IsTemplate(s)) return s;
        try { return TemplateStringIn(s, ctx); }
        catch (PythonError e) when (e.Kind == PyErrorKind.TypeError)
        {
            throw new TemplateError($"Unexpected templating type error occurred on ({s}): {e.Message}. {e.Message}", e);
        }
        catch (TemplateError e) when (IsLateSyntaxError(e)) { throw SyntaxError(e, s); }
    }

    private object? TemplateStringIn(string s, RenderContext ctx)
    {
        var (options, body) = ctx.Options.WithHeader(s);
        var parsed = Parse(body, true, options, null);
        if (parsed.SingleVarName is { } name && ctx.Scope.TryGetRaw(name, out var raw) && raw is null or bool or long or int or double)
            return raw;
        var text = Render(s, true, ctx, null);
        // Ansible wraps the results of its STRING_TYPE_FILTERS in NativeJinjaText: a template that is one
        // such filter call is never literal_eval'ed (ansible/template/__init__.py, _wrap_native_text).
        if (parsed.SingleExpr is FilterExpr { Name: "string" or "to_json" or "to_nice_json" or "to_yaml" or "to_nice_yaml" or "ppretty" or "json" })
            return text;
        return LiteralEval.Convert(text);
    }

    /// <summary>
    /// Ansible's Templar.do_template: applies a "#jinja2:" header, renders with Jinja (which drops one
    /// trailing newline), then pads the result with newline_sequence up to the source's trailing "\n" count.
    /// </summary>
    private string Render(string text, bool rawStrings, RenderContext ctx, string? path)
    {
        var (options, body) = ctx.Options.WithHeader(text);
        var parsed = Parse(body, rawStrings, options, path);
        var sb = new StringBuilder();
        var depth = ctx.Depth;
        var outer = ctx.Options;
        ctx.Options = options;
        try { Evaluator.RenderTemplate(parsed, ctx, sb); }
        finally { ctx.Unwind(depth); ctx.Options = outer; }
        var want = TrailingNewlines(text);
        var have = TrailingNewlines(sb);
        for (var i = have; i < want; i++) sb.Append(options.NewlineSequence);
        return sb.ToString();
    }

    private static int TrailingNewlines(string s) { var n = 0; while (n < s.Length && s[s.Length - 1 - n] == '\n') n++; return n; }
    private static int TrailingNewlines(StringBuilder s) { var n = 0; while (n < s.Length && s[s.Length - 1 - n] == '\n') n++; return n; }

    /// <summary>
    /// Parses (cached) template source. A syntax error reads as ansible-core's, for a file (<paramref name="path"/>)
    /// as for a task string: "template error while templating string: MSG. String: TEXT. MSG", TEXT the whole source.
    /// </summary>
    internal ParsedTemplate Parse(string text, bool rawStrings, TemplateOptions options, string? path)
    {
        var key = (text, rawStrings, options, path);
        if (_cache.TryGetValue(key, out var p)) return p;
        try { p = Parser.ParseTemplate(text, options, rawStrings) with { Path = path }; }
        catch (TemplateError e) when (e.Message.StartsWith(SyntaxPrefix, StringComparison.Ordinal))
        {
            // AnsibleError("template error while templating string: %s. String: %s", orig_exc=e): the message, then ". " and Jinja's own
            throw SyntaxError(e, text);
        }
        if (_cache.Count > 50_000) _cache.Clear();
        _cache[key] = p;
        return p;
    }

    private const string SyntaxPrefix = "template error while templating string: ";

    /// <summary>
    /// ansible-core's AnsibleError("template error while templating string: %s. String: %s", orig_exc=e) for Jinja's
    /// syntax error <paramref name="e"/> (Runner's text "template error while templating string: MSG."): the message, then
    /// ". " and Jinja's own again.
    /// </summary>
    private static TemplateSyntaxError SyntaxError(TemplateError e, string text)
    {
        var m = e.Message.StartsWith(SyntaxPrefix, StringComparison.Ordinal) ? e.Message[SyntaxPrefix.Length..] : e.Message;
        if (m.EndsWith('.')) m = m[..^1];
        return new TemplateSyntaxError($"{SyntaxPrefix}{m}. String: {text}. {m}", (e as TemplateSyntaxError)?.Line ?? 1, e);
    }

    /// <summary>What ansible-core templates to evaluate a conditional (Conditional._check_conditional).</summary>
    private static string ConditionalText(string expression) => $"{{% if {expression} %}} True {{% else %}} False {{% endif %}}";

    /// <summary>An error Runner finds while rendering that Jinja finds while compiling (an unknown filter or test) is a syntax error of <paramref name="text"/>.</summary>
    private static bool IsLateSyntaxError(TemplateError e) => e is not TemplateSyntaxError && e.Message.StartsWith(SyntaxPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Parses a bare expression (cached). A conditional's syntax error reads as ansible-core's, which templates
    /// "{% if EXPR %} True {% else %} False {% endif %}": that text is the String, the end of the tag is what was unexpected.
    /// </summary>
    private Expr ParseExpr(string expression, bool conditional = false)
    {
        if (_exprCache.TryGetValue(expression, out var e)) return e;
        try { e = Parser.ParseExpression(expression, conditional); }
        catch (TemplateError ex) when (conditional && ex.Message.StartsWith(SyntaxPrefix, StringComparison.Ordinal))
        {
            throw SyntaxError(ex, ConditionalText(expression));
        }
        catch (TemplateError ex) { throw new TemplateError($"{ex.Message} String: {expression}", ex); }
        if (_exprCache.Count > 50_000) _exprCache.Clear();
        _exprCache[expression] = e;
        return e;
    }

    /// <summary>Turns stray runtime exceptions (bad casts, IO) into a <see cref="TemplateError"/>, never a stack trace.</summary>
    private static T Guard<T>(string? text, Func<T> f)
    {
        try { return f(); }
        catch (TemplateError) { throw; }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or OverflowException or FormatException
                                      or IOException or UnauthorizedAccessException or InvalidOperationException
                                      or System.Text.RegularExpressions.RegexMatchTimeoutException or IndexOutOfRangeException)
        {
            throw new TemplateError(text is null ? $"Unexpected templating error: {e.Message}" : $"Unexpected templating type error occurred on ({text}): {e.Message}", e);
        }
    }
}

/// <summary>
/// A template could not be rendered: syntax error, undefined variable, bad filter argument. Stands for the AnsibleError
/// ansible-core raises (<see cref="PyClass"/> names it in "Error was a &lt;class 'X'&gt;" messages); a Python exception
/// that is not an AnsibleError is a <see cref="PythonError"/>.
/// </summary>
public class TemplateError : Exception
{
    public TemplateError(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The Python class ansible-core raises for this error, as "Error was a &lt;class 'X'&gt;" names it.</summary>
    public virtual string PyClass => AnsibleClass;

    /// <summary>Which AnsibleError it is (ansible.errors.AnsibleError unless set: AnsibleParserError, AnsibleFilterError...).</summary>
    public string AnsibleClass { get; init; } = "ansible.errors.AnsibleError";
}

/// <summary>A template read a variable (or attribute) that is not defined. Message: "'name' is undefined".</summary>
public sealed class UndefinedVariableError : TemplateError
{
    public UndefinedVariableError(string name, string message) : base(message) => Name = name;

    public override string PyClass => "ansible.errors.AnsibleUndefinedVariable";

    /// <summary>The undefined variable or attribute.</summary>
    public string Name { get; }
}

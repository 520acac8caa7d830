using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// One lookup plugin (ansible-core 2.14 lib/ansible/plugins/lookup/NAME.py; docs:
/// https://docs.ansible.com/ansible/2.14/plugins/lookup.html). <see cref="Run"/> gets the terms already
/// listified and returns the plugin's list, as LookupBase.run does; lookup()/query() and with_NAME both call it.
/// </summary>
internal abstract class LookupPlugin
{
    /// <summary>The names it answers to (ansible.builtin.NAME is accepted too).</summary>
    public abstract IReadOnlyList<string> Names { get; }

    public abstract List<object?> Run(List<object?> terms, LookupCall call);

    /// <summary>LookupBase._flatten: one level.</summary>
    protected static List<object?> Flatten(IEnumerable<object?> terms)
    {
        var r = new List<object?>();
        foreach (var t in terms)
            if (t is List<object?> l) r.AddRange(l); else if (t is PyTuple tp) r.AddRange(tp.ToList()); else r.Add(t);
        return r;
    }

    /// <summary>Python's bytes.splitlines: lines split at \n, \r\n or \r, no empty last line for a final newline.</summary>
    protected static IEnumerable<object?> SplitLines(string text) => PyLines.Values(text, bytesOnly: true);

    /// <summary>A term that must be a string (Ansible: "Invalid setting identifier, "X" is not a string, its a TYPE").</summary>
    protected static string Identifier(object? term, string verb = "its") => term is string s ? s
        : throw new TemplateError($"Invalid setting identifier, \"{PyOps.Str(term)}\" is not a string, {verb} a <class '{PyOps.TypeName(term)}'>");
}

/// <summary>Ansible's AnsibleLookupError: the plugin handled the failure; errors=warn|ignore apply and the message is shown as is.</summary>
public sealed class LookupFailedError : TemplateError
{
    public LookupFailedError(string message) : base(message) { }
}

/// <summary>Ansible's AnsibleOptionsError from a lookup: always raised as is, whatever errors= says.</summary>
public sealed class LookupOptionsError : TemplateError
{
    public LookupOptionsError(string message) : base(message) { }
}

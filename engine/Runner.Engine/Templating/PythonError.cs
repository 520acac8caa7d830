namespace Runner.Engine.Templating;

/// <summary>
/// A Python exception that is not an AnsibleError, raised where ansible-core 2.14's filters, tests or Jinja's operators
/// raise one (ZeroDivisionError, TypeError, ValueError, re.error, yaml.parser.ParserError...). ansible-core treats them
/// apart from its own errors: in a task's options a TypeError becomes "Unexpected templating type error occurred on
/// (TEXT): MSG", a ValueError "the field 'args' has an invalid value...", any other fails the task with the exception
/// and no message; read through a variable, each is "An unhandled exception occurred while templating 'TEXT'. Error
/// was a &lt;class 'TYPE'&gt;, original message: MSG". <see cref="Exception.Message"/> is Python's str() of the exception.
/// </summary>
public sealed class PythonError : TemplateError
{
    /// <param name="pyClass">The class as Python prints it in a traceback: "ZeroDivisionError", "re.error", "yaml.scanner.ScannerError".</param>
    /// <param name="kind">The built-in class it derives from, which decides how ansible-core reports it.</param>
    public PythonError(string pyClass, string message, PyErrorKind kind = PyErrorKind.Other, Exception? inner = null) : base(message, inner)
    {
        Class = pyClass;
        Kind = kind;
    }

    /// <summary>The exception's class ("re.error").</summary>
    public string Class { get; }

    /// <summary>Whether it is a TypeError, a ValueError (or a subclass of either) or another exception.</summary>
    public PyErrorKind Kind { get; }

    public override string PyClass => Class;

    /// <summary>Python's TypeError.</summary>
    public static PythonError TypeError(string message) => new("TypeError", message, PyErrorKind.TypeError);

    /// <summary>Python's ValueError (or a subclass: json.decoder.JSONDecodeError, binascii.Error).</summary>
    public static PythonError ValueError(string message, string pyClass = "ValueError") => new(pyClass, message, PyErrorKind.ValueError);

    /// <summary>Python's ZeroDivisionError.</summary>
    public static PythonError ZeroDivision(string message) => new("ZeroDivisionError", message);

    /// <summary>The last line of the exception's traceback text: "CLASS: MESSAGE" (the message's last line when it has several).</summary>
    public string TracebackText => $"Traceback (most recent call last):\n  (a Runner filter, test or operator; no Python frames)\n{Class}: {Message}";
}

/// <summary>The built-in Python exception a <see cref="PythonError"/> derives from.</summary>
public enum PyErrorKind
{
    /// <summary>Neither TypeError nor ValueError (ZeroDivisionError, re.error, yaml.YAMLError, KeyError...).</summary>
    Other,
    TypeError,
    ValueError,
}

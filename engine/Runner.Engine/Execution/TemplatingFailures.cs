using Runner.Engine.Errors;
using Runner.Engine.Playbooks;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>
/// A task that cannot go on for this host: ansible-core raised an AnsibleError out of TaskExecutor._execute (its options or
/// its `when` could not be templated), so TaskExecutor.run reports {"failed": true, "msg": ...} for the whole task, and in a
/// loop no later item runs (the items already done were reported) and the task's result has no "results".
/// </summary>
public sealed class TaskAbortedException(Dict result) : Exception(PyStr.Str(result.GetValueOrDefault("msg")))
{
    /// <summary>The task's result: failed, with Ansible's message.</summary>
    public Dict Result { get; } = result;
}

/// <summary>
/// How ansible-core 2.14 reports a task whose options could not be templated (Task.post_validate in TaskExecutor._execute,
/// lib/ansible/playbook/base.py FieldAttributeBase.post_validate): an undefined variable is "The task includes an option
/// with an undefined variable. The error was: MSG. MSG" and a ValueError "the field 'args' has an invalid value (ARGS), and
/// could not be converted to an dict.The error was: MSG", both followed by the task's place in its file
/// (<see cref="ErrorContext"/>); another AnsibleError is its message; these end the task (<see cref="TaskAbortedException"/>).
/// Any other Python exception fails only this run of the task (one loop item) with the exception and no message.
/// </summary>
public static class TemplatingFailures
{
    /// <summary>The result for an error templating <paramref name="task"/>'s options; throws <see cref="TaskAbortedException"/> when it ends the task.</summary>
    public static Dict ForOptions(TemplateError e, TaskItem task) => e switch
    {
        UndefinedVariableError u => throw Abort($"The task includes an option with an undefined variable. The error was: {u.Message}. {u.Message}", task),
        PythonError { Kind: PyErrorKind.ValueError } v =>
            throw Abort($"the field 'args' has an invalid value ({PyStr.Repr(task.Args)}), and could not be converted to an dict.The error was: {v.Message}", task),
        PythonError { Kind: PyErrorKind.Other } p => new Dict { ["changed"] = false, ["failed"] = true, ["exception"] = p.TracebackText },
        _ => throw new TaskAbortedException(new Dict { ["failed"] = true, ["msg"] = e.Message }),
    };

    /// <summary>
    /// The end of a task whose keyword <paramref name="field"/> could not be templated: "The field 'FIELD' has an invalid
    /// value, which includes an undefined variable. The error was: MSG. MSG" and the task's place, or the error's message.
    /// </summary>
    public static TaskAbortedException ForField(string field, TemplateError e, TaskItem task) => e is UndefinedVariableError u
        ? Abort($"The field '{field}' has an invalid value, which includes an undefined variable. The error was: {u.Message}. {u.Message}", task)
        : new TaskAbortedException(new Dict { ["failed"] = true, ["msg"] = e.Message });

    /// <summary>
    /// The value of the int keyword <paramref name="field"/> (Ansible's attribute name: async_val, poll) as Python's int()
    /// reads it (an integer, a float truncated, a bool, text with an optional sign and spaces); other text ends the task
    /// with "the field 'FIELD' has an invalid value (VALUE), and could not be converted to an int.The error was: invalid
    /// literal for int() with base 10: 'VALUE'" and the task's place (FieldAttributeBase.post_validate).
    /// </summary>
    public static long Int(string field, object? value, TaskItem task) => value switch
    {
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        double d when double.IsFinite(d) => (long)Math.Truncate(d),
        string s when long.TryParse(s.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => throw Abort($"the field '{field}' has an invalid value ({PyStr.Str(value)}), and could not be converted to an int.The error was: invalid literal for int() with base 10: {PyStr.Repr(PyStr.Str(value))}", task),
    };

    /// <summary>The end of a task whose `when` could not be evaluated: the message and the task's place (Conditional.evaluate_conditional raises with the task's data).</summary>
    public static TaskAbortedException ForWhen(string message, TaskItem task) => Abort(message, task);

    private static TaskAbortedException Abort(string message, TaskItem task) =>
        new(new Dict { ["failed"] = true, ["msg"] = WithPlace(message, task.Location) });

    /// <summary>The message followed by "\n\n" and the extended error for <paramref name="at"/>, when it is known.</summary>
    public static string WithPlace(string message, SourceLocation? at) =>
        ErrorContext.For(at) is { Length: > 0 } ext ? $"{message}\n\n{ext}" : message;
}

using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.validate_argument_spec
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/validate_argument_spec_module.html), the action
/// the loader puts first in a role with an argument spec (Ansible's role argument validation,
/// https://docs.ansible.com/ansible/2.14/playbook_guide/playbooks_reuse_roles.html#role-argument-validation).
/// Each option of argument_spec that is a variable is taken from the task's variables (templated), provided_arguments
/// over them, and checked as module arguments are (<see cref="ArgumentValidator"/>: type, required, choices, elements;
/// Ansible's type names other than str, bool, int, float, list, dict, path and raw are taken as raw; suboptions are not
/// checked; only the first such error is reported), then the parameters the spec does not name ("a. Supported
/// parameters include: ..."). Passing gives {"changed": false, "msg": "The arg spec validation passed"}; a failure gives
/// "Validation of arguments failed:\nERROR" with argument_errors and argument_spec_data; both carry
/// validate_args_context.
/// </summary>
public sealed class ValidateArgumentSpecModule : IModule
{
    public string Name => "validate_argument_spec";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("argument_spec", OptionType.Dict, Required: true), new("provided_arguments", OptionType.Dict),
        new("validate_args_context", OptionType.Dict),
    }, RunsOnController: true) { NeedsConnection = false, SupportsAsync = false };

    public Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var spec = ctx.Args.Get("argument_spec") as Dict ?? new Dict();
        var values = new Dict();
        foreach (var name in spec.Keys)
            if (ctx.Variables.TryGetRaw(name, out var v)) values[name] = ctx.Templar.Template(v, ctx.Variables);
        if (ctx.Args.Get("provided_arguments") is Dict given)
            foreach (var (k, v) in given) values[k] = v;
        var result = new Dict { ["validate_args_context"] = ctx.Args.Get("validate_args_context") as Dict ?? new Dict() };
        var options = spec.Select(o => Option(o.Key, o.Value as Dict)).ToList();
        var known = options.SelectMany(o => (o.Aliases ?? Array.Empty<string>()).Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        var unsupported = values.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var errors = new List<object?>();
        try
        {
            var supportedValues = new Dict();
            foreach (var (k, v) in values) if (known.Contains(k)) supportedValues[k] = v;
            ArgumentValidator.Validate(new ModuleSpec(options), supportedValues, Name);
        }
        catch (ModuleArgumentException e) { errors.Add(e.Message); }
        // arg_spec.py appends the unsupported parameters last: "a, b. Supported parameters include: x (alias), y."
        if (unsupported.Count > 0)
            errors.Add($"{string.Join(", ", unsupported)}. Supported parameters include: " +
                string.Join(", ", options.Select(o => o.Aliases is { Length: > 0 } al ? $"{o.Name} ({string.Join(", ", al.Order(StringComparer.Ordinal))})" : o.Name)
                    .Order(StringComparer.Ordinal)) + ".");
        if (errors.Count > 0)
        {
            result["failed"] = true;
            result["msg"] = "Validation of arguments failed:\n" + string.Join("\n", errors);
            result["argument_spec_data"] = spec;
            result["argument_errors"] = errors;
            return Task.FromResult(result);
        }
        result["changed"] = false;
        result["msg"] = "The arg spec validation passed";
        return Task.FromResult(result);
    }

    /// <summary>One option of a role's argument spec as a module option.</summary>
    internal static OptionSpec Option(string name, Dict? o)
    {
        o ??= new Dict();
        static string[]? Strings(object? v) => v is List<object?> l ? l.Select(x => x as string ?? PyStr.Str(x)).ToArray() : null;
        return new OptionSpec(name, TypeOf(o.Get("type") as string ?? "str"), Required: o.Bool("required"), Default: o.Get("default"),
            Choices: Strings(o.Get("choices")), Aliases: Strings(o.Get("aliases")), NoLog: o.Bool("no_log"),
            Elements: o.Get("elements") is string e ? TypeOf(e) : null);
    }

    private static OptionType TypeOf(string type) => type switch
    {
        "str" => OptionType.Str, "bool" => OptionType.Bool, "int" => OptionType.Int, "float" => OptionType.Float,
        "list" => OptionType.List, "dict" => OptionType.Dict, "path" => OptionType.Path, _ => OptionType.Raw,
    };
}

using System.Globalization;
using System.Text.Json;
using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// Checks and normalises a task's module arguments against a <see cref="ModuleSpec"/>, as Ansible 2.14's
/// ArgumentSpecValidator does (lib/ansible/module_utils/common/arg_spec.py, validation.py):
/// aliases resolve to the option's name, defaults fill options not given, values are converted to the
/// option's type (check_type_str/bool/int/float/list/dict), choices and required options are checked.
/// Keys starting with "_ansible_" are ignored. Errors: <see cref="ModuleArgumentException"/>.
/// </summary>
public static class ArgumentValidator
{
    private static readonly string[] BoolTrue = { "y", "yes", "on", "1", "true", "t" };
    private static readonly string[] BoolFalse = { "n", "no", "off", "0", "false", "f" };

    /// <summary>
    /// Returns a new Dict: every given option under its canonical name with its converted value, then
    /// defaults for options not given (options without a default stay absent). Free-form specs also
    /// accept "_raw_params"; <see cref="ModuleSpec.AcceptsAnyArgs"/> specs keep unknown keys as given.
    /// </summary>
    /// <exception cref="ModuleArgumentException">Unknown option, missing required option, bad choice or type.</exception>
    public static Dict Validate(ModuleSpec spec, Dict args, string moduleName)
    {
        var byName = new Dictionary<string, OptionSpec>(StringComparer.Ordinal);
        foreach (var o in spec.Options)
        {
            byName[o.Name] = o;
            foreach (var a in o.Aliases ?? Array.Empty<string>()) byName.TryAdd(a, o);
        }

        var result = new Dict();
        var unsupported = new List<string>();
        foreach (var (key, value) in args)
        {
            if (key.StartsWith("_ansible_", StringComparison.Ordinal)) continue;
            if (byName.TryGetValue(key, out var opt))
            {
                // The canonical name wins over an alias given as well (Ansible warns and keeps the option).
                if (key != opt.Name && args.ContainsKey(opt.Name)) continue;
                result[opt.Name] = value;
            }
            else if (spec.AcceptsAnyArgs || (spec.FreeForm && key == "_raw_params")) result[key] = value;
            else unsupported.Add(key);
        }

        if (unsupported.Count > 0 && spec.ValidArgsOnly)
            throw new ModuleArgumentException($"Invalid options for {moduleName}: {string.Join(",", unsupported.Order(StringComparer.Ordinal))}", moduleName, unsupported[0]);
        if (unsupported.Count > 0)
            throw new ModuleArgumentException(UnsupportedMessage(spec, unsupported, moduleName), moduleName, unsupported[0]);

        CheckMutuallyExclusive(spec, result, moduleName);
        var missing = spec.Options.Where(o => o.Required && (!result.TryGetValue(o.Name, out var v) || v is null))
            .Select(o => o.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new ModuleArgumentException($"missing required arguments: {string.Join(", ", missing)}", moduleName, missing[0]);

        foreach (var o in spec.Options)
        {
            if (!result.TryGetValue(o.Name, out var v))
            {
                if (o.Default is not null) result[o.Name] = Data.DeepCopy(o.Default);
                continue;
            }
            if (v is null) continue;
            var converted = Convert(v, o.Type, o.Name, moduleName);
            if (o.Elements is { } et && converted is List<object?> list)
                converted = list.Select(e => e is null ? null : Convert(e, et, o.Name, moduleName)).ToList();
            result[o.Name] = converted;
            CheckChoices(o, converted, moduleName);
        }
        CheckDependencies(spec, result, moduleName);
        return result;
    }

    private static bool Given(Dict args, string name) => args.TryGetValue(name, out var v) && v is not null;

    /// <summary>check_mutually_exclusive: "parameters are mutually exclusive: a|b".</summary>
    private static void CheckMutuallyExclusive(ModuleSpec spec, Dict args, string moduleName)
    {
        var clashes = spec.MutuallyExclusive.Where(g => g.Count(n => Given(args, n)) > 1).Select(g => string.Join("|", g)).ToList();
        if (clashes.Count > 0)
            throw new ModuleArgumentException($"parameters are mutually exclusive: {string.Join(", ", clashes)}", moduleName, spec.MutuallyExclusive[0][0]);
    }

    /// <summary>required_together, required_one_of, required_if and required_by, in Ansible's order and wording (validation.py).</summary>
    private static void CheckDependencies(ModuleSpec spec, Dict args, string moduleName)
    {
        foreach (var group in spec.RequiredTogether)
        {
            var given = group.Count(n => Given(args, n));
            if (given > 0 && given < group.Length)
                throw new ModuleArgumentException($"parameters are required together: {string.Join(", ", group)}", moduleName, group[0]);
        }
        foreach (var group in spec.RequiredOneOf)
            if (!group.Any(n => Given(args, n)))
                throw new ModuleArgumentException($"one of the following is required: {string.Join(", ", group)}", moduleName, group[0]);
        foreach (var rule in spec.RequiredIf)
        {
            if (!args.TryGetValue(rule.Key, out var v) || !Equals(v, rule.Value) && PyStr.Str(v) != PyStr.Str(rule.Value)) continue;
            var missing = rule.Requirements.Where(n => !Given(args, n)).ToList();
            if (missing.Count == 0 || rule.AnyOf && missing.Count < rule.Requirements.Length) continue;
            throw new ModuleArgumentException(
                $"{rule.Key} is {PyStr.Str(rule.Value)} but {(rule.AnyOf ? "any" : "all")} of the following are missing: {string.Join(", ", missing)}",
                moduleName, rule.Key);
        }
        foreach (var (key, needs) in spec.RequiredBy)
        {
            if (!Given(args, key)) continue;
            var missing = needs.Where(n => !Given(args, n)).ToList();
            if (missing.Count > 0)
                throw new ModuleArgumentException($"missing parameter(s) required by '{key}': {string.Join(", ", missing)}", moduleName, key);
        }
    }

    /// <summary>Ansible's "Unsupported parameters" message: option names sorted, then all aliases sorted in parentheses.</summary>
    public static string UnsupportedMessage(ModuleSpec spec, IEnumerable<string> unsupported, string moduleName)
    {
        var names = spec.Options.Select(o => o.Name).ToList();
        if (spec.FreeForm && !names.Contains("_raw_params")) names.Add("_raw_params");
        names.Sort(StringComparer.Ordinal);
        var aliases = spec.Options.SelectMany(o => o.Aliases ?? Array.Empty<string>()).OrderBy(a => a, StringComparer.Ordinal).ToList();
        var supported = string.Join(", ", names) + (aliases.Count > 0 ? $" ({string.Join(", ", aliases)})" : "");
        var bad = string.Join(", ", unsupported.OrderBy(u => u, StringComparer.Ordinal));
        return $"Unsupported parameters for ({moduleName}) module: {bad}. Supported parameters include: {supported}.";
    }

    private static void CheckChoices(OptionSpec o, object? value, string moduleName)
    {
        if (o.Choices is null || value is null) return;
        var values = value is List<object?> l ? l : new List<object?> { value };
        foreach (var item in values)
        {
            var text = PyStr.Str(item);
            if (o.Choices.Contains(text, StringComparer.Ordinal)) continue;
            // Ansible compares booleans given for 'yes'/'no' choices by their YAML spelling too.
            if (item is bool b && o.Choices.Any(c => (b ? BoolTrue : BoolFalse).Contains(c.ToLowerInvariant()))) continue;
            throw new ModuleArgumentException(
                $"value of {o.Name} must be one of: {string.Join(", ", o.Choices)}, got: {text}", moduleName, o.Name);
        }
    }

    /// <summary>Converts one value to <paramref name="type"/> as Ansible's check_type_* functions do.</summary>
    /// <exception cref="ModuleArgumentException">The value cannot be converted.</exception>
    public static object? Convert(object? value, OptionType type, string name, string moduleName)
    {
        object? Fail(string target, string why) => throw new ModuleArgumentException(
            $"argument '{name}' is of type {PyType(value)} and we were unable to convert to {target}: {why}", moduleName, name);

        switch (type)
        {
            case OptionType.Raw:
                return value;
            case OptionType.Str or OptionType.Path:
                return value is string ? value : PyStr.Str(value);
            case OptionType.Mode:
                return value is long or int or string ? (value is int i ? (long)i : value) : PyStr.Str(value);
            case OptionType.Bool:
                if (value is bool) return value;
                if (value is long or int or double)
                {
                    var d = System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (d == 1) return true;
                    if (d == 0) return false;
                }
                if (value is string bs)
                {
                    var low = bs.Trim().ToLowerInvariant();
                    if (BoolTrue.Contains(low)) return true;
                    if (BoolFalse.Contains(low)) return false;
                }
                return Fail("bool", $"The value {PyStr.Repr(value)} is not a valid boolean.  Valid booleans include: 0, 't', 1, 'false', 'y', 'true', 'yes', 'on', 'off', 'n', 'f', '0', 'no', '1'");
            case OptionType.Int:
                switch (value)
                {
                    case long: return value;
                    case int n: return (long)n;
                    case bool b: return b ? 1L : 0L;
                    case double d when d == Math.Floor(d) && !double.IsInfinity(d): return (long)d;
                    case string s when long.TryParse(s.Trim().Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n2): return n2;
                }
                return Fail("int", $"{PyType(value)} cannot be converted to an int");
            case OptionType.Float:
                switch (value)
                {
                    case double: return value;
                    case long or int: return System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d): return d;
                }
                return Fail("float", $"{PyType(value)} cannot be converted to a float");
            case OptionType.List:
                switch (value)
                {
                    case List<object?>: return value;
                    case string s: return s.Split(',').Select(p => (object?)p).ToList();
                    case long or int or double or bool: return new List<object?> { PyStr.Str(value) };
                }
                return Fail("list", $"{PyType(value)} cannot be converted to a list");
            case OptionType.Dict:
                switch (value)
                {
                    case Dict: return value;
                    case string s when s.TrimStart().StartsWith('{'):
                        try { return Data.FromJson(JsonDocument.Parse(s).RootElement); }
                        catch (JsonException) { return Fail("dict", "dictionary requested, could not parse JSON or key=value"); }
                    case string s:
                        var d = new Dict();
                        foreach (var part in s.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries))
                        {
                            var eq = part.IndexOf('=');
                            if (eq <= 0) return Fail("dict", "dictionary requested, could not parse JSON or key=value");
                            d[part[..eq]] = part[(eq + 1)..];
                        }
                        return d;
                }
                return Fail("dict", $"{PyType(value)} cannot be converted to a dict");
        }
        return value;
    }


    /// <summary>Python's type() text for a value: "&lt;class 'str'&gt;".</summary>
    public static string PyType(object? v) => v switch
    {
        null => "<class 'NoneType'>",
        string => "<class 'str'>",
        bool => "<class 'bool'>",
        long or int => "<class 'int'>",
        double => "<class 'float'>",
        Dict => "<class 'dict'>",
        List<object?> => "<class 'list'>",
        _ => $"<class '{v.GetType().Name}'>",
    };
}

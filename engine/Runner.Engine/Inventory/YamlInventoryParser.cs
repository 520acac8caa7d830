using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Inventory;

/// <summary>
/// Ansible's <c>yaml</c> inventory plugin (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/yaml_inventory.html):
/// every top-level key is a group; a group is a mapping (or empty) with optional <c>vars</c>, <c>children</c>
/// and <c>hosts</c> mappings (a string is accepted as a single name), processed in the order they appear.
/// Host keys may carry ranges and <c>:port</c>; their value is a mapping of host vars (or empty).
/// Unknown keys are skipped with a warning as Ansible words it.
/// </summary>
internal static class YamlInventoryParser
{
    private static readonly string[] Sections = ["vars", "children", "hosts"];

    /// <summary>Adds the groups and hosts of <paramref name="data"/> (the loaded file) to <paramref name="inv"/>.</summary>
    public static void Parse(InventoryData inv, Dict data, string path)
    {
        if (data.ContainsKey("plugin"))
            throw new RunnerException($"'{path}' is an inventory plugin configuration (key 'plugin'); inventory plugins are not supported, only YAML, INI and comma host lists",
                SourceMap.OfKey(data, "plugin"), "plugin", ExitCodes.ParserError);
        foreach (var (name, value) in data)
            ParseGroup(inv, name, value, data, path);
    }

    private static Group? ParseGroup(InventoryData inv, string name, object? groupData, Dict container, string path)
    {
        var where = SourceMap.OfKey(container, name);
        if (groupData is not (Dict or null))
        {
            inv.Warn($"Skipping '{name}' as this is not a valid group definition");
            return null;
        }
        var group = inv.AddGroup(name, path);
        if (groupData is not Dict gd) return group;
        foreach (var section in Sections)
        {
            if (!gd.TryGetValue(section, out var sv)) continue;
            if (sv is string single)
            {
                var converted = new Dict { [single] = null };
                if (SourceMap.OfKey(gd, section) is { } loc) SourceMap.Set(converted, loc);
                gd[section] = converted;
            }
            else if (sv is not (Dict or null))
                throw new RunnerException($"Invalid \"{section}\" entry for \"{name}\" group, requires a dictionary, found \"{TypeName(sv)}\" instead.",
                    SourceMap.OfKey(gd, section), section, ExitCodes.ParserError);
        }
        foreach (var (key, value) in gd)
        {
            if (value is not (Dict or null))
            {
                inv.Warn($"Skipping key ({key}) in group ({name}) as it is not a mapping, it is a {TypeName(value)}");
                continue;
            }
            if (value is not Dict d) continue;
            switch (key)
            {
                case "vars":
                    foreach (var (k, v) in d) group.SetVariable(k, v, SourceMap.OfKey(d, k) ?? where);
                    break;
                case "children":
                    foreach (var (childName, childData) in d)
                    {
                        var child = ParseGroup(inv, childName, childData, d, path);
                        if (child is null)
                        {
                            if (inv.Groups.TryGetValue(childName, out var existing)) child = existing;
                            else throw new RunnerException($"{childName} is not a known host nor group", SourceMap.OfKey(d, childName), childName, ExitCodes.ParserError);
                        }
                        inv.AddChild(group, child, SourceMap.OfKey(d, childName));
                    }
                    break;
                case "hosts":
                    foreach (var (hostPattern, hostData) in d)
                    {
                        var hloc = SourceMap.OfKey(d, hostPattern);
                        if (hostData is not (Dict or null))
                            throw new RunnerException($"Invalid data from file, expected dictionary and got:\n\n{PyStr.Str(hostData)}", hloc, hostPattern, ExitCodes.ParserError);
                        var (pattern, port) = HostRange.SplitPort(hostPattern);
                        foreach (var hostName in HostRange.Expand(pattern, hloc))
                        {
                            var host = inv.AddHost(hostName, group, port, path);
                            if (hostData is Dict hv)
                                foreach (var (k, v) in hv)
                                    host.SetVariable(k, Data.DeepCopy(v), SourceMap.OfKey(hv, k) ?? hloc);
                        }
                    }
                    break;
                default:
                    inv.Warn($"Skipping unexpected key ({key}) in group ({name}), only \"vars\", \"children\" and \"hosts\" are valid");
                    break;
            }
        }
        return group;
    }

    /// <summary>The Python type name Ansible shows for a value, e.g. <c>&lt;class 'list'&gt;</c>.</summary>
    private static string TypeName(object? v) => v switch
    {
        null => "<class 'NoneType'>",
        string => "<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>",
        bool => "<class 'bool'>",
        long => "<class 'int'>",
        double => "<class 'float'>",
        List<object?> => "<class 'ansible.parsing.yaml.objects.AnsibleSequence'>",
        _ => "<class 'dict'>",
    };
}

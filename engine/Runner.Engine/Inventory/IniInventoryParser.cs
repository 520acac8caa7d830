using System.Text.RegularExpressions;
using Runner.Engine.Errors;

namespace Runner.Engine.Inventory;

/// <summary>
/// Ansible's <c>ini</c> inventory plugin (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/ini_inventory.html):
/// <c>[group]</c> host lines (<c>name[:port] k=v ...</c>, shlex-split, values through Python literal_eval so
/// <c>5</c> is an int, <c>True</c> a bool, <c>"5"</c> also an int since shlex drops the quotes), <c>[group:vars]</c>
/// lines <c>k = v</c> (no shlex: the text after '=' stripped, then literal_eval), <c>[group:children]</c> group names.
/// Lines before any section belong to <c>ungrouped</c>; ';' and '#' start comment lines.
/// Errors are RunnerExceptions (exit 4) naming file:line, worded as Ansible's.
/// </summary>
internal static class IniInventoryParser
{
    private static readonly Regex Section = new(@"^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:\#.*)?$", RegexOptions.Compiled);
    private static readonly Regex GroupName = new(@"^([^:\]\s]+)\s*(?:\#.*)?$", RegexOptions.Compiled);

    private sealed record Pending(int Line, string State, List<string> Parents);

    /// <summary>Parses INI <paramref name="text"/> from <paramref name="path"/> into <paramref name="inv"/>.</summary>
    public static void Parse(InventoryData inv, string text, string path)
    {
        var groupName = "ungrouped";
        var state = "hosts";
        var pending = new OrderedDictionary<string, Pending>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var lineNo = n + 1;
            var line = lines[n].Trim();
            SourceLocation Loc() => new(path, lineNo, 1);
            if (line.Length == 0 || line[0] is ';' or '#') continue;
            var m = Section.Match(line);
            if (m.Success)
            {
                groupName = m.Groups[1].Value;
                state = m.Groups[2].Success ? m.Groups[2].Value : "hosts";
                if (state is not ("hosts" or "children" or "vars"))
                    throw Error($"Section [{groupName}:{state}] has unknown type: {state}", Loc());
                if (!inv.Groups.ContainsKey(groupName))
                {
                    if (state is "vars" or "children") pending[groupName] = new Pending(lineNo, state, new List<string>());
                    inv.AddGroup(groupName, path);
                }
                if (pending.TryGetValue(groupName, out var decl) && state != "vars")
                {
                    if (decl.State == "children") AddPendingChildren(inv, groupName, pending);
                    else pending.Remove(groupName);
                }
                continue;
            }
            if (line.StartsWith('[') && line.EndsWith(']'))
                throw Error($"Invalid section entry: '{line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters", Loc());

            switch (state)
            {
                case "hosts":
                {
                    List<string> tokens;
                    try { tokens = PosixShlex.Split(line); }
                    catch (RunnerException e) { throw Error($"Error parsing host definition '{line}': {e.Message}", Loc()); }
                    if (tokens.Count == 0) continue;
                    var vars = new List<(string, object?)>();
                    foreach (var t in tokens.Skip(1))
                    {
                        var eq = t.IndexOf('=');
                        if (eq < 0) throw Error($"Expected key=value host variable assignment, got: {t}", Loc());
                        vars.Add((t[..eq], PyLiteral.ParseIniValue(t[(eq + 1)..])));
                    }
                    var (pattern, port) = HostRange.SplitPort(tokens[0]);
                    var group = inv.Groups[groupName];
                    foreach (var hostName in HostRange.Expand(pattern, Loc()))
                    {
                        var host = inv.AddHost(hostName, group, port, path);
                        foreach (var (k, v) in vars) host.SetVariable(k, v is null ? null : Values.Data.DeepCopy(v), Loc());
                    }
                    break;
                }
                case "vars":
                {
                    var eq = line.IndexOf('=');
                    if (eq < 0) throw Error($"Expected key=value, got: {line}", Loc());
                    var key = line[..eq].Trim();
                    var value = PyLiteral.ParseIniValue(line[(eq + 1)..].Trim());
                    inv.Groups[groupName].SetVariable(key, value, Loc());
                    break;
                }
                case "children":
                {
                    var gm = GroupName.Match(line);
                    if (!gm.Success) throw Error($"Expected group name, got: {line}", Loc());
                    var child = gm.Groups[1].Value;
                    if (!inv.Groups.TryGetValue(child, out var childGroup))
                    {
                        if (!pending.TryGetValue(child, out var decl))
                            pending[child] = new Pending(lineNo, "children", new List<string> { groupName });
                        else decl.Parents.Add(groupName);
                    }
                    else inv.AddChild(inv.Groups[groupName], childGroup, Loc());
                    break;
                }
            }
        }
        foreach (var (name, decl) in pending)
        {
            if (decl.State == "vars")
                throw Error($"Section [{name}:vars] not valid for undefined group: {name}", new SourceLocation(path, decl.Line, 1));
            throw Error($"Section [{decl.Parents[^1]}:children] includes undefined group: {name}", new SourceLocation(path, decl.Line, 1));
        }
    }

    private static void AddPendingChildren(InventoryData inv, string group, OrderedDictionary<string, Pending> pending)
    {
        foreach (var parent in pending[group].Parents)
        {
            inv.AddChild(inv.Groups[parent], inv.Groups[group]);
            if (pending.TryGetValue(parent, out var pd) && pd.State == "children") AddPendingChildren(inv, parent, pending);
        }
        pending.Remove(group);
    }

    private static RunnerException Error(string message, SourceLocation loc) =>
        new(message, loc, exitCode: ExitCodes.ParserError);
}

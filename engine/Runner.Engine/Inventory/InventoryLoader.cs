using System.Text.RegularExpressions;
using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Engine.Inventory;

/// <summary>
/// Loads inventory sources (<c>-i</c>) into an <see cref="InventoryData"/>, as Ansible 2.14's InventoryManager with
/// the default plugins host_list, yaml and ini (https://docs.ansible.com/ansible/2.14/inventory_guide/intro_inventory.html).
/// A source is:
/// <list type="bullet">
/// <item>a comma host list (<c>host1,host2:2222,</c>) when no such path exists and it contains a comma (hosts go to ungrouped);</item>
/// <item>a file: YAML when its extension is none/.yml/.yaml/.json and it loads as a mapping, else INI;</item>
/// <item>a folder: every entry in sorted order, recursively, skipping hidden names, group_vars, host_vars,
/// vars_plugins and names ending in ~ .orig .ini .cfg .retry .pyc .pyo .swp .bak .rpm .md .txt .rst
/// (Ansible's INVENTORY_IGNORE_EXTS: yes, *.ini files inside an inventory folder are ignored).</item>
/// </list>
/// A missing source, or a file no plugin can parse, gives the warning "Unable to parse X as an inventory source"
/// and is skipped (with ANSIBLE_INVENTORY_UNPARSED_FAILED=true an unparsable file is a RunnerException with
/// file:line:column and exit code 4). After all sources, groups without parents go under <c>all</c> and hosts
/// without groups into <c>ungrouped</c>.
/// </summary>
public static class InventoryLoader
{
    private static readonly Regex Ignored = new(
        @"^\.|^host_vars$|^group_vars$|^vars_plugins$|(\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$",
        RegexOptions.Compiled);

    /// <summary>Loads <paramref name="sources"/> in order into one inventory; <paramref name="unparsedIsFatal"/>
    /// (default: ANSIBLE_INVENTORY_UNPARSED_FAILED) makes a file no plugin can parse an error instead of a warning.</summary>
    public static InventoryData Load(IReadOnlyList<string> sources, bool? unparsedIsFatal = null)
    {
        var strict = unparsedIsFatal ?? UnparsedIsFatal;
        var inv = new InventoryData();
        var parsedAny = false;
        foreach (var source in sources)
        {
            if (string.IsNullOrWhiteSpace(source)) continue;
            if (!File.Exists(source) && !Directory.Exists(source))
            {
                if (source.Contains(','))
                {
                    ParseHostList(inv, source);
                    parsedAny = true;
                    continue;
                }
                inv.Warn($"Unable to parse {Path.GetFullPath(source)} as an inventory source");
                continue;
            }
            var full = Path.GetFullPath(source).TrimEnd(Path.DirectorySeparatorChar);
            if (full.Length == 0) full = "/";
            inv.AddSource(full);
            parsedAny |= ParsePath(inv, full, strict);
        }
        if (!parsedAny) inv.Warn("No inventory was parsed, only implicit localhost is available");
        inv.Reconcile();
        return inv;
    }

    /// <summary>Ansible's host_list plugin: names split on ',', stripped, empty ones skipped, an optional :port.</summary>
    private static void ParseHostList(InventoryData inv, string source)
    {
        var ungrouped = inv.Groups["ungrouped"];
        foreach (var part in source.Split(','))
        {
            var h = part.Trim();
            if (h.Length == 0) continue;
            var (name, port) = HostRange.SplitPort(h);
            if (inv.Hosts.Any(x => x.Name == name)) continue;
            inv.AddHost(name, ungrouped, port, null);
        }
    }

    private static bool ParsePath(InventoryData inv, string path, bool strict)
    {
        if (Directory.Exists(path))
        {
            var any = false;
            foreach (var entry in Directory.GetFileSystemEntries(path).Select(p => Path.GetFileName(p)!).OrderBy(n => n, StringComparer.Ordinal))
            {
                if (Ignored.IsMatch(entry)) continue;
                any |= ParsePath(inv, Path.Combine(path, entry), strict);
            }
            return any;
        }
        try { ParseFile(inv, path); }
        catch (RunnerException e) when (e.ExitCode == ExitCodes.ParserError && !strict)
        {
            // As Ansible: each failed plugin is a warning, the source is skipped, the run goes on.
            inv.Warn($" * Failed to parse {path}: {e.Describe().Replace("ERROR! ", "")}");
            inv.Warn($"Unable to parse {path} as an inventory source");
            return false;
        }
        return true;
    }

    /// <summary>ANSIBLE_INVENTORY_UNPARSED_FAILED (Ansible's setting of the same name): a source that no plugin can parse
    /// stops the run (exit 4) instead of being skipped with a warning.</summary>
    private static bool UnparsedIsFatal =>
        Templating.Jinja.Filters.ToBool(Environment.GetEnvironmentVariable("ANSIBLE_INVENTORY_UNPARSED_FAILED"));

    private static void ParseFile(InventoryData inv, string path)
    {
        string text;
        try { text = System.Text.Encoding.UTF8.GetString(Vault.VaultKeyring.Current.DecryptIfVaulted(File.ReadAllBytes(path), path, out _)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunnerException($"Unable to read inventory source '{path}': {e.Message}", new SourceLocation(path, 0, 0), exitCode: ExitCodes.ParserError);
        }
        var ext = Path.GetExtension(path);
        if (ext is ".yml" or ".yaml" or ".json")
        {
            // Ansible would also try the INI plugin here; Runner reports the YAML problem instead of guessing.
            var data = YamlLoader.Load(text, path);
            if (data is Dict d) { YamlInventoryParser.Parse(inv, d, path); return; }
            if (data is null) return; // empty file: nothing to add
            throw new RunnerException($"YAML inventory has invalid structure, it should be a dictionary, got: {(data is List<object?> ? "list" : "scalar")}",
                SourceMap.Of(data) ?? new SourceLocation(path, 1, 1), exitCode: ExitCodes.ParserError);
        }
        if (ext.Length == 0)
        {
            // No extension: YAML when it loads as a mapping (Ansible's yaml plugin runs first), else INI.
            try
            {
                if (YamlLoader.Load(text, path) is Dict d && d.Count > 0) { YamlInventoryParser.Parse(inv, d, path); return; }
            }
            catch (RunnerException e) when (e.Message.StartsWith("Syntax Error while loading YAML", StringComparison.Ordinal))
            {
            }
        }
        IniInventoryParser.Parse(inv, text, path);
    }
}

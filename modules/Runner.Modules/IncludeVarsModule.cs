using System.Text.RegularExpressions;
using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.include_vars (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/include_vars_module.html),
/// run on the controller as ansible-core 2.14's action plugin (plugins/action/include_vars.py):
/// <list type="bullet">
/// <item>file (or the free-form text): found as the action's _find_needle('vars', ...) over the task's search path, the
/// playbook's folder last; any extension is loaded.</item>
/// <item>dir: the role's vars/DIR (vars/DIR as written when it starts with vars/ and exists) inside a role, else beside the
/// task's file; every folder under it in sorted path order, its files in sorted order, `depth` counting the folders so
/// visited (not their nesting); files_matching searched in the name, ignore_files as regular expressions anchored at
/// the end of the name; extensions checked (yaml, yml, json by default) unless ignore_unknown_extensions skips them. A
/// failure stops the walk and keeps what the folders before it loaded.</item>
/// <item>name: the variables nested under that key; hash_behaviour=merge: each top variable deep-merged into the
/// variable's current value (which must be a mapping), as combine_vars.</item>
/// </list>
/// Returns {"ansible_facts": vars, "ansible_included_var_files": [paths], "changed": false}; a failure is "message", not
/// "msg"; bad options are the action's own errors (<see cref="ActionError"/>).
/// </summary>
public sealed class IncludeVarsModule : IModule
{
    public string Name => "include_vars";

    /// <summary>Options are checked by the module itself, as the action plugin does (it has no argument spec): they are
    /// listed for `runner doc` as Raw, without defaults, so the values reach the checks as given.</summary>
    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("file", OptionType.Raw), new("dir", OptionType.Raw), new("name", OptionType.Raw), new("depth", OptionType.Raw),
        new("files_matching", OptionType.Raw), new("ignore_files", OptionType.Raw), new("extensions", OptionType.Raw),
        new("ignore_unknown_extensions", OptionType.Raw), new("hash_behaviour", OptionType.Raw),
    }, FreeForm: true, AcceptsAnyArgs: true, RunsOnController: true)
        { NeedsConnection = false, FactsLayer = FactsLayer.IncludeVars, SupportsAsync = false };

    private static readonly string[] DirArguments = { "dir", "depth", "files_matching", "ignore_files", "extensions", "ignore_unknown_extensions" };
    private static readonly string[] FileArguments = { "file", "_raw_params" };
    private static readonly List<string> DefaultExtensions = new() { "yaml", "yml", "json" };

    public Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct) => Task.FromResult(Run(ctx));

    private sealed class Walk
    {
        public List<string> Extensions = DefaultExtensions;
        public Regex? Matcher;
        public List<string> IgnoreFiles = new();
        public bool IgnoreUnknown;
        public readonly List<object?> Included = new();
    }

    private static Dict Run(ModuleContext ctx)
    {
        var a = ctx.Args;
        var dirs = a.Keys.Count(DirArguments.Contains);
        var files = a.Keys.Count(FileArguments.Contains);
        foreach (var key in a.Keys)
            if (!DirArguments.Contains(key) && !FileArguments.Contains(key) && key is not ("name" or "hash_behaviour"))
                throw new ActionError($"{key} is not a valid option in include_vars");
        if (dirs > 0 && files > 0) throw new ActionError("You are mixing file only and dir only arguments, these are incompatible");

        var hashBehaviour = a.GetValueOrDefault("hash_behaviour") is { } hb ? PyStr.Str(hb) : null;
        var name = a.GetValueOrDefault("name") is { } n ? PyStr.Str(n) : null;
        var sourceDir = a.GetValueOrDefault("dir") is { } d && Data.Truthy(d) ? PyStr.Str(d) : null;
        var sourceFile = a.GetValueOrDefault("file") is { } f && Data.Truthy(f) ? PyStr.Str(f) : null;
        if (sourceDir is null && sourceFile is null && a.GetValueOrDefault("_raw_params") is { } raw) sourceFile = PyStr.Str(raw).TrimEnd('\n');
        var walk = new Walk
        {
            IgnoreUnknown = Data.Truthy(a.GetValueOrDefault("ignore_unknown_extensions")),
            Matcher = a.GetValueOrDefault("files_matching") is { } fm && Data.Truthy(fm) ? new Regex(PyStr.Str(fm)) : null,
            IgnoreFiles = a.GetValueOrDefault("ignore_files") switch
            {
                null or "" => new List<string>(),
                string s => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList(),
                List<object?> l => l.Select(PyStr.Str).ToList(),
                IEnumerable<KeyValuePair<string, object?>> m => m.Select(kv => kv.Key).ToList(),
                var x => new List<string> { PyStr.Str(x) },
            },
            Extensions = a.GetValueOrDefault("extensions") switch
            {
                null => DefaultExtensions,
                // Python's list("yml") is its characters
                string s => s.Select(c => c.ToString()).ToList(),
                List<object?> l => l.Select(PyStr.Str).ToList(),
                _ => throw new ActionError("Invalid type for \"extensions\" option, it must be a list"),
            },
        };
        var depth = a.GetValueOrDefault("depth") is { } dv && Data.Truthy(dv) ? Convert.ToInt64(dv) : 0;

        var results = new Dict();
        string? error = null;
        if (sourceDir is not null)
        {
            var root = RootDir(ctx, sourceDir);
            if (!File.Exists(root) && !Directory.Exists(root)) error = $"{root} directory does not exist";
            else if (!Directory.Exists(root)) error = $"{root} is not a directory";
            else
                foreach (var folder in SortedWalk(root).Take(depth == 0 ? int.MaxValue : (int)depth))
                {
                    var (loaded, err) = LoadFolder(folder, walk);
                    if (err is not null) { error = err; break; }
                    foreach (var (k, v) in loaded) results[k] = v;
                }
        }
        else if (sourceFile is null)
        {
            Runner.Engine.Templating.TemplateWarnings.Warn("Invalid request to find a file that matches a \"null\" value", ctx.Templar.Warn);
            error = "Could not find file on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option";
        }
        else if (ctx.FindNeedle("vars", sourceFile, out var searched) is not { } path)
            error = $"Could not find or access '{sourceFile}'\nSearched in:\n\t{string.Join("\n\t", searched)} on the Ansible Controller.\n" +
                    "If you are using a module and expect the file to exist on the remote, see the remote_src option";
        else
        {
            var (loaded, err) = LoadFile(path, walk, validateExtension: false);
            if (err is not null) error = err;
            else foreach (var (k, v) in loaded) results[k] = v;
        }

        if (name is not null) results = new Dict { [name] = results };
        var result = new Dict();
        if (error is not null)
        {
            result["failed"] = true;
            result["message"] = error;
        }
        else if (hashBehaviour is not null && hashBehaviour != "replace")
            foreach (var key in results.Keys.ToList())
                results[key] = CombineVars(ctx.Variables.TryGetRaw(key, out var old) ? old : null, results[key], hashBehaviour == "merge");
        result["ansible_included_var_files"] = walk.Included;
        result["ansible_facts"] = results;
        result["changed"] = false;
        return result;
    }

    /// <summary>_set_root_dir: inside a role its vars/ folder, else the folder of the task's file.</summary>
    private static string RootDir(ModuleContext ctx, string dir)
    {
        if (ctx.Variables.TryGetRaw("role_path", out var rp) && rp is string rolePath)
        {
            if (dir.Split('/')[0] == "vars")
            {
                var inRole = Path.Combine(rolePath, dir);
                return Path.Exists(inRole) ? inRole : dir;
            }
            return Path.Combine(rolePath, "vars", dir);
        }
        // the task's folder is the first of its search path outside roles
        return Path.Combine(ctx.SearchPaths.Count > 0 ? ctx.SearchPaths[0] : Directory.GetCurrentDirectory(), dir);
    }

    /// <summary>os.walk(root) sorted by folder path, as _traverse_dir_depth lists them.</summary>
    private static IEnumerable<string> SortedWalk(string root)
    {
        var all = new List<string> { root };
        try { all.AddRange(Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return all.OrderBy(x => x, StringComparer.Ordinal);
    }

    private static (Dict Loaded, string? Error) LoadFolder(string folder, Walk walk)
    {
        var results = new Dict();
        foreach (var file in Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(x => x, StringComparer.Ordinal))
        {
            if (walk.Matcher is not null && !walk.Matcher.IsMatch(file!)) continue;
            var path = Path.Combine(folder, file!);
            if (Ignored(file!, walk) || walk.IgnoreUnknown && !ValidExtension(file!, walk)) continue;
            var (loaded, err) = LoadFile(path, walk, validateExtension: true);
            if (err is not null) return (results, err);
            foreach (var (k, v) in loaded) results[k] = v;
        }
        return (results, null);
    }

    private static bool Ignored(string file, Walk walk)
    {
        foreach (var pattern in walk.IgnoreFiles)
        {
            Regex re;
            try { re = new Regex(pattern + "$"); }
            catch (ArgumentException) { throw new ActionError($"Invalid regular expression: {pattern}"); }
            if (re.IsMatch(file)) return true;
        }
        return false;
    }

    /// <summary>os.path.splitext's extension, without its dot, is one of the valid ones.</summary>
    private static bool ValidExtension(string file, Walk walk)
    {
        var name = Path.GetFileName(file).TrimStart('.');
        var dot = name.LastIndexOf('.');
        return walk.Extensions.Contains(dot < 0 ? "" : name[(dot + 1)..]);
    }

    private static (Dict Loaded, string? Error) LoadFile(string path, Walk walk, bool validateExtension)
    {
        if (validateExtension && !ValidExtension(path, walk))
            return (new Dict(), $"{path} does not have a valid extension: {string.Join(", ", walk.Extensions)}");
        object? data;
        try { data = YamlLoader.LoadFile(path); }
        catch (RunnerException e) { throw new ActionError(e.Message); }
        if (data is null || data is Dict { Count: 0 } || data is List<object?> { Count: 0 } || data is "" or false) data = new Dict();
        if (data is not Dict d) return (new Dict(), $"{path} must be stored as a dictionary/hash");
        walk.Included.Add(path);
        return (d, null);
    }

    /// <summary>combine_vars(old, new, merge): both must be mappings; merged recursively, or the new keys over the old.</summary>
    private static object? CombineVars(object? old, object? value, bool merge)
    {
        if (old is not Dict od || value is not Dict nd)
            throw new ActionError($"failed to combine variables, expected dicts but got a '{PyType(old)}' and a '{PyType(value)}': \n{PyStr.JsonDumps(old)}\n{PyStr.JsonDumps(value)}");
        if (merge) return Data.Merge(od, nd);
        var r = new Dict(od);
        foreach (var (k, v) in nd) r[k] = v;
        return r;
    }

    private static string PyType(object? v) => v switch
    {
        null => "NoneType", bool => "bool", long or int => "int", double => "float", string => "str",
        Dict => "dict", List<object?> => "list", _ => v.GetType().Name,
    };
}

using System.Text.RegularExpressions;
using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.include_vars (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/include_vars_module.html),
/// run on the controller: loads a YAML/JSON file (file or the free-form text; relative paths searched in
/// vars/ then the search folders) or every matching file of a folder (dir, depth, files_matching,
/// ignore_files, extensions, ignore_unknown_extensions; files in sorted order, later files win).
/// Returns {"ansible_facts": vars (or {name: vars}), "ansible_included_var_files": [paths], "changed": false}.
/// </summary>
public sealed class IncludeVarsModule : IModule
{
    public string Name => "include_vars";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("file", OptionType.Path), new("dir", OptionType.Path), new("name"), new("depth", OptionType.Int, Default: 0L),
        new("files_matching"), new("ignore_files", OptionType.List, Elements: OptionType.Str),
        new("extensions", OptionType.List, Elements: OptionType.Str), new("ignore_unknown_extensions", OptionType.Bool, Default: false),
        new("hash_behaviour", Choices: new[] { "replace", "merge" }),
    }, FreeForm: true, RunsOnController: true) { NeedsConnection = false, FactsLayer = FactsLayer.IncludeVars };

    public Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var exts = a.Has("extensions") ? a.StrList("extensions") : new List<string> { "yaml", "yml", "json" };
        var file = a.Str("file") ?? a.Str("_raw_params");
        var dir = a.Str("dir");
        if (file is not null && dir is not null) return Task.FromResult(Results.Fail("You are mixing file only and dir only arguments, these are incompatible"));
        var files = new List<string>();
        if (dir is not null)
        {
            var found = ctx.FindFile(dir, "vars");
            if (found is null || !Directory.Exists(found)) return Task.FromResult(Results.Fail($"{dir} directory does not exist"));
            var matcher = a.Str("files_matching") is { } fm ? new Regex(fm) : null;
            var ignore = a.StrList("ignore_files");
            foreach (var f in Walk(found, (int)a.Long("depth"), 1))
            {
                var name = Path.GetFileName(f);
                if (ignore.Contains(name) || (matcher is not null && !matcher.IsMatch(name))) continue;
                if (!HasExt(f, exts))
                {
                    if (a.Bool("ignore_unknown_extensions")) continue;
                    return Task.FromResult(Results.Fail($"{f} does not have a valid extension: {string.Join(", ", exts)}"));
                }
                files.Add(f);
            }
        }
        else if (file is not null)
        {
            var found = ctx.FindFile(file, "vars");
            if (found is null || !File.Exists(found)) return Task.FromResult(Results.Fail($"Could not find or access '{file}'"));
            if (!HasExt(found, exts)) return Task.FromResult(Results.Fail($"{found} does not have a valid extension: {string.Join(", ", exts)}"));
            files.Add(found);
        }
        else return Task.FromResult(Results.Fail("No file or dir was given"));

        var merged = new Dict();
        foreach (var f in files)
        {
            object? data;
            try { data = YamlLoader.LoadFile(f); }
            catch (RunnerException e) { return Task.FromResult(Results.Fail(e.Message)); }
            if (data is null) continue;
            if (data is not Dict d) return Task.FromResult(Results.Fail($"{f} must be stored as a dictionary/hash"));
            merged = a.Str("hash_behaviour") == "merge" ? Data.Merge(merged, d) : Overlay(merged, d);
        }
        var facts = a.Str("name") is { } n ? new Dict { [n] = merged } : merged;
        return Task.FromResult(new Dict
        {
            ["ansible_facts"] = facts,
            ["ansible_included_var_files"] = files.Select(f => (object?)Path.GetFullPath(f)).ToList(),
            ["changed"] = false,
        });
    }

    private static Dict Overlay(Dict a, Dict b)
    {
        var r = new Dict(a);
        foreach (var (k, v) in b) r[k] = v;
        return r;
    }

    private static bool HasExt(string f, List<string> exts)
    {
        var ext = Path.GetExtension(f).TrimStart('.');
        return exts.Contains(ext) || (ext.Length == 0 && exts.Contains(""));
    }

    /// <summary>Files of a folder in sorted order, then its subfolders (depth 0 = unlimited), as os.walk with sorted names.</summary>
    private static IEnumerable<string> Walk(string dir, int depth, int level)
    {
        foreach (var f in Directory.GetFiles(dir).OrderBy(x => x, StringComparer.Ordinal)) yield return f;
        if (depth != 0 && level >= depth) yield break;
        foreach (var sub in Directory.GetDirectories(dir).OrderBy(x => x, StringComparer.Ordinal))
            foreach (var f in Walk(sub, depth, level + 1)) yield return f;
    }
}

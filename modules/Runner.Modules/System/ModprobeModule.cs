using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// community.general.modprobe (https://docs.ansible.com/ansible/latest/collections/community/general/modprobe_module.html),
/// as community.general 6.6.2's plugins/modules/modprobe.py: loads (`modprobe NAME PARAMS`) or unloads (`modprobe -r
/// NAME`) a kernel module unless /proc/modules or the kernel's modules.builtin already says so; the dry run Ansible
/// makes in check mode (`modprobe -n ...`) is probed first, so a module modprobe cannot load fails in either mode
/// with its stderr. A load that leaves the module unlisted is not a change and warns with `modprobe -n --first-time`'s
/// stderr, as Ansible's. persistent=present writes /etc/modules-load.d/NAME.conf and, when the "options NAME k=v"
/// lines of /etc/modprobe.d differ from params, comments those lines out and writes /etc/modprobe.d/NAME.conf;
/// persistent=absent comments out the module's lines and options (files rewritten as Ansible's, '\n'.join of the
/// lines). Result: changed, name, params, state. Failures with Ansible's messages: a missing modprobe ('Failed to find
/// required executable "modprobe" in paths: ...'), an unreadable /proc/modules or modules.builtin ("[Errno 2] ..."),
/// a missing /etc/modules-load.d or /etc/modprobe.d (Ansible's crash: "MODULE FAILURE" with the error in
/// module_stderr). Unlike Ansible, which writes the persistent files even in check mode, Runner changes nothing then.
/// </summary>
public sealed class ModprobeModule : PlanningModule
{
    private const string LoadDir = "/etc/modules-load.d";
    private const string OptionsDir = "/etc/modprobe.d";

    public override string Name => "modprobe";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }),
        new OptionSpec("params", Default: ""),
        new OptionSpec("persistent", Default: "disabled", Choices: new[] { "disabled", "present", "absent" }));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var (name, state, parameters, persistent) = (a.Str("name")!, a.Str("state")!, a.Str("params")!, a.Str("persistent")!);
        var result = new Dict { ["changed"] = false, ["name"] = name, ["params"] = parameters, ["state"] = state };
        var exe = new ExecutableFact("modprobe");
        var kernel = new KernelModulesFact();
        FolderFilesFact loadFiles = new(LoadDir), optionFiles = new(OptionsDir);
        await ctx.Facts.GetAsync(ct, exe, kernel, loadFiles, optionFiles);
        var found = await ctx.Facts.GetAsync(exe, ct);
        if (found.Path is not { } modprobe) return Plan.Fail(found.Missing("modprobe"));
        var patterns = new Patterns(name, out var patternError);
        if (patternError is not null) return Crash($"re.error: {patternError}");

        var plan = new Plan { Result = result };
        List<string> words;
        try { words = Shlex.Split(parameters); }
        catch (FormatException e) { return Crash($"ValueError: {e.Message}"); }
        var loaded = Loaded(await ctx.Facts.GetAsync(kernel, ct), name, out var loadError);
        if (loadError is not null) return Plan.Fail(loadError, result);
        Argv? change = state == "present" && !loaded ? Argv.Of(modprobe, name).Add(words)
            : state == "absent" && loaded ? Argv.Of(modprobe, "-r", name) : null;
        if (change is not null)
        {
            // Ansible's check-mode run, made in both modes: it changes nothing and fails as the real one would
            var dry = state == "present" ? Argv.Of(modprobe, "-n", name).Add(words) : Argv.Of(modprobe, "-r", name, "-n");
            var r = await ctx.Facts.GetAsync(new ScriptFact<CommandResult>("modprobe-dry:" + dry, dry.ToString(), o => o), ct);
            if (r.ExitCode != 0) return Plan.CommandFailed(r, r.Stderr, result);
            plan.Add(new RunStep(change) { CountsAsChange = false, OnFailure = f => Plan.CommandFailed(f, f.Stderr, result) });
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var writes = new List<string>();
        string? crash = null;
        var persistentChange = persistent != "disabled" && Persist(persistent == "present", name, parameters, patterns,
            await ctx.Facts.GetAsync(loadFiles, ct), await ctx.Facts.GetAsync(optionFiles, ct), files, writes, out crash);

        plan.Then = async (outcomes, token) =>
        {
            // Ansible dies of a missing folder after the load
            if (crash is not null) return Crash(crash);
            var next = new Plan { Changed = change is not null && state == "absent" };
            if (change is not null && state == "present")
            {
                if (!outcomes[0].Ran || Loaded(await ctx.Facts.GetAsync(kernel, token), name, out _)) next.Changed = true;
                else
                {
                    var first = Argv.Of(modprobe, "-n", "--first-time", name).Add(words);
                    var w = await ctx.Facts.GetAsync(new ScriptFact<CommandResult>("modprobe-first:" + first, first.ToString(), o => o), token);
                    if (w.ExitCode != 0) next.Warnings.Add(w.Stderr);
                }
            }
            next.Changed |= persistentChange;
            foreach (var path in writes) next.Add(new PutFileStep(path, Encoding.UTF8.GetBytes(files[path])) { Creates = new Planned.File(path) });
            return next;
        };
        return plan;
    }

    /// <summary>Ansible's three patterns, the name unescaped in each as in Python's format.</summary>
    private sealed class Patterns
    {
        public Patterns(string name, out string? error)
        {
            Module = PyRegex.Compile($@"^ *{name} *(?:[#;].*)?\n?\Z", RegexOptions.None, out error);
            FindParams = PyRegex.Compile($@"^options {name} \w+=\S+ *(?:[#;].*)?\n?\Z", RegexOptions.None, out var e2);
            GetParams = PyRegex.Compile($@"^options {name} (\w+=\S+) *(?:[#;].*)?\n?\Z", RegexOptions.None, out var e3);
            error ??= e2 ?? e3;
        }

        public Regex? Module { get; }
        public Regex? FindParams { get; }
        public Regex? GetParams { get; }
    }

    /// <summary>
    /// Ansible's persistent=present/absent branch over the files read, in its order of evaluation (a folder is listed
    /// only when Ansible lists it): fills <paramref name="files"/> with the new text of each file written (in
    /// <paramref name="writes"/>' order); returns whether anything changed, or sets <paramref name="crash"/> to the
    /// error Ansible's module dies of (a missing folder).
    /// </summary>
    private static bool Persist(bool present, string name, string parameters, Patterns p,
        IReadOnlyList<(string Path, string? Text)>? loadFiles, IReadOnlyList<(string Path, string? Text)>? optionFiles,
        Dictionary<string, string> files, List<string> writes, out string? crash)
    {
        crash = null;
        IEnumerable<(string Path, List<string> Lines)> Folder(IReadOnlyList<(string Path, string? Text)>? folder, string dir) =>
            (folder ?? throw new MissingFolder(dir)).Select(f => (f.Path, TextFile.Lines(files.GetValueOrDefault(f.Path, f.Text ?? ""))));
        bool Persisted() => Folder(loadFiles, LoadDir).Any(f => f.Lines.Any(p.Module!.IsMatch));
        HashSet<string> Permanent() => Folder(optionFiles, OptionsDir).SelectMany(f => f.Lines).Select(l => p.GetParams!.Match(l))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var wanted = parameters.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        bool ParamsSet() => Permanent().SetEquals(wanted);
        void Write(string path, string text)
        {
            if (!files.ContainsKey(path)) writes.Add(path);
            files[path] = text;
        }
        void CommentOut(IReadOnlyList<(string Path, string? Text)>? folder, string dir, Regex pattern)
        {
            foreach (var (path, lines) in Folder(folder, dir).ToList())
                if (lines.Any(pattern.IsMatch)) Write(path, string.Join("\n", lines.Select(l => pattern.IsMatch(l) ? "#" + l : l)));
        }
        var changed = false;
        try
        {
            if (present && !(Persisted() && ParamsSet()))
            {
                if (!Persisted()) { Write($"{LoadDir}/{name}.conf", name + "\n"); changed = true; }
                if (!ParamsSet())
                {
                    CommentOut(optionFiles, OptionsDir, p.FindParams!);
                    Write($"{OptionsDir}/{name}.conf", string.Join("\n", wanted.Select(w => $"options {name} {w}")) + "\n");
                    changed = true;
                }
            }
            else if (!present && (Persisted() || Permanent().Count > 0))
            {
                if (Persisted()) { CommentOut(loadFiles, LoadDir, p.Module!); changed = true; }
                if (Permanent().Count > 0) { CommentOut(optionFiles, OptionsDir, p.FindParams!); changed = true; }
            }
        }
        catch (MissingFolder e) { crash = $"FileNotFoundError: [Errno 2] No such file or directory: '{e.Message}'"; }
        return changed;
    }

    private sealed class MissingFolder(string dir) : Exception(dir);

    /// <summary>module_loaded: NAME (dashes as underscores) first in a /proc/modules line, or "/NAME.ko" ending a modules.builtin line.</summary>
    private static bool Loaded(KernelModules k, string name, out string? error)
    {
        error = null;
        if (k.Loaded is null) { error = "[Errno 2] No such file or directory: '/proc/modules'"; return false; }
        var prefix = name.Replace('-', '_') + " ";
        if (k.Loaded.Split('\n').Any(l => l.StartsWith(prefix, StringComparison.Ordinal))) return true;
        if (k.Builtin is null) { error = $"[Errno 2] No such file or directory: '{k.BuiltinPath}'"; return false; }
        return k.Builtin.Split('\n').Any(l => l.TrimEnd().EndsWith($"/{name}.ko", StringComparison.Ordinal));
    }

    /// <summary>What Ansible reports when its module dies of an exception: MODULE FAILURE, the error in module_stderr.</summary>
    private static Plan Crash(string error) => Plan.Fail("MODULE FAILURE\nSee stdout/stderr for the exact error",
        new Dict { ["module_stdout"] = "", ["module_stderr"] = $"Traceback (most recent call last):\n{error}\n", ["rc"] = 1L });
}

using Runner.Engine.Connections;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// A module: one idempotent operation on a target (read state, compare, change only what differs).
/// Follows Ansible's module contract (lib/ansible/module_utils/basic.py): arguments are validated
/// against <see cref="Spec"/> before <see cref="RunAsync"/>; the result holds Ansible's fields
/// (changed, failed, msg, rc, stdout, stderr, diff, ...) so `register` works as users expect.
/// </summary>
public interface IModule
{
    /// <summary>Short name, e.g. "copy"; "ansible.builtin.copy" and "ansible.legacy.copy" resolve to it.</summary>
    string Name { get; }

    /// <summary>The options this module takes.</summary>
    ModuleSpec Spec { get; }

    /// <summary>Runs the module. Must not change anything when <see cref="ModuleContext.CheckMode"/> is set.</summary>
    Task<Dict> RunAsync(ModuleContext context, CancellationToken ct);
}

/// <summary>
/// Everything a module may use. Args are templated and validated (types coerced as the spec says;
/// options not given are absent). A module that sets facts returns them under "ansible_facts".
/// </summary>
public sealed class ModuleContext
{
    public required IConnection Connection { get; init; }
    public required Dict Args { get; init; }
    public required bool CheckMode { get; init; }
    public required bool DiffMode { get; init; }
    public required Templar Templar { get; init; }
    public required IVariableScope Variables { get; init; }
    /// <summary>The host being worked on (inventory_hostname).</summary>
    public required string Host { get; init; }
    /// <summary>What earlier tasks of the run would have created on this host (check mode).</summary>
    public PlannedState Planned { get; init; } = new();
    /// <summary>The host's fact cache for the run (see <see cref="Facts.HostFacts"/>).</summary>
    public Facts.HostFacts Facts { get; init; } = new();
    /// <summary>Where probes are answered; null: on the target through <see cref="Connection"/> (tests give recorded outputs).</summary>
    public Facts.IFactSource? FactSource { get; init; }
    /// <summary>Folders searched for a relative `src` (role files/ or templates/ first, then the playbook folder).</summary>
    public IReadOnlyList<string> SearchPaths { get; init; } = Array.Empty<string>();
    /// <summary>How to run commands on the target: environment and become.</summary>
    public ExecOptions Exec { get; init; } = new();
    /// <summary>Task name and file:line, for messages.</summary>
    public string TaskLabel { get; init; } = "";

    /// <summary>Runs a sh script on the target with the task's environment and become settings.</summary>
    /// <remarks>A become that sudo/su refuses (wrong or missing password) fails the task with Ansible's message
    /// ("Incorrect sudo password", ...) as a <see cref="Errors.RunnerException"/>, whatever the module.</remarks>
    public async Task<CommandResult> ShAsync(string script, CancellationToken ct, byte[]? stdin = null)
    {
        var r = await Connection.ExecAsync(script, Exec with { Stdin = stdin }, ct);
        if (r.ExitCode != 0 && Exec.BecomeUser is not null && SshBecome.Refusal(r.Stderr) is { } refused)
            throw new Errors.RunnerException(refused);
        return r;
    }

    /// <summary>
    /// An action plugin's _find_needle (DataLoader.path_dwim_relative_stack over the task's search path, the playbook's
    /// folder last): the first of the candidates that exists, else null; <paramref name="searched"/> lists the candidates
    /// in order, as ansible-core's "Could not find or access 'X'\nSearched in:..." names them.
    /// </summary>
    public string? FindNeedle(string subdir, string needle, out List<string> searched)
    {
        searched = new List<string>();
        if (needle.StartsWith('~')) needle = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + needle[1..];
        if (Path.IsPathRooted(needle)) return File.Exists(needle) || Directory.Exists(needle) ? needle : null;
        // the task's search path (its roles and its file's folder) ends with the playbook's folder only when the task is
        // written there; the loader then adds the playbook's folder again
        var paths = SearchPaths.Count > 1 ? SearchPaths.Take(SearchPaths.Count - 1) : SearchPaths;
        var baseDir = SearchPaths.Count > 0 ? SearchPaths[^1] : Directory.GetCurrentDirectory();
        searched.AddRange(Templating.Lookups.SearchPath.Candidates(paths, baseDir, subdir, needle));
        return searched.FirstOrDefault(c => File.Exists(c) || Directory.Exists(c));
    }

    /// <summary>Finds a controller-side file by a relative or absolute path in the search folders.</summary>
    public string? FindFile(string path, string subFolder)
    {
        if (Path.IsPathRooted(path)) return File.Exists(path) || Directory.Exists(path) ? path : null;
        foreach (var dir in SearchPaths)
        {
            foreach (var candidate in new[] { Path.Combine(dir, subFolder, path), Path.Combine(dir, path) })
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>The type of a module option, as Ansible's argument_spec `type`.</summary>
public enum OptionType { Str, Bool, Int, Float, List, Dict, Path, Raw, Mode }

/// <summary>One option of a module (Ansible argument_spec entry).</summary>
public sealed record OptionSpec(string Name, OptionType Type = OptionType.Str, bool Required = false,
    object? Default = null, string[]? Choices = null, string[]? Aliases = null, bool NoLog = false,
    OptionType? Elements = null);

/// <summary>
/// A module's options. <see cref="FreeForm"/> modules (command, shell, raw) take a free-form string
/// under "_raw_params"; <see cref="AcceptsAnyArgs"/> modules (set_fact) take any keys.
/// </summary>
public sealed record ModuleSpec(IReadOnlyList<OptionSpec> Options, bool FreeForm = false, bool AcceptsAnyArgs = false,
    bool SupportsCheckMode = true, bool RunsOnController = false)
{
    public static ModuleSpec Of(params OptionSpec[] options) => new(options);

    /// <summary>Groups of options of which at most one may be given (Ansible's mutually_exclusive).</summary>
    public IReadOnlyList<string[]> MutuallyExclusive { get; init; } = Array.Empty<string[]>();

    /// <summary>Groups of options given all together or not at all (required_together).</summary>
    public IReadOnlyList<string[]> RequiredTogether { get; init; } = Array.Empty<string[]>();

    /// <summary>Groups of options of which at least one must be given (required_one_of).</summary>
    public IReadOnlyList<string[]> RequiredOneOf { get; init; } = Array.Empty<string[]>();

    /// <summary>When an option has a value, other options are required (required_if).</summary>
    public IReadOnlyList<RequiredIf> RequiredIf { get; init; } = Array.Empty<RequiredIf>();

    /// <summary>When an option is given, other options are required (required_by).</summary>
    public IReadOnlyDictionary<string, string[]> RequiredBy { get; init; } = new Dictionary<string, string[]>();

    /// <summary>The msg of the skipped task in check mode when <see cref="SupportsCheckMode"/> is false; null:
    /// "remote module (NAME) does not support check mode" (the module's own refusal). Action plugins that refuse
    /// (assemble, script) say "check mode is not supported for this task.".</summary>
    public string? CheckModeSkipMessage { get; init; }
}

/// <summary>
/// Ansible's required_if entry: when <paramref name="Key"/> equals <paramref name="Value"/>, all of
/// <paramref name="Requirements"/> (or, with <paramref name="AnyOf"/>, at least one) must be given.
/// </summary>
public sealed record RequiredIf(string Key, object Value, string[] Requirements, bool AnyOf = false);

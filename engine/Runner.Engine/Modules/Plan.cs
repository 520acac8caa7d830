using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// What a module returns: the steps needed to reach the desired state (none when it already holds), the result
/// fields it reports (name, state, ...), a diff, warnings. The engine (<see cref="PlanRunner"/>) runs the steps unless
/// in check mode, sets `changed` (any step), attaches the diff only in diff mode and censors no_log values. A module
/// never reads the check-mode flag.
/// <para>Modules that must see a step's outcome before deciding what comes next (read back a new user's uid, apt after
/// update_cache) set <see cref="Then"/>: the engine calls it after this plan's steps with their outcomes (not run in
/// check mode) and applies the plan it returns; probes made there see the changed target, or in check mode the
/// unchanged one, so the continuation needs no check-mode branch either.</para>
/// </summary>
public sealed class Plan
{
    /// <summary>The steps, in order.</summary>
    public List<Step> Steps { get; } = new();

    /// <summary>Fields for the task's result (module return values); later plans of a <see cref="Then"/> chain override.</summary>
    public Dict Result { get; init; } = new();

    /// <summary>Ansible's diff dict (before/after, before_header/after_header) or null.</summary>
    public Dict? Diff { get; set; }

    /// <summary>Warnings for the result's "warnings".</summary>
    public List<string> Warnings { get; } = new();

    /// <summary>The result in check mode when the module's result then differs (Ansible modules that exit early with only {"changed": true}); null: <see cref="Result"/>.</summary>
    public Dict? CheckModeResult { get; set; }

    /// <summary>
    /// In check mode the task is reported skipped (skipped: true, changed: false) with the chain's result (or
    /// <see cref="CheckModeResult"/>): Ansible's modules that cannot tell what they would do (command and shell
    /// without creates/removes, raw). Outside check mode it has no effect.
    /// </summary>
    public bool SkipInCheckMode { get; set; }

    /// <summary>Failure message: the task fails with it and <see cref="Result"/>; no step runs.</summary>
    public string? Failure { get; private init; }

    /// <summary>The failed task's `changed` when set (Ansible modules whose fail_json says changed=false although a step ran,
    /// as copy's mode failure after the write); null: whether a step ran.</summary>
    public bool? FailureChanged { get; private init; }

    /// <summary>Report the diff as a list even when the chain has one (Ansible's copy and template actions collect per-file diffs).</summary>
    public bool DiffAsList { get; set; }

    /// <summary>Reported as changed even without steps (a state known to differ that needs no command).</summary>
    public bool Changed { get; set; }

    /// <summary>Called after the steps ran (or, in check mode, were skipped) with their outcomes; returns the next plan.</summary>
    public Func<IReadOnlyList<StepOutcome>, CancellationToken, Task<Plan>>? Then { get; set; }

    /// <summary>An empty plan reporting <paramref name="result"/>: the state already holds.</summary>
    public static Plan Ok(Dict? result = null) => new() { Result = result ?? new Dict() };

    /// <summary>A plan that fails the task with <paramref name="message"/> and the fields of <paramref name="result"/>.</summary>
    public static Plan Fail(string message, Dict? result = null) => new() { Failure = message, Result = result ?? new Dict() };

    /// <summary>The failure of a command: <paramref name="message"/>, the fields of <paramref name="extra"/> (e.g. Ansible's "cmd") and the command's rc, stdout, stderr (for <see cref="RunStep.OnFailure"/>).</summary>
    public static Plan CommandFailed(Connections.CommandResult r, string message, Dict? extra = null) =>
        Fail(message, new Dict(extra ?? new Dict()) { ["rc"] = (long)r.ExitCode, ["stdout"] = r.Stdout, ["stderr"] = r.Stderr });

    /// <summary>A failing plan whose task reports <paramref name="changed"/> whatever steps ran before it.</summary>
    public static Plan Fail(string message, Dict? result, bool changed) =>
        new() { Failure = message, Result = result ?? new Dict(), FailureChanged = changed };

    /// <summary>Adds a step; returns this plan.</summary>
    public Plan Add(Step step) { Steps.Add(step); return this; }

    /// <summary>What the steps of this plan and of its <see cref="Then"/> chain use (an API client, the port forward it
    /// goes through), disposed by the engine once the chain has ended: done, failed, or in check mode.</summary>
    public List<IAsyncDisposable> Resources { get; } = new();

    /// <summary>Hands <paramref name="resource"/> to the engine to dispose when the chain ends (<see cref="Resources"/>); returns this plan.</summary>
    public Plan Owning(IAsyncDisposable resource) { Resources.Add(resource); return this; }
}

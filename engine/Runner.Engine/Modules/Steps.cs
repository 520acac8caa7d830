using Runner.Engine.Connections;
using Runner.Engine.Values;

namespace Runner.Engine.Modules;

/// <summary>
/// One change a plan needs on the target (or an API). The engine runs steps in order unless in check mode; a plan
/// with steps is `changed`. <see cref="Creates"/> names what the step brings into existence, so that in check mode
/// later tasks can count on it (see <see cref="PlannedState"/>).
/// </summary>
public abstract record Step
{
    /// <summary>What this step creates, recorded in check mode as a known future state; null for nothing.</summary>
    public Planned? Creates { get; init; }

    /// <summary>Whether running this step makes the task changed (true); false for upkeep whose effect a
    /// continuation judges and reports with <see cref="Plan.Changed"/> (apt's cache update: changed only when the
    /// lists changed).</summary>
    public bool CountsAsChange { get; init; } = true;

    /// <summary>One line for traces and tests: the command line, "put PATH", or the API call.</summary>
    public abstract string Describe();
}

/// <summary>What a step would create: a file at an absolute path, or a group.</summary>
public abstract record Planned
{
    /// <summary>A file or folder at <paramref name="Path"/>.</summary>
    public sealed record File(string Path) : Planned;

    /// <summary>A group named <paramref name="Name"/>.</summary>
    public sealed record Group(string Name) : Planned;
}

/// <summary>
/// Runs a command on the target with the task's environment and become. A non-zero exit code not in
/// <see cref="OkExitCodes"/> fails the task with <see cref="FailMessage"/> (or the command's stderr) as msg and rc,
/// stdout, stderr in the result. With <see cref="KeepOutput"/>, stdout/stderr (when not empty) go into the result.
/// </summary>
/// <param name="Script">The sh command line: <see cref="Argv.ToString"/>, or a script built from quoted words.</param>
public sealed record RunStep(string Script) : Step
{
    /// <summary>A step running <paramref name="command"/>.</summary>
    public RunStep(Argv command) : this(command.ToString()) { }

    /// <summary>Exit codes that are not failures (0 always is).</summary>
    public IReadOnlyList<int> OkExitCodes { get; init; } = Array.Empty<int>();

    /// <summary>The failure's msg; "{stderr}", "{stdout}" and "{rc}" are replaced by the command's. Null: the stderr, trimmed.</summary>
    public string? FailMessage { get; init; }

    /// <summary>Put the command's stdout and stderr (when not empty) into the result.</summary>
    public bool KeepOutput { get; init; }

    /// <summary>No exit code fails the step: the plan's <see cref="Plan.Then"/> reads it (command, shell and raw report rc themselves).</summary>
    public bool AnyExitCode { get; init; }

    /// <summary>Bytes for the command's standard input, or null.</summary>
    public byte[]? Stdin { get; init; }

    /// <summary>Retries of a transient failure (another apt holds the dpkg lock), or null for none.</summary>
    public StepRetry? Retry { get; init; }

    /// <summary>
    /// The failed task for a failing command, when <see cref="FailMessage"/> cannot say it: given the command's result,
    /// returns a <see cref="Plan.Fail"/> whose message, result fields (instead of rc, stdout, stderr), diff,
    /// warnings and, when it says one, `changed` the task gets. Null: <see cref="FailMessage"/> with rc, stdout, stderr.
    /// </summary>
    public Func<CommandResult, Plan>? OnFailure { get; init; }

    /// <inheritdoc/>
    public override string Describe() => Script;
}

/// <summary>
/// How a <see cref="RunStep"/> is retried: while <paramref name="When"/> holds for its result, at most
/// <paramref name="Attempts"/> more times, waiting <paramref name="FirstDelay"/> and then twice as long each time
/// (never longer than <see cref="MaxDelay"/> when set).
/// </summary>
public sealed record StepRetry(Func<CommandResult, bool> When, int Attempts, TimeSpan FirstDelay)
{
    /// <summary>The longest wait between two attempts (Ansible's update_cache_retry_max_delay), or null for no limit.</summary>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>The wait before retry number <paramref name="attempt"/> (0 for the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        var d = FirstDelay * Math.Pow(2, attempt);
        return MaxDelay is { } max && d > max ? max : d;
    }
}

/// <summary>Writes <see cref="Content"/> to <see cref="Path"/> on the target atomically (the connection's one atomic write).</summary>
public sealed record PutFileStep(string Path, byte[] Content) : Step
{
    /// <inheritdoc/>
    public override string Describe() => $"put {Path} ({Content.Length} bytes)";
}

/// <summary>
/// Ansible's validate option (copy, template, lineinfile, blockinfile): <see cref="Content"/> goes to a temp file
/// beside <see cref="Dest"/>, <see cref="Command"/> (an sh command line with %s for that file) checks it, and the temp
/// file is removed again; the destination is untouched (a <see cref="PutFileStep"/> after this one writes it). A
/// non-zero exit fails the task with "failed to validate" and exit_status, stdout, stderr, as Ansible's copy module;
/// a command without %s fails with "validate must contain %s: COMMAND". Changes nothing on the target by itself.
/// </summary>
public sealed record ValidateStep(string Dest, byte[] Content, string Command) : Step
{
    /// <inheritdoc/>
    public override string Describe() => $"validate {Dest} with {Command}";
}

/// <summary>
/// Calls an API (cloud modules): <see cref="Call"/> returns the fields it adds to the result, or null. An exception
/// (<see cref="Errors.RunnerException"/>) fails the task with its message.
/// </summary>
public sealed record CallStep(string Description, Func<CancellationToken, Task<Dict?>> Call) : Step
{
    /// <inheritdoc/>
    public override string Describe() => Description;
}

/// <summary>
/// A controller-side action that drives the host's connection itself, as Ansible's reboot and wait_for_connection
/// action plugins do (low-level commands, connection resets, retries until a deadline): <see cref="Run"/> gets the
/// task's connection as an <see cref="ActionConnection"/> and returns what it did, <see cref="Plan.Ok"/> with the fields
/// for the result or <see cref="Plan.Fail(string, Dict?)"/> with the message and fields of the failed task. Like every
/// step it does not run in check mode. An <see cref="ActionError"/> it throws fails the task with only its message; a
/// <see cref="Errors.RunnerException"/> with the message and changed false.
/// </summary>
public sealed record ConnectionStep(string Description, Func<ActionConnection, CancellationToken, Task<Plan>> Run) : Step
{
    /// <inheritdoc/>
    public override string Describe() => Description;
}

/// <summary>What became of one step: whether it ran (never in check mode) and, for a command, its result.</summary>
public sealed record StepOutcome(Step Step, bool Ran, CommandResult? Result = null, Dict? Data = null)
{
    /// <summary>Local time the step started (command's "start"); null when it did not run.</summary>
    public DateTime? Start { get; init; }

    /// <summary>Local time the step ended (command's "end"); null when it did not run.</summary>
    public DateTime? End { get; init; }
}

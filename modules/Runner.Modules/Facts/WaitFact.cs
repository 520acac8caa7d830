using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>What a wait on the target saw: the condition met in time, or not, or the wait itself failed (its stderr).</summary>
public sealed record WaitOutcome(bool Met, string? Error = null);

/// <summary>
/// A polling loop on the target that only reads (wait_for): its script prints "ok" when the condition held in time and
/// "timeout" when it did not. Volatile: every read waits anew, never cached. Key "wait:STATE:SUBJECT".
/// </summary>
public sealed class WaitFact : Fact<WaitOutcome>
{
    /// <summary>A wait named <paramref name="key"/> ("wait:started:127.0.0.1:80") run by <paramref name="script"/>.</summary>
    public WaitFact(string key, string script) => (Key, Script) = (key, script);

    /// <inheritdoc/>
    public override string Key { get; }

    /// <inheritdoc/>
    public override string Script { get; }

    /// <inheritdoc/>
    public override bool Volatile => true;

    /// <inheritdoc/>
    public override WaitOutcome Parse(CommandResult output)
    {
        var said = output.Stdout.Trim();
        if (said == "ok") return new WaitOutcome(true);
        return new WaitOutcome(false, output.ExitCode != 0 && said.Length == 0 ? output.Stderr.Trim() : null);
    }
}

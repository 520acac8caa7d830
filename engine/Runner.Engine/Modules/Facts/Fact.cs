using Runner.Engine.Connections;

namespace Runner.Engine.Modules.Facts;

/// <summary>
/// A typed, read-only probe of one thing on the target (a file's stat, a group, a systemd unit, a package): a sh
/// script that only reads, and a parser of its output. <see cref="Key"/> names what is probed ("group:web"); a
/// host's facts are cached under it for the run until a step changes the host (see <see cref="HostFacts"/>).
/// Modeled on pyinfra's facts (src/pyinfra/api/facts.py: command + process).
/// </summary>
public abstract class Fact
{
    /// <summary>What is probed, unique per kind and subject: "KIND:SUBJECT".</summary>
    public abstract string Key { get; }

    /// <summary>The sh script that reads it; it must change nothing. Its stdout and exit code go to the parser.</summary>
    public abstract string Script { get; }

    /// <summary>Turns the probe's output into the fact's value.</summary>
    public abstract object? ParseOutput(CommandResult output);

    /// <summary>
    /// True for an observation over time (wait_for's wait): never cached, probed anew by every
    /// <see cref="FactReader.GetAsync{T}"/>, and not part of a batch.
    /// </summary>
    public virtual bool Volatile => false;
}

/// <summary>A fact whose value is a <typeparamref name="T"/>.</summary>
public abstract class Fact<T> : Fact
{
    /// <summary>The fact's value from the probe's exit code, stdout and stderr.</summary>
    public abstract T Parse(CommandResult output);

    /// <inheritdoc/>
    public sealed override object? ParseOutput(CommandResult output) => Parse(output);
}

/// <summary>A fact defined inline: a key, a read-only script and a parser.</summary>
public sealed class ScriptFact<T> : Fact<T>
{
    private readonly Func<CommandResult, T> _parse;

    /// <summary>A fact under <paramref name="key"/> read by <paramref name="script"/> and parsed by <paramref name="parse"/>.</summary>
    public ScriptFact(string key, string script, Func<CommandResult, T> parse)
    {
        Key = key;
        Script = script;
        _parse = parse;
    }

    /// <inheritdoc/>
    public override string Key { get; }

    /// <inheritdoc/>
    public override string Script { get; }

    /// <inheritdoc/>
    public override T Parse(CommandResult output) => _parse(output);
}

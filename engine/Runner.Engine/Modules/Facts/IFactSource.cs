using Runner.Engine.Connections;

namespace Runner.Engine.Modules.Facts;

/// <summary>Where probe output comes from: the target (<see cref="ConnectionFactSource"/>) or a test's recorded outputs.</summary>
public interface IFactSource
{
    /// <summary>The raw output of every probe, in order, in as few round trips as the source can (one for a connection).</summary>
    Task<IReadOnlyList<CommandResult>> ProbeAsync(IReadOnlyList<Fact> facts, CancellationToken ct);
}

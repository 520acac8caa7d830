using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Tests.Modules;

/// <summary>
/// Probe outputs for module tests, by fact key: each key has a list of outputs given in turn (the last one repeats),
/// so a test states what the host reads before and after a change. A fact nobody recorded fails the test.
/// </summary>
public sealed class RecordedFacts : IFactSource
{
    private readonly Dictionary<string, Queue<CommandResult>> _outputs = new(StringComparer.Ordinal);

    /// <summary>Every key probed, in order (one entry per probe, so a cached fact shows once).</summary>
    public List<string> Probed { get; } = new();

    /// <summary>Adds outputs for <paramref name="key"/>, given in turn.</summary>
    public void Add(string key, IEnumerable<CommandResult> outputs) => _outputs[key] = new Queue<CommandResult>(outputs);

    /// <inheritdoc/>
    public Task<IReadOnlyList<CommandResult>> ProbeAsync(IReadOnlyList<Fact> facts, CancellationToken ct)
    {
        var results = new List<CommandResult>();
        foreach (var f in facts)
        {
            Probed.Add(f.Key);
            if (!_outputs.TryGetValue(f.Key, out var q) || q.Count == 0)
                throw new Xunit.Sdk.XunitException($"the module probed {f.Key} ({f.Script}), which the spec does not record");
            results.Add(q.Count > 1 ? q.Dequeue() : q.Peek());
        }
        return Task.FromResult<IReadOnlyList<CommandResult>>(results);
    }
}

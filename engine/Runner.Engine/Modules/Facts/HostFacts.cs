using System.Collections.Concurrent;

namespace Runner.Engine.Modules.Facts;

/// <summary>
/// One host's probed facts for the run, cached by (become user and task environment, fact key). A task asks for all the facts it needs at
/// once (<see cref="FactReader.GetAsync(CancellationToken, Fact[])"/>): those not cached are probed in one round trip.
/// Any change on the host (a plan's step that ran, or a module outside the plan contract) clears the cache, so a
/// value is never older than the last change made through Runner; nothing is kept between runs, so drift made
/// between runs is always found. Thread-safe.
/// </summary>
public sealed class HostFacts
{
    private readonly ConcurrentDictionary<(string? User, string Key), object?> _cache = new();

    /// <summary>Forgets every cached fact (after a change on the host).</summary>
    public void Clear() => _cache.Clear();

    /// <summary>
    /// A reader of this host's facts as <paramref name="becomeUser"/> (null: the login user) with the task's
    /// <paramref name="environment"/> (null: none) through <paramref name="source"/>:
    /// a probe's output can depend on it (PATH decides which program a probe finds), so facts read under one
    /// environment are cached apart from those of another.
    /// </summary>
    public FactReader For(string? becomeUser, IReadOnlyDictionary<string, string>? environment, IFactSource source) =>
        new(this, environment is not { Count: > 0 } ? becomeUser
            : becomeUser + "\0" + string.Join("\0", environment.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)), source);

    internal bool TryGet(string? user, string key, out object? value) => _cache.TryGetValue((user, key), out value);

    internal void Set(string? user, string key, object? value) => _cache[(user, key)] = value;
}

/// <summary>Reads facts for one task: from the host's cache, else from its source, several in one round trip.</summary>
public sealed class FactReader
{
    private readonly HostFacts _facts;
    private readonly string? _user;
    private readonly IFactSource _source;

    internal FactReader(HostFacts facts, string? user, IFactSource source) => (_facts, _user, _source) = (facts, user, source);

    /// <summary>The value of <paramref name="fact"/>, probed unless cached (a <see cref="Fact.Volatile"/> fact is always probed).</summary>
    public async Task<T> GetAsync<T>(Fact<T> fact, CancellationToken ct)
    {
        if (fact.Volatile) return (T)fact.ParseOutput((await _source.ProbeAsync(new Fact[] { fact }, ct))[0])!;
        await GetAsync(ct, fact);
        return _facts.TryGet(_user, fact.Key, out var v) ? (T)v! : throw new InvalidOperationException($"fact {fact.Key} was not read");
    }

    /// <summary>Probes every fact not cached yet in one round trip; read each value afterwards with <see cref="GetAsync{T}"/>.</summary>
    /// <exception cref="ArgumentException">A <see cref="Fact.Volatile"/> fact: read it alone with <see cref="GetAsync{T}"/>.</exception>
    public async Task GetAsync(CancellationToken ct, params Fact[] facts)
    {
        if (facts.FirstOrDefault(f => f.Volatile) is { } v) throw new ArgumentException($"the volatile fact {v.Key} is read alone, with GetAsync<T>");
        var missing = facts.Where(f => !_facts.TryGet(_user, f.Key, out _)).GroupBy(f => f.Key).Select(g => g.First()).ToList();
        if (missing.Count == 0) return;
        var outputs = await _source.ProbeAsync(missing, ct);
        for (var i = 0; i < missing.Count; i++) _facts.Set(_user, missing[i].Key, missing[i].ParseOutput(outputs[i]));
    }
}

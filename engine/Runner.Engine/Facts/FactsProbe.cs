using Runner.Engine.Connections;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// Gathers a host's facts with one batched sh script (<see cref="FactsScript"/>) over any <see cref="IConnection"/>
/// (one round trip), and returns them as ansible-core 2.14's setup module has them in <c>ansible_facts</c> (keys
/// without the <c>ansible_</c> prefix; see <see cref="OutputName"/>): the collectors of <see cref="FactCollectors"/>
/// that <see cref="GatherSubset"/> selects, then gather_subset and module_setup.
/// Follows https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/setup_module.html; checked against
/// recordings of `ansible -m setup` (tests/ansible-recordings/record-facts.sh).
/// </summary>
public static class FactsProbe
{
    /// <summary>
    /// Runs the probe on <paramref name="connection"/> and parses its output.
    /// Errors: <see cref="UnreachableException"/> from the connection; <see cref="InvalidOperationException"/>
    /// when the script fails or its output is cut short; <see cref="ArgumentException"/> for a bad gather_subset.
    /// </summary>
    public static async Task<Dict> GatherAsync(IConnection connection, ExecOptions? options = null, CancellationToken ct = default,
        IReadOnlyList<string>? gatherSubset = null, string? factPath = null)
    {
        var subset = gatherSubset ?? new[] { "all" };
        GatherSubset.Resolve(subset);
        var script = factPath is null ? FactsScript.Text : $"fact_path={ShellQuote(factPath)}\n{FactsScript.Text}";
        var r = await connection.ExecAsync(script, (options ?? new ExecOptions()) with { Stdin = null }, ct);
        if (!r.Stdout.Contains("\nend=1"))
            throw new InvalidOperationException($"Gathering facts failed on {connection.Host} (rc={r.ExitCode}): {r.Stderr.Trim()}");
        return Parse(r.Stdout, subset);
    }

    /// <summary>Turns the probe's output into the facts dict for <paramref name="gatherSubset"/> (default all).</summary>
    public static Dict Parse(string output, IReadOnlyList<string>? gatherSubset = null)
    {
        var subset = gatherSubset ?? new[] { "all" };
        var names = GatherSubset.Resolve(subset);
        var probe = new ProbeOutput(output);
        var facts = new Dict();
        foreach (var c in FactCollectors.All.Where(c => names.Contains(c.Name)))
        {
            Dict part;
            try { part = c.Collect(probe, facts); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                continue; // as Ansible: a collector that fails leaves its facts out
            }
            foreach (var (k, v) in part) facts[k.Replace('-', '_')] = v;
        }
        if (names.Contains("python")) foreach (var (k, v) in PlatformFacts.Discovered(probe)) facts[k] = v;
        facts["gather_subset"] = subset.Select(s => (object?)s).ToList();
        facts["module_setup"] = true;
        return facts;
    }

    /// <summary>The name `ansible -m setup` prints for a fact key: ansible_KEY, except the keys Ansible does not prefix.</summary>
    public static string OutputName(string key) =>
        key is "gather_subset" or "module_setup" or "discovered_interpreter_python" || key.StartsWith("facter_", StringComparison.Ordinal) || key.StartsWith("ohai_", StringComparison.Ordinal)
            ? key : "ansible_" + key;

    private static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

using System.Text;
using Runner.Engine.Connections;

namespace Runner.Engine.Modules.Facts;

/// <summary>
/// Runs probes on the target in one round trip: each probe's script in a subshell, its stdout, stderr and exit code
/// framed by a marker line unique to the call, so no output can be mistaken for a frame.
/// </summary>
public sealed class ConnectionFactSource : IFactSource
{
    private readonly Func<string, CancellationToken, Task<CommandResult>> _run;

    /// <summary>A source running scripts with <paramref name="run"/> (the task's environment and become).</summary>
    public ConnectionFactSource(Func<string, CancellationToken, Task<CommandResult>> run) => _run = run;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CommandResult>> ProbeAsync(IReadOnlyList<Fact> facts, CancellationToken ct)
    {
        if (facts.Count == 1) return new[] { await _run(facts[0].Script, ct) };
        var marker = "--runner-probe-" + Guid.NewGuid().ToString("N") + "--";
        var script = new StringBuilder();
        foreach (var f in facts)
        {
            // the probe's stdout goes straight out (fd 3), its stderr is captured and printed after it, in the frame
            script.Append("{ __e=$( (").Append(f.Script).Append(") 2>&1 1>&3 3>&- ); } 3>&1; __rc=$?; ");
            script.Append("printf '\\n").Append(marker).Append(" %s\\n%s\\n").Append(marker).Append("\\n' \"$__rc\" \"$__e\"; ");
        }
        var r = await _run(script.ToString(), ct);
        return Split(r.Stdout, marker, facts.Count);
    }

    /// <summary>Cuts the combined output into one result per probe; a probe whose frame is missing gets rc 255.</summary>
    internal static IReadOnlyList<CommandResult> Split(string stdout, string marker, int count)
    {
        var results = new List<CommandResult>();
        var rest = stdout;
        for (var i = 0; i < count; i++)
        {
            var head = rest.IndexOf("\n" + marker + " ", StringComparison.Ordinal);
            if (head < 0) { results.Add(new CommandResult(255, rest, "probe output missing")); rest = ""; continue; }
            var output = rest[..head];
            var afterHead = rest[(head + marker.Length + 2)..];
            var nl = afterHead.IndexOf('\n');
            var rc = int.TryParse(afterHead[..Math.Max(0, nl)], out var n) ? n : 255;
            var tail = afterHead[(nl + 1)..];
            var end = tail.IndexOf("\n" + marker + "\n", StringComparison.Ordinal);
            var stderr = end < 0 ? tail : tail[..end];
            rest = end < 0 ? "" : tail[(end + marker.Length + 2)..];
            results.Add(new CommandResult(rc, output, stderr));
        }
        return results;
    }
}

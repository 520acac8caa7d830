using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// The ActiveState of each of some systemd units, as service_facts reads it for unit files list-units does not show:
/// `systemctl show --property=ActiveState -- NAME` per unit, in one probe, in Ansible's parsing locale; a unit whose
/// show failed or printed nothing is "unknown" (<see cref="ServiceFactsParser.ActiveState"/>).
/// </summary>
public sealed class UnitActiveStatesFact : Fact<Dictionary<string, string>>
{
    private readonly string _systemctl;
    private readonly IReadOnlyList<string> _units;

    /// <summary>The states of <paramref name="units"/> read with the systemctl at <paramref name="systemctl"/>.</summary>
    public UnitActiveStatesFact(string systemctl, IReadOnlyList<string> units) => (_systemctl, _units) = (systemctl, units);

    /// <inheritdoc/>
    public override string Key => $"unit-active-states:{_systemctl}:{string.Join(",", _units)}";

    /// <inheritdoc/>
    public override string Script => ServiceListingFact.Prelude +
        $"for u in {ShellQuote.Join(_units)}; do run {ShellQuote.Quote(_systemctl)} show --property=ActiveState -- \"$u\"; done";

    /// <inheritdoc/>
    public override Dictionary<string, string> Parse(CommandResult output)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var s = TargetScript.Sections(output.Stdout);
        for (var k = 0; k < _units.Count && 2 * k + 1 < s.Length; k++)
        {
            var o = ServiceListingFact.Output(s[2 * k], s[2 * k + 1]);
            states[_units[k]] = ServiceFactsParser.ActiveState(o.Rc, o.Stdout.Length > 0 ? o.Stdout + "\n" : "");
        }
        return states;
    }
}

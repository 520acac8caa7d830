using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>The last 15 journal lines of a systemd unit (`journalctl -u`, or --user-unit for the user scope), trimmed; "" when none.</summary>
public sealed class UnitJournalFact : Fact<string>
{
    private readonly string _scope;
    private readonly string _unit;

    /// <summary>The journal of <paramref name="unit"/> in <paramref name="scope"/> ("system", "user" or "global").</summary>
    public UnitJournalFact(string scope, string unit) => (_scope, _unit) = (scope, unit);

    /// <inheritdoc/>
    public override string Key => $"journal:{_scope}:{_unit}";

    /// <inheritdoc/>
    public override string Script =>
        $"journalctl --no-pager -q -o short-iso -n 15 {(_scope == "user" ? "--user-unit" : "-u")} {ShellQuote.Quote(_unit)} 2>&1";

    /// <inheritdoc/>
    public override string Parse(CommandResult output) => output.Stdout.Trim();
}

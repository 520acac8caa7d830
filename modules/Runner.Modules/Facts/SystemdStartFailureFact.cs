using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// Whether a unit that systemctl just started failed right after: polls `systemctl is-active` five times over about
/// a second (a Type=simple unit whose ExecStart cannot run or exits at once is reported as started, then fails;
/// an inactive unit whose Result is not success failed too). True when it failed. Read only; read it after the start.
/// </summary>
public sealed class SystemdStartFailureFact : Fact<bool>
{
    private readonly string _scope;
    private readonly string _unit;

    /// <summary>The unit <paramref name="unit"/> in <paramref name="scope"/> ("system", "user" or "global").</summary>
    public SystemdStartFailureFact(string scope, string unit) => (_scope, _unit) = (scope, unit);

    /// <inheritdoc/>
    public override string Key => $"systemd-start-failure:{_scope}:{_unit}";

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var sc = ShellQuote.Join(SystemdUnitFact.Systemctl(_scope));
            var q = ShellQuote.Quote(_unit);
            return $"for i in 1 2 3 4 5; do s=$({sc} is-active {q}); case $s in failed) echo failed; exit 0;; inactive) " +
                   $"r=$({sc} show -p Result --value {q}); [ \"$r\" = success ] || {{ echo failed; exit 0; }};; esac; sleep 0.2; done; echo ok";
        }
    }

    /// <inheritdoc/>
    public override bool Parse(CommandResult output) => output.Stdout.Trim() == "failed";
}

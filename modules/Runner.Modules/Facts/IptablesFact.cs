using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// What ansible.builtin.iptables reads of one chain in one round trip: whether `iptables -t TABLE -C CHAIN RULE`
/// finds the rule (exit 0), and `iptables -t TABLE -n -L CHAIN`'s exit code and first lines (the chain exists when it
/// exits 0; its header holds "(policy X)" for a built-in chain, else the error).
/// </summary>
internal sealed partial class IptablesFact : Fact<IptablesFact.Chain>
{
    /// <summary>The rule's presence, the listing's exit code and output (or error), and the chain's policy (null: none shown).</summary>
    public sealed record Chain(bool RulePresent, int ListRc, string ListOutput, string? Policy);

    private readonly string _iptables;
    private readonly string _table;
    private readonly string _chain;
    private readonly IReadOnlyList<string> _rule;

    /// <summary>The chain <paramref name="chain"/> of <paramref name="table"/> and the rule <paramref name="rule"/> (its words), read with <paramref name="iptables"/>.</summary>
    public IptablesFact(string iptables, string table, string chain, IReadOnlyList<string> rule) =>
        (_iptables, _table, _chain, _rule) = (iptables, table, chain, rule);

    /// <inheritdoc/>
    public override string Key => $"iptables:{_iptables}:{_table}:{_chain}:{ShellQuote.Join(_rule)}";

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var t = $"{ShellQuote.Quote(_iptables)} -t {ShellQuote.Quote(_table)}";
            var c = ShellQuote.Quote(_chain);
            return $"{t} -C {c} {ShellQuote.Join(_rule)} >/dev/null 2>&1; echo $?; {TargetScript.Sep}; " +
                   $"o=$(LC_ALL=C {t} -n -L {c} 2>&1); echo $?; printf '%s\\n' \"$o\" | head -n 5";
        }
    }

    [GeneratedRegex(@"\(policy ([A-Z]+)\)")]
    private static partial Regex PolicyRe();

    /// <inheritdoc/>
    public override Chain Parse(CommandResult output)
    {
        var s = TargetScript.Sections(output.Stdout);
        var list = (s.Length > 1 ? s[1] : "").Split('\n', 2);
        var rc = int.TryParse(list[0].Trim(), out var n) ? n : 1;
        var text = list.Length > 1 ? list[1] : "";
        var policy = rc == 0 && PolicyRe().Match(text.Split('\n')[0]) is { Success: true } m ? m.Groups[1].Value : null;
        return new Chain(s[0].Trim() == "0", rc, text, policy);
    }
}

using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// The rule words of ansible.builtin.iptables (construct_rule in iptables.py), in Ansible's order: -w, -p, -s, -d, each
/// -m of match, --tcp-flags, -j (and --gateway for TEE), LOG's options, --to-destination, multiport --dports,
/// --to-source, -g, -i, -o, -f, -c, ports, --to-ports, DSCP, --syn, conntrack (or state) --ctstate, iprange, set,
/// limit, owner, REJECT --reject-with, the ICMP type, comment. A value starting with "!" is negated ("! FLAG VALUE").
/// </summary>
internal static class IptablesRule
{
    /// <summary>The rule's words for the validated arguments <paramref name="a"/> (jump as given there).</summary>
    public static List<string> Words(Dict a, string? jump)
    {
        var rule = new List<string>();
        void Param(string? value, string flag)
        {
            if (value is null) return;
            if (value.StartsWith('!')) rule.AddRange(new[] { "!", flag, value[1..] });
            else rule.AddRange(new[] { flag, value });
        }
        void Match(bool when, string name) { if (when) rule.AddRange(new[] { "-m", name }); }
        void Csv(List<string> values, string flag) { if (values.Count > 0) rule.AddRange(new[] { flag, string.Join(',', values) }); }
        void MatchFlag(string? value, string flag, bool negatable)
        {
            if (value == "match") rule.Add(flag);
            else if (negatable && value == "negate") rule.AddRange(new[] { "!", flag });
        }
        string? S(string key) => a.Str(key);
        var match = a.StrList("match");
        var ctstate = a.StrList("ctstate");
        var ports = a.StrList("destination_ports");

        if (S("wait") is { Length: > 0 } wait) rule.AddRange(new[] { "-w", wait });
        Param(S("protocol"), "-p");
        Param(S("source"), "-s");
        Param(S("destination"), "-d");
        foreach (var m in match) Param(m, "-m");
        if (a.Get("tcp_flags") is Dict flags && flags.Get("flags") is List<object?> f && flags.Get("flags_set") is List<object?> fs)
            rule.AddRange(new[] { "--tcp-flags", string.Join(',', f.Select(PyStr.Str)), string.Join(',', fs.Select(PyStr.Str)) });
        Param(jump, "-j");
        if (jump is not null && jump.Equals("tee", StringComparison.OrdinalIgnoreCase)) Param(S("gateway"), "--gateway");
        Param(S("log_prefix"), "--log-prefix");
        Param(S("log_level"), "--log-level");
        Param(S("to_destination"), "--to-destination");
        Match(ports.Count > 0, "multiport");
        Csv(ports, "--dports");
        Param(S("to_source"), "--to-source");
        Param(S("goto"), "-g");
        Param(S("in_interface"), "-i");
        Param(S("out_interface"), "-o");
        Param(S("fragment"), "-f");
        Param(S("set_counters"), "-c");
        Param(S("source_port"), "--source-port");
        Param(S("destination_port"), "--destination-port");
        Param(S("to_ports"), "--to-ports");
        Param(S("set_dscp_mark"), "--set-dscp");
        Param(S("set_dscp_mark_class"), "--set-dscp-class");
        MatchFlag(S("syn"), "--syn", true);
        if (match.Contains("conntrack")) Csv(ctstate, "--ctstate");
        else if (match.Contains("state")) Csv(ctstate, "--state");
        else if (ctstate.Count > 0) { Match(true, "conntrack"); Csv(ctstate, "--ctstate"); }
        if (match.Contains("iprange") || S("src_range") is not null || S("dst_range") is not null)
        {
            Match(!match.Contains("iprange"), "iprange");
            Param(S("src_range"), "--src-range");
            Param(S("dst_range"), "--dst-range");
        }
        if (match.Contains("set") || S("match_set") is not null)
        {
            Match(!match.Contains("set"), "set");
            Param(S("match_set"), "--match-set");
            if (S("match_set_flags") is { } setFlags) rule.Add(setFlags);
        }
        Match(S("limit") is not null || S("limit_burst") is not null, "limit");
        Param(S("limit"), "--limit");
        Param(S("limit_burst"), "--limit-burst");
        foreach (var owner in new[] { "uid_owner", "gid_owner" })
        {
            Match(S(owner) is not null, "owner");
            MatchFlag(S(owner), "--" + owner.Replace('_', '-'), true);
            Param(S(owner), "--" + owner.Replace('_', '-'));
        }
        if (jump is null && S("reject_with") is not null) rule.AddRange(new[] { "-j", "REJECT" });
        Param(S("reject_with"), "--reject-with");
        Param(S("icmp_type"), S("ip_version") == "ipv6" ? "--icmpv6-type" : "--icmp-type");
        Match(S("comment") is not null, "comment");
        Param(S("comment"), "--comment");
        return rule;
    }
}

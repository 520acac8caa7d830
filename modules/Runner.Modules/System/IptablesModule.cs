using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.iptables (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/iptables_module.html):
/// one rule of a chain (iptables, or ip6tables for ip_version ipv6), looked for with `iptables -t TABLE -C CHAIN RULE`
/// and added with -A (append) or -I [rule_num] (insert), or removed with -D; flush (-F, always changed), policy
/// (-P, read from the `-L CHAIN` header), state=absent without a rule (changed when the chain exists; deleted with -X
/// only with chain_management), chain_management creating a missing chain (-N) for a rule. The rule's words are
/// <see cref="IptablesRule"/>'s. Result as Ansible's: changed, failed, ip_version, table, chain, flush, rule (the
/// words joined, as given: without the LOG jump logging options imply), state, chain_management. Failures: "Either
/// chain or flush parameter must be specified.", "Logging options can only be used with the LOG jump target.",
/// "Can't detect current policy", and a failed command's stderr with cmd, rc, stdout, stderr.
/// </summary>
public sealed class IptablesModule : PlanningModule
{
    public override string Name => "iptables";

    private static readonly string[] Strings =
    {
        "chain", "rule_num", "protocol", "wait", "source", "to_source", "destination", "to_destination", "jump", "gateway",
        "log_prefix", "goto", "in_interface", "out_interface", "fragment", "set_counters", "source_port", "destination_port",
        "to_ports", "set_dscp_mark", "set_dscp_mark_class", "comment", "src_range", "dst_range", "match_set", "limit",
        "limit_burst", "uid_owner", "gid_owner", "reject_with", "icmp_type",
    };

    public override ModuleSpec Spec { get; } = new(Strings.Select(s => new OptionSpec(s)).Concat(new OptionSpec[]
    {
        new("table", Default: "filter", Choices: new[] { "filter", "nat", "mangle", "raw", "security" }),
        new("state", Default: "present", Choices: new[] { "absent", "present" }),
        new("action", Default: "append", Choices: new[] { "append", "insert" }),
        new("ip_version", Default: "ipv4", Choices: new[] { "ipv4", "ipv6" }),
        new("match", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new("tcp_flags", OptionType.Dict, Default: new Dict()),
        new("log_level", Choices: new[] { "0", "1", "2", "3", "4", "5", "6", "7", "emerg", "alert", "crit", "error", "warning", "notice", "info", "debug" }),
        new("destination_ports", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new("ctstate", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str),
        new("match_set_flags", Choices: new[] { "src", "dst", "src,dst", "dst,src" }),
        new("syn", Default: "ignore", Choices: new[] { "ignore", "match", "negate" }),
        new("flush", OptionType.Bool, Default: false),
        new("policy", Choices: new[] { "ACCEPT", "DROP", "QUEUE", "RETURN" }),
        new("chain_management", OptionType.Bool, Default: false),
    }).ToList())
    {
        MutuallyExclusive = new[] { new[] { "set_dscp_mark", "set_dscp_mark_class" }, new[] { "flush", "policy" } },
        RequiredIf = new[] { new RequiredIf("jump", "TEE", new[] { "gateway" }), new RequiredIf("jump", "tee", new[] { "gateway" }) },
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var jump = a.Str("jump");
        var rule = IptablesRule.Words(a, jump);
        var (chain, table, flush, state) = (a.Str("chain"), a.Str("table")!, a.Bool("flush"), a.Str("state")!);
        var result = new Dict
        {
            ["failed"] = false, ["ip_version"] = a.Str("ip_version"), ["table"] = table, ["chain"] = chain, ["flush"] = flush,
            ["rule"] = string.Join(' ', rule), ["state"] = state, ["chain_management"] = a.Bool("chain_management"),
        };
        var program = a.Str("ip_version") == "ipv6" ? "ip6tables" : "iptables";
        var found = await ctx.Facts.GetAsync(new ExecutableFact(program), ct);
        if (found.Path is null) return Plan.Fail(found.Missing(program));
        if (!flush && chain is null) return Plan.Fail("Either chain or flush parameter must be specified.");
        if (a.Str("log_prefix") is not null || a.Str("log_level") is not null)
        {
            if (jump is null) rule = IptablesRule.Words(a, jump = "LOG");
            else if (jump != "LOG") return Plan.Fail("Logging options can only be used with the LOG jump target.");
        }

        Argv Command(string action, bool withRule = true)
        {
            var cmd = Argv.Of(found.Path, "-t", table, action);
            if (chain is not null) cmd = cmd.Add(chain);
            if (action == "-I" && a.Str("rule_num") is { Length: > 0 } num) cmd = cmd.Add(num);
            return withRule ? cmd.Add(rule) : cmd;
        }
        RunStep Run(Argv cmd) => new(cmd) { OnFailure = r => Plan.CommandFailed(r, r.Stderr.TrimEnd(), new Dict { ["cmd"] = cmd.ToString() }) };

        // the fields come with success only: a failed command reports what run_command(check_rc) gives
        var plan = new Plan { Then = (_, _) => Task.FromResult(Plan.Ok(result)) };
        if (flush) return plan.Add(Run(Command("-F", false)));
        var fact = new IptablesFact(found.Path, table, chain!, rule);
        var rules = await ctx.Facts.GetAsync(fact, ct);
        if (a.Str("policy") is { } policy)
        {
            if (rules.ListRc != 0)
                return Plan.CommandFailed(new(rules.ListRc, "", rules.ListOutput), rules.ListOutput.TrimEnd(), new Dict { ["cmd"] = Command("-L", false).ToString() });
            if (rules.Policy is null) return Plan.Fail("Can't detect current policy");
            if (rules.Policy != policy) plan.Add(Run(Command("-P", false).Add(policy)));
            return plan;
        }
        if (state == "absent" && rule.Count == 0)
        {
            plan.Changed = rules.ListRc == 0;
            if (plan.Changed && a.Bool("chain_management")) plan.Add(Run(Command("-X", false)));
            return plan;
        }
        var shouldBePresent = state == "present";
        if (rules.RulePresent == shouldBePresent) return plan;
        if (!shouldBePresent) return plan.Add(Run(Command("-D")));
        if (!(rules.RulePresent || rules.ListRc == 0) && a.Bool("chain_management")) plan.Add(Run(Command("-N", false)));
        return plan.Add(Run(Command(a.Str("action") == "insert" ? "-I" : "-A")));
    }
}

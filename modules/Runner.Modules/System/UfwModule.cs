using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// community.general.ufw (https://docs.ansible.com/ansible/latest/collections/community/general/ufw_module.html), as
/// community.general 6.6.2's plugins/modules/ufw.py drives the target's ufw program: it reads `ufw status verbose` and
/// the "### tuple" lines of the user rules files, then runs one command for each of state, default, rule and logging
/// given (in that order, LANG=C): `ufw -f enable|disable|reload|reset`, `ufw default POLICY [DIRECTION]`, `ufw [route]
/// [delete | insert N] RULE [DIRECTION] [on IF] ... from X [port P] to Y [port Q] [proto P] [app 'NAME'] [comment 'C']`
/// (the words joined and split again as Ansible's run_command does), `ufw logging LEVEL`. The change is what Ansible's
/// module decides: reloaded and reset always change, logging changes when the status says another level, and
/// otherwise the status and rules read again after the commands must differ from before. In check mode (the engine's:
/// the commands are steps, not run) the continuation makes Ansible's predictions instead: the status's " active" for
/// state, its "Default:" line for default, and for a rule `ufw --dry-run RULE`'s "### tuple" lines against the rules
/// files (only the IPv4 or IPv6 lines when from_ip or to_ip starts with such an address; "Skipping" lines alone are no
/// change). Result: commands (every command line run, as Ansible records them), msg (the status after, not in check
/// mode). A failing command fails the task with its stderr (or stdout) and the commands so far. Unlike Ansible, the
/// option checks (direction per command, interface_in with interface_out) fail before any command runs.
/// </summary>
public sealed class UfwModule : PlanningModule
{
    private static readonly string[] RulesFiles =
    {
        "/lib/ufw/user.rules", "/lib/ufw/user6.rules", "/etc/ufw/user.rules", "/etc/ufw/user6.rules",
        "/var/lib/ufw/user.rules", "/var/lib/ufw/user6.rules",
    };

    private static readonly Regex Ipv4 = new(@"((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])");

    private static readonly Regex Ipv6 = new(
        @"(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}" +
        @"|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}" +
        @"|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}" +
        @"|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}" +
        @"|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])" +
        @"|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))");

    public override string Name => "ufw";

    public override ModuleSpec Spec { get; } = new ModuleSpec(new[]
    {
        new OptionSpec("state", Choices: new[] { "enabled", "disabled", "reloaded", "reset" }),
        new OptionSpec("default", Choices: new[] { "allow", "deny", "reject" }, Aliases: new[] { "policy" }),
        new OptionSpec("logging", Choices: new[] { "full", "high", "low", "medium", "off", "on" }),
        new OptionSpec("direction", Choices: new[] { "in", "incoming", "out", "outgoing", "routed" }),
        new OptionSpec("delete", OptionType.Bool, Default: false),
        new OptionSpec("route", OptionType.Bool, Default: false),
        new OptionSpec("insert", OptionType.Int),
        new OptionSpec("insert_relative_to", Default: "zero", Choices: new[] { "zero", "first-ipv4", "last-ipv4", "first-ipv6", "last-ipv6" }),
        new OptionSpec("rule", Choices: new[] { "allow", "deny", "limit", "reject" }),
        new OptionSpec("interface", Aliases: new[] { "if" }),
        new OptionSpec("interface_in", Aliases: new[] { "if_in" }),
        new OptionSpec("interface_out", Aliases: new[] { "if_out" }),
        new OptionSpec("log", OptionType.Bool, Default: false),
        new OptionSpec("from_ip", Default: "any", Aliases: new[] { "from", "src" }),
        new OptionSpec("from_port"),
        new OptionSpec("to_ip", Default: "any", Aliases: new[] { "dest", "to" }),
        new OptionSpec("to_port", Aliases: new[] { "port" }),
        new OptionSpec("proto", Choices: new[] { "ah", "any", "esp", "ipv6", "tcp", "udp", "gre", "igmp" }, Aliases: new[] { "protocol" }),
        new OptionSpec("name", Aliases: new[] { "app" }),
        new OptionSpec("comment"),
    })
    {
        MutuallyExclusive = new[] { new[] { "name", "proto", "logging" }, new[] { "direction", "interface_in" }, new[] { "direction", "interface_out" } },
        RequiredOneOf = new[] { new[] { "state", "default", "rule", "logging" } },
        RequiredBy = new Dictionary<string, string[]> { ["interface"] = new[] { "direction" } },
    };

    /// <summary>One of Ansible's commands: its line as recorded in `commands` (run with LANG=C after shlex splitting).</summary>
    private static Fact<CommandResult> Probe(string key, string line) =>
        new ScriptFact<CommandResult>(key, "LANG=C " + Argv.Of(Shlex.Split(line).ToArray()), o => o);

    /// <summary>Ansible's `err or out` of a failed command.</summary>
    private static string ErrOrOut(CommandResult r) => r.Stderr.Length > 0 ? r.Stderr : r.Stdout;

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        ExecutableFact ufwExe = new("ufw"), grepExe = new("grep");
        await ctx.Facts.GetAsync(ct, ufwExe, grepExe);
        if ((await ctx.Facts.GetAsync(ufwExe, ct)).Path is not { } ufw) return Plan.Fail((await ctx.Facts.GetAsync(ufwExe, ct)).Missing("ufw"));
        if ((await ctx.Facts.GetAsync(grepExe, ct)).Path is not { } grep) return Plan.Fail((await ctx.Facts.GetAsync(grepExe, ct)).Missing("grep"));

        var direction = a.Str("direction");
        if (a.Has("default") && direction is not (null or "outgoing" or "incoming" or "routed"))
            return Plan.Fail("For default, direction must be one of \"outgoing\", \"incoming\" and \"routed\", or direction must not be specified.");
        if (a.Has("rule") && direction is not (null or "in" or "out"))
            return Plan.Fail("For rules, direction must be one of \"in\" and \"out\", or direction must not be specified.");
        if (a.Has("rule") && !a.Bool("route") && Given(a, "interface_in") && Given(a, "interface_out"))
            return Plan.Fail("Only route rules can combine interface_in and interface_out");

        var cmds = new List<string>();
        var statusLine = $"{ufw} status verbose";
        var rulesLine = $"{grep} -h '^### tuple' {string.Join(' ', RulesFiles)}";
        Fact<CommandResult> status = Probe("ufw-status", statusLine), rules = Probe("ufw-rules", rulesLine);
        var versionLine = $"{ufw} --version";
        Fact<CommandResult> version = Probe("ufw-version", versionLine);
        var wantsRule = a.Has("rule");
        if (wantsRule) await ctx.Facts.GetAsync(ct, status, rules, version);
        else await ctx.Facts.GetAsync(ct, status, rules);

        cmds.Add(statusLine);
        var pre = await ctx.Facts.GetAsync(status, ct);
        if (pre.ExitCode != 0) return Plan.Fail(ErrOrOut(pre), Commands(cmds));
        cmds.Add(rulesLine);
        var preRules = (await ctx.Facts.GetAsync(rules, ct)).Stdout;

        var plan = new Plan();
        var predicted = false;      // Ansible's `changed` set in both modes (reloaded, reset, logging)
        var checkPredicted = false; // its check-mode predictions of state and default
        string? ruleLine = null;
        var stepCommands = new List<string>();

        void Step(string line)
        {
            cmds.Add(line);
            var sofar = Commands(cmds.ToList());
            stepCommands.Add(line);
            plan.Add(new RunStep("LANG=C " + Argv.Of(Shlex.Split(line).ToArray()))
            {
                CountsAsChange = false,
                OnFailure = f => Plan.Fail(ErrOrOut(f), sofar),
            });
        }

        if (a.Str("state") is { } state)
        {
            predicted |= state is "reloaded" or "reset";
            var enabled = pre.Stdout.Contains(" active", StringComparison.Ordinal);
            checkPredicted |= (state == "disabled" && enabled) || (state == "enabled" && !enabled);
            Step($"{ufw} -f {state switch { "enabled" => "enable", "disabled" => "disable", "reloaded" => "reload", _ => "reset" }}");
        }
        if (a.Str("default") is { } policy)
        {
            var m = Regex.Match(pre.Stdout, @"Default: (deny|allow|reject) \(incoming\), (deny|allow|reject) \(outgoing\), (deny|allow|reject|disabled) \(routed\)");
            if (!m.Success) checkPredicted = true;
            else
            {
                var current = m.Groups[(direction ?? "incoming") switch { "incoming" => 1, "outgoing" => 2, _ => 3 }].Value;
                checkPredicted |= current != policy && current != "disabled";
            }
            Step(direction is null ? $"{ufw} default {policy}" : $"{ufw} default {policy} {direction}");
        }
        if (wantsRule)
        {
            var (words, failure) = await RuleWords(ctx, a, ufw, ct);
            if (failure is not null) return failure;
            cmds.Add(versionLine);
            var v = await ctx.Facts.GetAsync(version, ct);
            if (v.ExitCode != 0) return Plan.Fail(ErrOrOut(v), Commands(cmds));
            var lines = v.Stdout.Split('\n').Where(l => l.Trim().Length > 0).ToList();
            var vm = lines.Count == 0 ? Match.Empty : Regex.Match(lines[0], @"^ufw.+(\d+)\.(\d+)(?:\.(\d+))?.*$");
            if (!vm.Success)
                return Plan.Fail("Failed to get ufw version.", new Dict { ["rc"] = 0L, ["out"] = v.Stdout });
            var (major, minor) = (int.Parse(vm.Groups[1].Value), int.Parse(vm.Groups[2].Value));
            if (((major == 0 && minor >= 35) || major > 0) && Given(a, "comment")) words.Add($"comment '{a.Str("comment")}'");
            ruleLine = string.Join(' ', words);
            Step($"{ufw} {ruleLine}");
        }
        if (a.Str("logging") is { } logging)
        {
            var m = Regex.Match(pre.Stdout, @"Logging: (on|off)(?: \(([a-z]+)\))?");
            if (!m.Success) predicted = true;
            else if (logging != "off")
                predicted |= m.Groups[1].Value == "off" || (logging != "on" && logging != (m.Groups[2].Success ? m.Groups[2].Value : null));
            else predicted |= m.Groups[1].Value != "off";
            Step($"{ufw} logging {logging}");
        }

        // the commands before the steps (status, rules, version), in Ansible's order
        var head = cmds.Where(c => !stepCommands.Contains(c)).ToList();
        var fromIp = a.Str("from_ip") ?? "";
        var toIp = a.Str("to_ip") ?? "";
        plan.Then = async (outcomes, token) =>
        {
            if (outcomes.Count > 0 && outcomes[0].Ran)
            {
                var ran = cmds.ToList();
                ran.Add(statusLine);
                var post = await ctx.Facts.GetAsync(status, token);
                if (post.ExitCode != 0) return Plan.Fail(ErrOrOut(post), Commands(ran));
                var changed = predicted;
                if (!changed)
                {
                    ran.Add(rulesLine);
                    var postRules = (await ctx.Facts.GetAsync(rules, token)).Stdout;
                    changed = pre.Stdout != post.Stdout || preRules != postRules;
                }
                var done = Commands(ran);
                done["msg"] = post.Stdout.TrimEnd();
                return new Plan { Result = done, Changed = changed };
            }
            // check mode: Ansible's predictions, the rule's from its dry run
            var check = head.ToList();
            var changedInCheck = predicted || checkPredicted;
            if (ruleLine is not null)
            {
                var dryLine = $"{ufw} --dry-run {ruleLine}";
                check.Add(dryLine);
                var dry = await ctx.Facts.GetAsync(Probe("ufw-dry:" + ruleLine, dryLine), token);
                if (dry.ExitCode != 0) return Plan.Fail(ErrOrOut(dry), Commands(check));
                changedInCheck |= RuleChanges(dry.Stdout, preRules, fromIp, toIp);
            }
            return new Plan { Result = Commands(check), Changed = changedInCheck };
        };
        plan.Result["commands"] = head;
        return plan;
    }

    private static Dict Commands(List<string> cmds) => new() { ["commands"] = cmds.Cast<object?>().ToList() };

    /// <summary>An option given a non-empty value (Python's truthiness of a str parameter).</summary>
    private static bool Given(Dict a, string key) => !string.IsNullOrEmpty(a.Str(key));

    /// <summary>
    /// The words after `ufw` of the rule command, as ufw.py's long format builds them: [route] [delete | insert N] RULE
    /// [DIRECTION] [on IF] [in on IF] [out on IF] [log] from X [port P] to Y [port Q] [proto P] [app 'NAME'] (the comment
    /// is added by the caller once the version is known). insert_relative_to other than zero reads `ufw status numbered`.
    /// </summary>
    private static async Task<(List<string> Words, Plan? Failure)> RuleWords(PlanContext ctx, Dict a, string ufw, CancellationToken ct)
    {
        var words = new List<string>();
        if (a.Bool("route")) words.Add("route");
        var delete = a.Bool("delete");
        if (delete) words.Add("delete");
        if (a.Has("insert") && !delete)
        {
            long? insertTo = a.Long("insert");
            var relative = a.Str("insert_relative_to")!;
            if (relative != "zero")
            {
                var numbered = await ctx.Facts.GetAsync(new ScriptFact<CommandResult>("ufw-numbered", Argv.Of(ufw, "status", "numbered").ToString(), o => o), ct);
                var rules = numbered.Stdout.Split('\n').Select(l => (M: Regex.Match(l, @"^\[ *([0-9]+)\] "), V6: l.Contains("(v6)")))
                    .Where(x => x.M.Success).Select(x => (No: long.Parse(x.M.Groups[1].Value), x.V6)).ToList();
                var last = rules.Count > 0 ? rules.Max(r => r.No) : 0;
                var v4 = rules.Where(r => !r.V6).Select(r => r.No).ToList();
                var hasV6 = rules.Any(r => r.V6);
                long relativeTo = relative switch
                {
                    "first-ipv4" => 1,
                    "last-ipv4" => v4.Count > 0 ? v4.Max() : 1,
                    "first-ipv6" => v4.Count > 0 ? v4.Max() + 1 : 1,
                    _ => hasV6 ? last : last + 1,
                };
                insertTo += relativeTo;
                // ufw refuses an insert position past its last rule
                if (insertTo > last) insertTo = null;
            }
            if (insertTo is { } n) words.Add($"insert {n}");
        }
        words.Add(a.Str("rule")!);
        if (Given(a, "direction")) words.Add(a.Str("direction")!);
        if (Given(a, "interface")) words.Add($"on {a.Str("interface")}");
        if (Given(a, "interface_in")) words.Add($"in on {a.Str("interface_in")}");
        if (Given(a, "interface_out")) words.Add($"out on {a.Str("interface_out")}");
        if (a.Bool("log")) words.Add("log");
        foreach (var (key, template) in new[] { ("from_ip", "from {0}"), ("from_port", "port {0}"), ("to_ip", "to {0}"), ("to_port", "port {0}"), ("proto", "proto {0}"), ("name", "app '{0}'") })
            if (Given(a, key)) words.Add(string.Format(template, a.Str(key)));
        return (words, null);
    }

    /// <summary>
    /// ufw.py's check-mode decision for a rule: the dry run's output is no change when every line says "Skipping";
    /// otherwise its "### tuple" lines are compared with the rules files' (only the IPv4 or IPv6 lines when from_ip or
    /// to_ip starts with such an address).
    /// </summary>
    private static bool RuleChanges(string dry, string preRules, string fromIp, string toIp)
    {
        var dryLines = PyLines.ReadLines(dry);
        var skipping = dryLines.Count(l => l.Contains("Skipping", StringComparison.Ordinal));
        if (skipping > 0 && skipping == dryLines.Count) return false;
        var tuples = string.Concat(dryLines.Where(l => l.StartsWith("### tuple", StringComparison.Ordinal)));
        string Only(Regex r, string text) => string.Concat(PyLines.ReadLines(text).Where(l => r.IsMatch(l)));
        bool Starts(Regex r, string ip) => r.Match(ip) is { Success: true, Index: 0 };
        if (Starts(Ipv4, fromIp) || Starts(Ipv4, toIp)) return Only(Ipv4, preRules) != Only(Ipv4, tuples);
        if (Starts(Ipv6, fromIp) || Starts(Ipv6, toIp)) return Only(Ipv6, preRules) != Only(Ipv6, tuples);
        return preRules != tuples;
    }
}

using System.Diagnostics;
using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.wait_for (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/wait_for_module.html),
/// as one sh polling loop on the target: a TCP port (host, default 127.0.0.1) is probed with bash's /dev/tcp under
/// `timeout connect_timeout` (or, without bash, looked up among the listening sockets of /proc/net/tcp[6] for local
/// hosts); a path with [ -e ] (search_regex with grep -E). state started/present wait for it, stopped/absent for it
/// to go. delay before the first check, sleep between checks, timeout seconds overall. The loop is a read of the
/// target (<see cref="WaitFact"/>, never cached), so it waits in check mode too. Result: {"changed": false, "elapsed": seconds, ...}; on timeout failed with Ansible's message (or msg).
/// </summary>
public sealed class WaitForModule : PlanningModule
{
    public override string Name => "wait_for";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("host", Default: "127.0.0.1"), new("port", OptionType.Int), new("path", OptionType.Path),
        new("state", Default: "started", Choices: new[] { "absent", "drained", "present", "started", "stopped" }),
        new("timeout", OptionType.Int, Default: 300L), new("delay", OptionType.Int, Default: 0L),
        new("sleep", OptionType.Int, Default: 1L), new("connect_timeout", OptionType.Int, Default: 5L),
        new("search_regex"), new("exclude_hosts", OptionType.List, Elements: OptionType.Str), new("msg"),
        new("active_connection_states", OptionType.List, Elements: OptionType.Str),
    }, SupportsCheckMode: false); // as ansible-playbook 2.14: "remote module (wait_for) does not support check mode", skipped

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var host = a.Str("host")!;
        var port = a.Has("port") ? a.Long("port") : (long?)null;
        var path = a.Str("path");
        var state = a.Str("state")!;
        if (port is not null && path is not null) return Plan.Fail("port and path parameter can not both be passed to wait_for", new Dict { ["elapsed"] = 0L });
        if (path is not null && state == "stopped") return Plan.Fail("state=stopped should only be used for checking a port in the wait_for module", new Dict { ["elapsed"] = 0L });
        if (state == "drained") return Plan.Fail("state=drained is not supported by this runner", new Dict { ["elapsed"] = 0L });
        if (a.Has("search_regex") && state is "stopped" or "absent") return Plan.Fail("state=stopped/absent cannot be combined with search_regex", new Dict { ["elapsed"] = 0L });

        var wantGone = state is "stopped" or "absent";
        string check;
        if (path is not null)
        {
            check = $"[ -e {ShellQuote.Quote(path)} ]";
            if (a.Str("search_regex") is { } re) check += $" && grep -Eq -- {ShellQuote.Quote(re)} {ShellQuote.Quote(path)} 2>/dev/null";
        }
        else if (port is not null) check = PortCheck(host, port.Value, a.Long("connect_timeout", 5));
        else check = "true";
        var test = wantGone ? $"! {{ {check}; }}" : $"{{ {check}; }}";

        var timeout = a.Long("timeout", 300);
        var script = new StringBuilder();
        script.Append($"sleep {a.Long("delay")}\n");
        // Neither port nor path: Ansible just sleeps for `timeout` seconds.
        if (path is null && port is null) script.Append($"sleep {timeout}; echo ok; exit 0\n");
        script.Append($"end=$(( $(date +%s) + {timeout} ))\n");
        script.Append($"while :; do if {test}; then echo ok; exit 0; fi; [ \"$(date +%s)\" -ge \"$end\" ] && {{ echo timeout; exit 0; }}; sleep {Math.Max(0, a.Long("sleep", 1))}; done\n");
        var sw = Stopwatch.StartNew();
        var what = path ?? $"{host}:{port}";
        var seen = await ctx.Facts.GetAsync(new WaitFact($"wait:{state}:{(path is null && port is null ? "-" : what)}", script.ToString()), ct);
        var elapsed = (long)sw.Elapsed.TotalSeconds;
        if (seen.Met)
        {
            var ok = new Dict { ["state"] = state };
            if (port is not null) ok["port"] = port;
            ok["path"] = path;
            ok["search_regex"] = a.Str("search_regex");
            ok["elapsed"] = elapsed;
            return Plan.Ok(ok);
        }
        var res = new Dict { ["elapsed"] = elapsed };
        if (seen.Error is not null) return Plan.Fail(seen.Error, res);
        var msg = a.Str("msg") ?? (path is not null
            ? wantGone ? $"Timeout when waiting for {path} to be absent." : $"Timeout when waiting for file {path}"
            : wantGone ? $"Timeout when waiting for {what} to stop." : $"Timeout when waiting for {what}");
        return Plan.Fail(msg, res);
    }

    /// <summary>sh test that succeeds when host:port accepts TCP connections.</summary>
    private static string PortCheck(string host, long port, long connectTimeout)
    {
        var dev = ShellQuote.Quote($"</dev/tcp/{host}/{port}");
        var hex = port.ToString("X4");
        var local = host is "127.0.0.1" or "localhost" or "0.0.0.0" or "::1" or "::";
        var fallback = local
            ? $"awk 'NR>1 && $4==\"0A\" {{ split($2,a,\":\"); if (a[2]==\"{hex}\") f=1 }} END {{ exit !f }}' /proc/net/tcp /proc/net/tcp6 2>/dev/null"
            : "false";
        return $"if command -v bash >/dev/null 2>&1; then timeout {connectTimeout} bash -c {dev} 2>/dev/null; else {fallback}; fi";
    }
}

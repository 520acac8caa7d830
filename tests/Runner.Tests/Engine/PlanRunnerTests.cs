using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Tests.Modules;

namespace Runner.Tests.Engine;

/// <summary>The rules the engine applies once for every planning module: check mode, diff, no_log, facts, failures.</summary>
public class PlanRunnerTests
{
    /// <summary>A module that plans a write of its `content` to `path` with a diff, and a command, when `change` is true.</summary>
    private sealed class Writer : PlanningModule
    {
        public override string Name => "writer";
        public override ModuleSpec Spec { get; } = ModuleSpec.Of(new OptionSpec("path"), new OptionSpec("content", NoLog: true),
            new OptionSpec("change", OptionType.Bool, Default: true));

        public int Probes;

        public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
        {
            var path = (string)ctx.Args["path"]!;
            var content = (string)ctx.Args["content"]!;
            var before = await ctx.Facts.GetAsync(new ScriptFact<string>("file:" + path, "cat " + path, r => { Probes++; return r.Stdout; }), ct);
            var plan = new Plan { Result = new Dict { ["path"] = path, ["content"] = content }, Diff = new Dict { ["before"] = before, ["after"] = content } };
            plan.Warnings.Add($"wrote {content} to {path}");
            if ((bool)ctx.Args["change"]!)
                plan.Add(new PutFileStep(path, System.Text.Encoding.UTF8.GetBytes(content)) { Creates = new Planned.File(path) }).Add(new RunStep(Argv.Of("sync")));
            return plan;
        }
    }

    private static (ModuleContext Ctx, RecordingConnection Conn) Context(Dict args, bool check, bool diff, HostFacts? facts = null)
    {
        var conn = new RecordingConnection();
        var src = new RecordedFacts();
        src.Add("file:/etc/x", new[] { new CommandResult(0, "old", "") });
        var m = new Writer();
        return (new ModuleContext
        {
            Connection = conn, Args = ArgumentValidator.Validate(m.Spec, args, m.Name), CheckMode = check, DiffMode = diff,
            Templar = new Templar(), Variables = new DictionaryScope(new Dictionary<string, object?>(), Array.Empty<string>()), Host = "h",
            FactSource = src, Facts = facts ?? new HostFacts(),
        }, conn);
    }

    [Fact]
    public async Task Check_mode_runs_no_step_reports_changed_and_records_what_would_be_created()
    {
        var (ctx, conn) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "new" }, check: true, diff: false);
        var r = await new Writer().RunAsync(ctx, default);
        Assert.Empty(conn.Log);
        Assert.Equal(true, r["changed"]);
        Assert.False(r.ContainsKey("diff"));
        Assert.True(ctx.Planned.HasPath("/etc/x"));
    }

    [Fact]
    public async Task Outside_check_mode_the_steps_run_in_order_and_the_diff_only_in_diff_mode()
    {
        var (ctx, conn) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "new" }, check: false, diff: true);
        var r = await new Writer().RunAsync(ctx, default);
        Assert.Equal(new[] { "put /etc/x: new", "sync" }, conn.Log);
        Assert.Equal(true, r["changed"]);
        Assert.Equal("old", ((Dict)r["diff"]!)["before"]);
        Assert.False(ctx.Planned.HasPath("/etc/x"));
    }

    [Fact]
    public async Task A_plan_without_steps_is_ok()
    {
        var (ctx, conn) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "old", ["change"] = false }, check: false, diff: false);
        var r = await new Writer().RunAsync(ctx, default);
        Assert.Empty(conn.Log);
        Assert.Equal(false, r["changed"]);
    }

    [Fact]
    public async Task A_no_log_option_value_is_censored_in_result_diff_and_warnings()
    {
        var (ctx, _) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "s3cret" }, check: false, diff: true);
        var m = new Writer();
        var r = NoLogCensor.Censor(await m.RunAsync(ctx, default), NoLogCensor.Secrets(m.Spec, ctx.Args));
        var text = PyStr.JsonDumps(r);
        Assert.DoesNotContain("s3cret", text);
        Assert.Equal(NoLogCensor.Whole, r["content"]);
        Assert.Equal("wrote ******** to /etc/x", ((List<object?>)r["warnings"]!)[0]);
    }

    [Fact]
    public async Task Facts_are_cached_for_the_host_until_a_step_runs()
    {
        var facts = new HostFacts();
        var m = new Writer();
        var (ctx, _) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "old", ["change"] = false }, false, false, facts);
        await m.RunAsync(ctx, default);
        await m.RunAsync(ctx, default);
        Assert.Equal(1, m.Probes);
        var (changing, _) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "new" }, false, false, facts);
        await m.RunAsync(changing, default);
        await m.RunAsync(ctx, default);
        Assert.Equal(2, m.Probes);
    }

    [Fact]
    public async Task A_failed_step_fails_the_task_with_its_output_and_stops_the_plan()
    {
        var (ctx, conn) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "new" }, check: false, diff: false);
        conn.Replies["sync"] = new CommandResult(3, "out", "sync: broken\n");
        var r = await new Writer().RunAsync(ctx, default);
        Assert.Equal(true, r["failed"]);
        Assert.Equal("sync: broken", r["msg"]);
        Assert.Equal(3L, r["rc"]);
        Assert.Equal(true, r["changed"]); // the file was written before the command failed
    }

    /// <summary>A module whose plan a test gives.</summary>
    private sealed class Scripted(Func<Plan> plan) : PlanningModule
    {
        public override string Name => "scripted";
        public override ModuleSpec Spec { get; } = ModuleSpec.Of();
        public override Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct) => Task.FromResult(plan());
    }

    private static async Task<(Dict Result, RecordingConnection Conn)> Apply(Func<Plan> plan, bool check = false, bool diff = false,
        Dictionary<string, CommandResult>? replies = null)
    {
        var conn = new RecordingConnection();
        foreach (var (k, v) in replies ?? new()) conn.Replies[k] = v;
        var m = new Scripted(plan);
        var ctx = new ModuleContext
        {
            Connection = conn, Args = new Dict(), CheckMode = check, DiffMode = diff, Templar = new Templar(),
            Variables = new DictionaryScope(new Dictionary<string, object?>(), Array.Empty<string>()), Host = "h", FactSource = new RecordedFacts(),
        };
        return (await m.RunAsync(ctx, default), conn);
    }

    [Fact]
    public async Task A_step_that_does_not_count_as_a_change_leaves_changed_to_the_continuation()
    {
        Plan Upkeep(bool changes) => new Plan { Then = (o, _) => Task.FromResult(new Plan { Changed = changes && o[0].Ran }) }
            .Add(new RunStep(Argv.Of("apt-get", "update")) { CountsAsChange = false });
        var (quiet, conn) = await Apply(() => Upkeep(false));
        Assert.Equal(new[] { "apt-get update" }, conn.Log);
        Assert.Equal(false, quiet["changed"]);
        Assert.Equal(true, (await Apply(() => Upkeep(true))).Result["changed"]);

        // a failure after it changed nothing
        var (failed, _) = await Apply(() => new Plan().Add(new RunStep(Argv.Of("apt-get", "update")) { CountsAsChange = false }).Add(new RunStep(Argv.Of("false"))),
            replies: new() { ["false"] = new CommandResult(1, "", "no\n") });
        Assert.Equal(true, failed["failed"]);
        Assert.Equal(false, failed["changed"]);
    }

    [Fact]
    public async Task A_step_is_retried_while_its_result_is_transient_at_most_its_attempts()
    {
        var locked = new Dictionary<string, CommandResult> { ["apt-get install x"] = new(100, "", "E: Could not get lock\n") };
        var retry = new StepRetry(r => r.Stderr.Contains("lock"), 2, TimeSpan.FromMilliseconds(1));
        var (r, conn) = await Apply(() => new Plan().Add(new RunStep(Argv.Of("apt-get", "install", "x")) { Retry = retry }), replies: locked);
        Assert.Equal(3, conn.Log.Count);
        Assert.Equal("E: Could not get lock", r["msg"]);

        var calls = 0;
        var once = new StepRetry(_ => ++calls == 1, 5, TimeSpan.FromMilliseconds(1));
        var (_, conn2) = await Apply(() => new Plan().Add(new RunStep(Argv.Of("apt-get", "install", "x")) { Retry = once }), replies: locked);
        Assert.Equal(2, conn2.Log.Count);
        var (_, conn3) = await Apply(() => new Plan().Add(new RunStep(Argv.Of("true")) { Retry = retry }));
        Assert.Single(conn3.Log);
    }

    [Fact]
    public async Task A_failing_step_with_OnFailure_fails_with_its_message_fields_and_diff()
    {
        var step = new RunStep(Argv.Of("apt-get", "install", "x"))
        {
            OnFailure = r =>
            {
                var p = Plan.Fail("'apt-get install' failed: " + r.Stderr.Trim().Split('\n')[^1], new Dict { ["stdout"] = r.Stdout, ["rc"] = (long)r.ExitCode });
                p.Diff = new Dict { ["prepared"] = r.Stdout };
                return p;
            },
        };
        var replies = new Dictionary<string, CommandResult> { ["apt-get install x"] = new(100, "plan", "W: a\nE: b\n") };
        var (r, _) = await Apply(() => new Plan { Result = new Dict { ["cache_updated"] = false } }.Add(step), diff: true, replies: replies);
        Assert.Equal(true, r["failed"]);
        Assert.Equal("'apt-get install' failed: E: b", r["msg"]);
        Assert.Equal(100L, r["rc"]);
        Assert.Equal(false, r["cache_updated"]);
        Assert.False(r.ContainsKey("stderr"));
        Assert.Equal("plan", ((Dict)r["diff"]!)["prepared"]);
        Assert.False((await Apply(() => new Plan().Add(step), replies: replies)).Result.ContainsKey("diff"));
    }

    [Fact]
    public async Task A_command_failure_keeps_rc_stdout_stderr_with_the_message_and_fields_it_is_given()
    {
        var step = new RunStep(Argv.Of("certbot")) { OnFailure = r => Plan.CommandFailed(r, "failed: " + r.Stdout.Trim(), new Dict { ["cmd"] = "certbot" }) };
        var (r, _) = await Apply(() => new Plan().Add(step), replies: new() { ["certbot"] = new CommandResult(2, "last line\n", "err") });
        Assert.Equal("failed: last line", r["msg"]);
        Assert.Equal("certbot", r["cmd"]);
        Assert.Equal(2L, r["rc"]);
        Assert.Equal("err", r["stderr"]);
    }

    [Fact]
    public async Task Batched_probes_on_a_real_shell_keep_each_output_exit_code_and_stderr_apart()
    {
        await using var local = new LocalConnection("localhost");
        var source = new ConnectionFactSource((s, ct) => local.ExecAsync(s, null, ct));
        var facts = new Fact[]
        {
            new ScriptFact<int>("a", "printf 'one\\ntwo'; echo err >&2; exit 3", r => r.ExitCode),
            new ScriptFact<int>("b", "printf 'x\\n\\n'", r => r.ExitCode),
            new ScriptFact<int>("c", "true", r => r.ExitCode),
        };
        var outs = await source.ProbeAsync(facts, default);
        Assert.Equal(new CommandResult(3, "one\ntwo", "err"), outs[0]);
        Assert.Equal(new CommandResult(0, "x\n\n", ""), outs[1]);
        Assert.Equal(new CommandResult(0, "", ""), outs[2]);
    }

    /// <summary>A module that runs `false` (any exit code), reads its rc in Then, and is skipped in check mode.</summary>
    private sealed class AnyRc : PlanningModule
    {
        public override string Name => "any_rc";
        public override ModuleSpec Spec { get; } = ModuleSpec.Of();

        public override Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
        {
            var plan = new Plan { Result = new Dict { ["rc"] = null }, SkipInCheckMode = true }.Add(new RunStep(Argv.Of("false")) { AnyExitCode = true });
            plan.Then = (o, _) => Task.FromResult(Plan.Ok(o[0].Ran
                ? new Dict { ["rc"] = (long)o[0].Result!.ExitCode, ["took"] = (o[0].End - o[0].Start)!.Value.TotalSeconds >= 0 }
                : new Dict { ["msg"] = "would run" }));
            return Task.FromResult(plan);
        }
    }

    [Fact]
    public async Task A_plan_skipped_in_check_mode_reports_skipped_unchanged_with_the_continuations_result()
    {
        var (ctx, conn) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "x" }, check: true, diff: false);
        var r = await new AnyRc().RunAsync(new ModuleContext
        {
            Connection = conn, Args = new Dict(), CheckMode = true, DiffMode = false, Templar = ctx.Templar, Variables = ctx.Variables, Host = "h",
        }, default);
        Assert.Empty(conn.Log);
        Assert.Equal(true, r["skipped"]);
        Assert.Equal(false, r["changed"]);
        Assert.Equal("would run", r["msg"]);
    }

    [Fact]
    public async Task A_step_taking_any_exit_code_does_not_fail_and_its_outcome_has_rc_and_times()
    {
        var conn = new RecordingConnection();
        conn.Replies["false"] = new CommandResult(1, "", "");
        var (ctx, _) = Context(new Dict { ["path"] = "/etc/x", ["content"] = "x" }, check: false, diff: false);
        var r = await new AnyRc().RunAsync(new ModuleContext
        {
            Connection = conn, Args = new Dict(), CheckMode = false, DiffMode = false, Templar = ctx.Templar, Variables = ctx.Variables, Host = "h",
        }, default);
        Assert.Equal(new[] { "false" }, conn.Log);
        Assert.False(r.ContainsKey("failed"));
        Assert.False(r.ContainsKey("skipped"));
        Assert.Equal(1L, r["rc"]);
        Assert.Equal(true, r["took"]);
        Assert.Equal(true, r["changed"]);
    }

    private sealed class Observation : Fact<string>
    {
        public override string Key => "wait:x";
        public override string Script => "sleep 1";
        public override bool Volatile => true;
        public override string Parse(CommandResult output) => output.Stdout;
    }

    [Fact]
    public async Task A_volatile_fact_is_probed_on_every_read_and_not_batched()
    {
        var src = new RecordedFacts();
        src.Add("wait:x", new[] { new CommandResult(0, "first", ""), new CommandResult(0, "second", "") });
        var reader = new HostFacts().For(null, null, src);
        Assert.Equal("first", await reader.GetAsync(new Observation(), default));
        Assert.Equal("second", await reader.GetAsync(new Observation(), default));
        Assert.Equal(new[] { "wait:x", "wait:x" }, src.Probed);
        await Assert.ThrowsAsync<ArgumentException>(() => reader.GetAsync(default, new Observation()));
    }

    private sealed class Found : Fact<string>
    {
        public override string Key => "bin:crontab";
        public override string Script => "command -v crontab";
        public override string Parse(CommandResult output) => output.Stdout;
    }

    [Fact]
    public async Task Facts_read_under_another_task_environment_are_probed_again()
    {
        var src = new RecordedFacts();
        src.Add("bin:crontab", new[] { new CommandResult(0, "/opt/bin/crontab", ""), new CommandResult(0, "", "") });
        var facts = new HostFacts();
        var withPath = new Dictionary<string, string> { ["PATH"] = "/opt/bin:/usr/bin" };
        Assert.Equal("/opt/bin/crontab", await facts.For(null, withPath, src).GetAsync(new Found(), default));
        Assert.Equal("/opt/bin/crontab", await facts.For(null, new Dictionary<string, string>(withPath), src).GetAsync(new Found(), default));
        Assert.Equal("", await facts.For(null, new Dictionary<string, string> { ["PATH"] = "/usr/bin" }, src).GetAsync(new Found(), default));
        Assert.Equal(new[] { "bin:crontab", "bin:crontab" }, src.Probed);
    }

    private static ModuleContext Bare(IConnection conn, bool check = false, bool diff = false) => new()
    {
        Connection = conn, Args = new Dict(), CheckMode = check, DiffMode = diff, Templar = new Templar(),
        Variables = new DictionaryScope(new Dictionary<string, object?>(), Array.Empty<string>()), Host = "h", FactSource = new RecordedFacts(),
    };

    private static Plan ValidatedWrite(string command) => new Plan()
        .Add(new ValidateStep("/etc/x.conf", "v=1\n"u8.ToArray(), command))
        .Add(new PutFileStep("/etc/x.conf", "v=1\n"u8.ToArray()));

    [Fact]
    public async Task A_validate_step_checks_a_temp_copy_beside_the_destination_and_removes_it_before_the_write()
    {
        var conn = new RecordingConnection();
        var r = await new Scripted(() => ValidatedWrite("check %s")).RunAsync(Bare(conn), default);
        Assert.Equal(true, r["changed"]);
        Assert.Equal(3, conn.Log.Count);
        var tmp = System.Text.RegularExpressions.Regex.Match(conn.Log[0], @"^put (/etc/\.x\.conf\.runner-validate-[0-9a-f]{32}): v=1\n$").Groups[1].Value;
        Assert.NotEmpty(tmp);
        Assert.Equal($"check {tmp}; __rc=$?; rm -f -- {tmp}; exit $__rc", conn.Log[1]);
        Assert.Equal("put /etc/x.conf: v=1\n", conn.Log[2]);
    }

    [Fact]
    public async Task A_failed_validation_is_Ansibles_message_with_exit_status_and_nothing_is_written()
    {
        var conn = new RecordingConnection();
        var ctx = Bare(conn);
        var module = new Scripted(() => ValidatedWrite("check %s"));
        // the reply is keyed by the script, which names a fresh temp file: answer every validate command with rc 2
        var failing = new FailingValidation(conn);
        var r = await module.RunAsync(new ModuleContext
        {
            Connection = failing, Args = ctx.Args, CheckMode = false, DiffMode = false, Templar = ctx.Templar, Variables = ctx.Variables,
            Host = "h", FactSource = ctx.FactSource,
        }, default);
        Assert.Equal(true, r["failed"]);
        Assert.Equal("failed to validate", r["msg"]);
        Assert.Equal(2L, r["exit_status"]);
        Assert.Equal("bad line 1\n", r["stderr"]);
        Assert.Equal(false, r["changed"]);
        Assert.DoesNotContain(conn.Log, l => l.StartsWith("put /etc/x.conf:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_without_percent_s_fails_when_it_would_run_and_not_in_check_mode()
    {
        var conn = new RecordingConnection();
        var r = await new Scripted(() => ValidatedWrite("check")).RunAsync(Bare(conn), default);
        Assert.Equal("validate must contain %s: check", r["msg"]);
        Assert.Empty(conn.Log);
        var check = await new Scripted(() => ValidatedWrite("check")).RunAsync(Bare(conn, check: true), default);
        Assert.Equal(true, check["changed"]);
        Assert.False(check.ContainsKey("failed"));
    }

    [Fact]
    public async Task A_failure_can_say_unchanged_after_steps_ran_and_a_single_diff_can_be_a_list()
    {
        var conn = new RecordingConnection();
        var plan = () =>
        {
            var p = new Plan { Diff = new Dict { ["before"] = "", ["after"] = "x" }, DiffAsList = true }.Add(new PutFileStep("/etc/x", "x"u8.ToArray()));
            p.Then = (_, _) => Task.FromResult(Plan.Fail("mode must be in octal or symbolic form", null, changed: false));
            return p;
        };
        var r = await new Scripted(plan).RunAsync(Bare(conn, diff: true), default);
        Assert.Equal(new[] { "put /etc/x: x" }, conn.Log);
        Assert.Equal(true, r["failed"]);
        Assert.Equal(false, r["changed"]);
        Assert.Equal("x", ((Dict)Assert.Single((List<object?>)r["diff"]!)!)["after"]);
    }

    [Fact]
    public async Task A_write_that_fails_fails_the_task_with_the_connections_message_instead_of_throwing()
    {
        var r = await new Scripted(() => new Plan().Add(new PutFileStep("/full/x", "x"u8.ToArray()))).RunAsync(Bare(new FullDisk()), default);
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Could not write /full/x: No space left on device; the old file is untouched", r["msg"]);
        Assert.Equal(false, r["changed"]);
    }

    /// <summary>A resource a plan hands to the engine (an API client); counts its disposals.</summary>
    private sealed class Held : IAsyncDisposable
    {
        public int Disposed;
        public ValueTask DisposeAsync() { Disposed++; return ValueTask.CompletedTask; }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task What_a_plan_chain_owns_is_disposed_once_when_it_ends_done_failed_or_in_check_mode(bool check, bool fail)
    {
        var first = new Held();
        var second = new Held();
        var calls = new List<string>();
        var (r, _) = await Apply(() => new Plan
        {
            Then = (_, _) => Task.FromResult(new Plan().Owning(second).Add(new CallStep("PUT thing", _ =>
            {
                calls.Add("PUT thing");
                return fail ? throw new Runner.Engine.Errors.RunnerException("PUT thing: 409 Conflict") : Task.FromResult<Dict?>(new Dict { ["id"] = "t1" });
            }))),
        }.Owning(first), check);
        Assert.Equal(check ? Array.Empty<string>() : new[] { "PUT thing" }, calls);
        Assert.Equal(!fail, r["changed"]); // a failed first step changed nothing
        Assert.Equal(fail ? "PUT thing: 409 Conflict" : null, r.Get("msg"));
        Assert.Equal(check || fail ? null : "t1", r.Get("id"));
        Assert.Equal((1, 1), (first.Disposed, second.Disposed));
    }

    /// <summary>A connection whose every write fails as a full disk does.</summary>
    private sealed class FullDisk : IConnection
    {
        public string Host => "full";
        public Task<CommandResult> ExecAsync(string script, ExecOptions? options = null, CancellationToken ct = default) => Task.FromResult(new CommandResult(0, "", ""));
        public Task PutFileAsync(byte[] content, string path, ExecOptions? options = null, CancellationToken ct = default) =>
            throw new IOException($"Could not write {path}: No space left on device; the old file is untouched");
        public Task<byte[]?> GetFileAsync(string path, ExecOptions? options = null, CancellationToken ct = default) => Task.FromResult<byte[]?>(null);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A recording connection on which every validation command (one with "; __rc=$?;") fails with rc 2.</summary>
    private sealed class FailingValidation(RecordingConnection inner) : IConnection
    {
        public string Host => inner.Host;
        public async Task<CommandResult> ExecAsync(string script, ExecOptions? options = null, CancellationToken ct = default)
        {
            var r = await inner.ExecAsync(script, options, ct);
            return script.Contains("; __rc=$?;", StringComparison.Ordinal) ? new CommandResult(2, "", "bad line 1\n") : r;
        }
        public Task PutFileAsync(byte[] content, string path, ExecOptions? options = null, CancellationToken ct = default) => inner.PutFileAsync(content, path, options, ct);
        public Task<byte[]?> GetFileAsync(string path, ExecOptions? options = null, CancellationToken ct = default) => inner.GetFileAsync(path, options, ct);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.command (and, with <c>useShell</c>, ansible.builtin.shell): runs a command on the target.
/// Follows https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/command_module.html:
/// command splits the text with shlex and runs it without a shell (cmd is the argv list); shell runs the
/// string with /bin/sh -c (or `executable`). The command is the plan's one step; chdir and creates/removes (globs,
/// relative to chdir) are facts (<see cref="EnterableDirFact"/>, <see cref="GlobMatchFact"/>) read in one round trip.
/// In check mode nothing runs: without creates/removes the task is skipped, with them it is changed, both with msg
/// "Command would have run if not in check mode" and rc 0. Result: changed, cmd, delta, end, failed, msg, rc, start,
/// stderr(_lines), stdout(_lines).
/// </summary>
public sealed class CommandModule : PlanningModule
{
    private const string WouldRun = "Command would have run if not in check mode";
    private readonly bool _shell;

    /// <param name="useShell">True for the shell module.</param>
    public CommandModule(bool useShell = false)
    {
        _shell = useShell;
        Spec = SpecFor(useShell);
    }

    public override string Name => _shell ? "shell" : "command";

    public override ModuleSpec Spec { get; }

    private static ModuleSpec SpecFor(bool useShell) => new(new OptionSpec[]
    {
        new("_raw_params"), new("_uses_shell", OptionType.Bool, Default: false), new("argv", OptionType.List, Elements: OptionType.Str),
        new("chdir", OptionType.Path), new("executable"), new("creates", OptionType.Path), new("removes", OptionType.Path),
        new("stdin"), new("stdin_add_newline", OptionType.Bool, Default: true), new("strip_empty_ends", OptionType.Bool, Default: true),
        new("cmd"),
    }, FreeForm: true)
    {
        FreeFormCommand = true,
        // shell is the command module with _uses_shell (plugins/action/shell.py); cmd is parsed into _raw_params
        Invocation = new(Internal: new Dictionary<string, object?> { ["_uses_shell"] = useShell }, Hidden: new[] { "cmd" }),
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var shell = _shell || a.Bool("_uses_shell");
        var text = a.Str("_raw_params") ?? a.Str("cmd");
        var argv = a.Has("argv") ? a.StrList("argv") : null;
        var r = new Dict
        {
            ["changed"] = false, ["stdout"] = "", ["stderr"] = "", ["rc"] = null, ["cmd"] = null,
            ["start"] = null, ["end"] = null, ["delta"] = null, ["msg"] = "",
        };
        if (string.IsNullOrWhiteSpace(text) && argv is not { Count: > 0 }) return Fail("no command given", r, rc: 256);
        if (!string.IsNullOrWhiteSpace(text) && argv is { Count: > 0 }) return Fail("only command or argv can be specified, not both", r, rc: 256);

        object cmdValue;
        string script;
        if (shell)
        {
            var cmdText = text ?? ShellQuote.Join(argv!);
            cmdValue = cmdText;
            script = a.Has("executable") ? ShellQuote.Join(new[] { a.Str("executable")!, "-c", cmdText }) : cmdText;
        }
        else
        {
            List<string> words;
            try { words = argv ?? Shlex.Split(text!); }
            catch (FormatException e) { return Fail(e.Message, r, rc: 256); }
            cmdValue = words.Select(w => (object?)w).ToList();
            script = "exec " + ShellQuote.Join(words);
        }
        r["cmd"] = cmdValue;

        var chdir = a.Str("chdir");
        var creates = a.Str("creates");
        var removes = a.Str("removes");
        if (await SkipAsync(ctx, r, chdir, creates, removes, ct) is { } decided) return decided;

        if (chdir is not null) script = $"cd -- {ShellQuote.Quote(chdir)} || exit 1\n{script}";
        byte[]? stdin = null;
        if (a.Str("stdin") is { } input) stdin = Encoding.UTF8.GetBytes(a.Bool("stdin_add_newline", true) ? input + "\n" : input);
        var plan = new Plan { Result = Finish(r), SkipInCheckMode = creates is null && removes is null };
        plan.Add(new RunStep(script) { Stdin = stdin, AnyExitCode = true });
        plan.Then = (outcomes, _) => Task.FromResult(outcomes[0] is { Ran: true } run
            ? Ran(run, r, shell, cmdValue, a.Bool("strip_empty_ends", true))
            : Plan.Ok(new Dict { ["rc"] = 0L, ["msg"] = WouldRun }));
        return plan;
    }

    /// <summary>The plan when chdir fails or creates/removes decide that the command does not run; null: it runs.</summary>
    private static async Task<Plan?> SkipAsync(PlanContext ctx, Dict r, string? chdir, string? creates, string? removes, CancellationToken ct)
    {
        var cd = chdir is null ? null : new EnterableDirFact(chdir);
        var made = creates is null ? null : new GlobMatchFact(creates, chdir);
        var gone = removes is null ? null : new GlobMatchFact(removes, chdir);
        await ctx.Facts.GetAsync(ct, new Engine.Modules.Facts.Fact?[] { cd, made, gone }.OfType<Engine.Modules.Facts.Fact>().ToArray());
        if (cd is not null && !await ctx.Facts.GetAsync(cd, ct))
            return Fail($"Unable to change directory before execution: [Errno 2] No such file or directory: b'{chdir}'", r);
        string? reason = null, stdout = null;
        if (made is not null && await ctx.Facts.GetAsync(made, ct)) (reason, stdout) = ($"'{creates}' exists", $"skipped, since {creates} exists");
        else if (gone is not null && !await ctx.Facts.GetAsync(gone, ct)) (reason, stdout) = ($"'{removes}' does not exist", $"skipped, since {removes} does not exist");
        if (reason is null) return null;
        r["stdout"] = stdout;
        r["rc"] = 0L;
        var check = new Dict(r) { ["msg"] = $"Would not run command since {reason}" };
        r["msg"] = $"Did not run command since {reason}";
        return new Plan { Result = Finish(r), CheckModeResult = Finish(check) };
    }

    /// <summary>The result of the command that ran: output, rc, times; rc != 0 fails the task (changed, as Ansible's).</summary>
    private static Plan Ran(StepOutcome run, Dict r, bool shell, object cmdValue, bool strip)
    {
        var res = run.Result!;
        r["start"] = CommandResults.Timestamp(run.Start!.Value);
        r["end"] = CommandResults.Timestamp(run.End!.Value);
        r["delta"] = CommandResults.Delta(run.End.Value - run.Start.Value);
        r["stdout"] = strip ? CommandResults.StripEnds(res.Stdout) : res.Stdout;
        r["stderr"] = strip ? CommandResults.StripEnds(res.Stderr) : res.Stderr;
        r["rc"] = (long)res.ExitCode;
        if (!shell && res.ExitCode == 127 && res.Stderr.Contains("not found") && cmdValue is List<object?> { Count: > 0 } w)
        {
            // Python's subprocess cannot exec a missing program: Ansible reports rc 2 and errno text, changed false and
            // no times (the module fails before it reads the clock again)
            r["rc"] = 2L;
            r["stderr"] = "";
            r["cmd"] = w[0];
            foreach (var key in new[] { "start", "end", "delta" }) r.Remove(key);
            return Plan.Fail($"[Errno 2] No such file or directory: b'{w[0]}'", Finish(r), changed: false);
        }
        return res.ExitCode != 0 ? Fail("non-zero return code", r) : Plan.Ok(Finish(r));
    }

    private static Plan Fail(string msg, Dict r, long? rc = null)
    {
        if (rc is not null) r["rc"] = rc;
        return Plan.Fail(msg, Finish(r));
    }

    private static Dict Finish(Dict r)
    {
        r["failed"] = false;
        CommandResults.AddLines(r);
        return r;
    }
}

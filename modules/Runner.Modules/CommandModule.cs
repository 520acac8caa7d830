using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.command (and, with <c>useShell</c>, ansible.builtin.shell): runs a command on the target.
/// Follows https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/command_module.html:
/// command splits the text with shlex and runs it without a shell (cmd is the argv list); shell runs the
/// string with /bin/sh -c (or `executable`). creates/removes (globs, relative to chdir) skip the run;
/// check mode runs nothing. Result: changed, cmd, delta, end, failed, msg, rc, start, stderr(_lines), stdout(_lines).
/// </summary>
public sealed class CommandModule : IModule
{
    private readonly bool _shell;

    /// <param name="useShell">True for the shell module.</param>
    public CommandModule(bool useShell = false) => _shell = useShell;

    public string Name => _shell ? "shell" : "command";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("_raw_params"), new("_uses_shell", OptionType.Bool, Default: false), new("argv", OptionType.List, Elements: OptionType.Str),
        new("chdir", OptionType.Path), new("executable"), new("creates", OptionType.Path), new("removes", OptionType.Path),
        new("stdin"), new("stdin_add_newline", OptionType.Bool, Default: true), new("strip_empty_ends", OptionType.Bool, Default: true),
        new("cmd"),
    }, FreeForm: true);

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
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
        if (string.IsNullOrWhiteSpace(text) && argv is not { Count: > 0 })
            return Finish(Results.Fail("no command given", r), rc: 256);
        if (!string.IsNullOrWhiteSpace(text) && argv is { Count: > 0 })
            return Finish(Results.Fail("only command or argv can be specified, not both", r), rc: 256);

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
            catch (FormatException e) { return Finish(Results.Fail(e.Message, r), rc: 256); }
            cmdValue = words.Select(w => (object?)w).ToList();
            script = "exec " + ShellQuote.Join(words);
        }
        r["cmd"] = cmdValue;

        var chdir = a.Str("chdir");
        var creates = a.Str("creates");
        var removes = a.Str("removes");
        var should = ctx.CheckMode ? "Would" : "Did";
        if (chdir is not null || creates is not null || removes is not null)
        {
            var decision = await DecideAsync(ctx, chdir, creates, removes, ct);
            switch (decision)
            {
                case "chdir":
                    return Finish(Results.Fail($"Unable to change directory before execution: [Errno 2] No such file or directory: b'{chdir}'", r));
                case "creates":
                    r["msg"] = $"{should} not run command since '{creates}' exists";
                    r["stdout"] = $"skipped, since {creates} exists";
                    r["rc"] = 0L;
                    return Finish(r);
                case "removes":
                    r["msg"] = $"{should} not run command since '{removes}' does not exist";
                    r["stdout"] = $"skipped, since {removes} does not exist";
                    r["rc"] = 0L;
                    return Finish(r);
            }
        }

        r["changed"] = true;
        if (ctx.CheckMode)
        {
            r["rc"] = 0L;
            r["msg"] = "Command would have run if not in check mode";
            if (creates is null && removes is null) { r["skipped"] = true; r["changed"] = false; }
            return Finish(r);
        }

        if (chdir is not null) script = $"cd -- {ShellQuote.Quote(chdir)} || exit 1\n{script}";
        byte[]? stdin = null;
        if (a.Str("stdin") is { } input) stdin = Encoding.UTF8.GetBytes(a.Bool("stdin_add_newline", true) ? input + "\n" : input);
        var start = DateTime.Now;
        var res = await ctx.ShAsync(script, ct, stdin);
        var end = DateTime.Now;
        r["start"] = CommandResults.Timestamp(start);
        r["end"] = CommandResults.Timestamp(end);
        r["delta"] = CommandResults.Delta(end - start);
        var strip = a.Bool("strip_empty_ends", true);
        r["stdout"] = strip ? CommandResults.StripEnds(res.Stdout) : res.Stdout;
        r["stderr"] = strip ? CommandResults.StripEnds(res.Stderr) : res.Stderr;
        r["rc"] = (long)res.ExitCode;
        if (!shell && res.ExitCode == 127 && res.Stderr.Contains("not found") && cmdValue is List<object?> { Count: > 0 } w)
        {
            // Python's subprocess cannot exec a missing program: Ansible reports rc 2 and errno text.
            r["rc"] = 2L;
            r["stderr"] = "";
            r["cmd"] = w[0];
            return Finish(Results.Fail($"[Errno 2] No such file or directory: b'{w[0]}'", r));
        }
        if (res.ExitCode != 0) return Finish(Results.Fail("non-zero return code", r));
        return Finish(r);
    }

    private static Dict Finish(Dict r, long? rc = null)
    {
        if (rc is not null) r["rc"] = rc;
        if (!r.ContainsKey("failed")) r["failed"] = false;
        CommandResults.AddLines(r);
        return r;
    }

    /// <summary>One probe: can we cd to chdir, does `creates` match, does `removes` match? Returns chdir/creates/removes/run.</summary>
    private static async Task<string> DecideAsync(ModuleContext ctx, string? chdir, string? creates, string? removes, CancellationToken ct)
    {
        var sb = new StringBuilder();
        if (chdir is not null) sb.Append($"cd -- {ShellQuote.Quote(chdir)} 2>/dev/null || {{ echo chdir; exit 0; }}\n");
        if (creates is not null) sb.Append($"if ( {ShellGlob.ExistsScript(creates)} ); then echo creates; exit 0; fi\n");
        if (removes is not null) sb.Append($"if ! ( {ShellGlob.ExistsScript(removes)} ); then echo removes; exit 0; fi\n");
        sb.Append("echo run\n");
        var r = await ctx.ShAsync(sb.ToString(), ct);
        return r.Stdout.Trim();
    }
}

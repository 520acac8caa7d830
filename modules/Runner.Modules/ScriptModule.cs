using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.script (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/script_module.html, the
/// action plugin action/script.py): the free-form text (or cmd) is a controller script's path (found in files/ as
/// copy's src) and its arguments; the script goes to a fresh temp folder on the target (mktemp -d, the connection's
/// verified write), made executable, and runs there as the shell command the text gives with the script's path
/// put in for the first word (with `executable` in front, in chdir, which must be absolute); the folder is removed.
/// creates (exists) or removes (missing) skip the task: "PATH exists, matching creates option" / "PATH does not
/// exist, matching removes option". Result: changed (always, when it ran), rc, stdout, stdout_lines, stderr,
/// stderr_lines; rc != 0 fails with "non-zero return code". Ansible runs the script on ssh's pseudo-terminal, which
/// puts stderr into stdout and ends lines with CRLF: Runner gives stdout the same way and stderr empty (Ansible's has
/// ssh's "Shared connection to HOST closed."). Check mode: with creates/removes that did not skip, changed and not
/// run; without them skipped with "Check mode is not supported for this task.".
/// </summary>
public sealed class ScriptModule : PlanningModule
{
    public override string Name => "script";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("_raw_params"), new("cmd"), new("creates"), new("removes"), new("chdir"), new("executable"),
        new("decrypt", OptionType.Bool, Default: true),
    }, FreeForm: true) { Invocation = null, SupportsAsync = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var creates = a.Str("creates") is { Length: > 0 } c ? new PathExistsFact(c) : null;
        var removes = a.Str("removes") is { Length: > 0 } r ? new PathExistsFact(r) : null;
        await ctx.Facts.GetAsync(ct, new Engine.Modules.Facts.Fact?[] { creates, removes }.OfType<Engine.Modules.Facts.Fact>().ToArray());
        if (creates is not null && await ctx.Facts.GetAsync(creates, ct)) return Skipped($"{a.Str("creates")} exists, matching creates option");
        if (removes is not null && !await ctx.Facts.GetAsync(removes, ct)) return Skipped($"{a.Str("removes")} does not exist, matching removes option");
        var chdir = a.Str("chdir") is { Length: > 0 } cd ? cd : null;
        if (chdir is not null && !chdir.StartsWith('/')) return Plan.Fail($"chdir {chdir} must be an absolute path for a Unix-aware remote node");

        var raw = (a.Str("_raw_params") is { Length: > 0 } p ? p : a.Str("cmd") ?? "").Trim();
        List<string> parts;
        try { parts = Shlex.Split(raw); }
        catch (FormatException e) { return Plan.Fail(e.Message); }
        if (parts.Count == 0) return Plan.Fail("no script given");
        var local = ctx.FindFile(parts[0], "files");
        if (local is null || !File.Exists(local)) return Plan.Fail($"Could not find or access '{parts[0]}' on the Ansible Controller.");
        var content = await File.ReadAllBytesAsync(local, ct);
        var name = Path.GetFileName(local);

        var mkdir = new RunStep(Argv.Of("mktemp", "-d", "--tmpdir", "ansible-script.XXXXXXXX"));
        var plan = new Plan
        {
            SkipInCheckMode = creates is null && removes is null,
            CheckModeResult = new Dict { ["changed"] = false, ["msg"] = "Check mode is not supported for this task." },
        }.Add(mkdir);
        plan.Then = (outcomes, _) =>
        {
            if (outcomes[0].Result is not { } made) return Task.FromResult(Plan.Ok());
            var dir = made.Stdout.Trim();
            var path = dir + "/" + name;
            // the first word replaced everywhere in the text, as the action plugin's str.replace
            var command = raw.Replace(parts[0], ShellQuote.Quote(path));
            if (a.Str("executable") is { Length: > 0 } exe) command = exe + " " + command;
            if (chdir is not null) command = $"cd {ShellQuote.Quote(chdir)} && {command}";
            var run = new RunStep($"chmod u+x -- {ShellQuote.Quote(path)} && {{ {command}\n}} < /dev/null 2>&1; rc=$?; rm -rf -- {ShellQuote.Quote(dir)}; exit $rc")
            {
                AnyExitCode = true,
            };
            var next = new Plan().Add(new PutFileStep(path, content)).Add(run);
            next.Then = (done, _) => Task.FromResult(Ran(done.First(o => ReferenceEquals(o.Step, run)).Result!));
            return Task.FromResult(next);
        };
        return plan;
    }

    private static Plan Skipped(string msg) => new() { Result = new Dict { ["skipped"] = true, ["msg"] = msg } };

    /// <summary>The result of the script as the pseudo-terminal gives it: stdout with stderr in it, CRLF line ends.</summary>
    private static Plan Ran(CommandResult res)
    {
        var r = new Dict { ["rc"] = (long)res.ExitCode, ["stdout"] = (res.Stdout + res.Stderr).Replace("\n", "\r\n"), ["stderr"] = "" };
        CommandResults.AddLines(r);
        return res.ExitCode != 0 ? Plan.Fail("non-zero return code", r, changed: true) : Plan.Ok(r);
    }
}

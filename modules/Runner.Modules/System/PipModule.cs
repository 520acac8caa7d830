using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.pip (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/pip_module.html), the
/// options people use: name (a list; requirement specifiers such as "kubernetes&lt;30" allowed), state
/// present/absent/latest, executable (default pip3), virtualenv, extra_args. Reads `pip list --format=freeze`
/// once (<see cref="PipPackagesFact"/>), compares, and runs pip only for what differs; check mode runs nothing (the
/// result then lacks cmd for present/absent, as before). state=latest is changed unless pip says every requirement
/// was already satisfied. A failed pip fails with "stdout: OUT\n\n:stderr: ERR". Specifiers with a version
/// are installed when the package is missing (an installed version is not re-checked against the specifier).
/// </summary>
public sealed class PipModule : PlanningModule
{
    public override string Name => "pip";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", OptionType.List, Required: true, Elements: OptionType.Str),
        new OptionSpec("state", Default: "present", Choices: new[] { "present", "absent", "latest", "forcereinstall" }),
        new OptionSpec("executable"),
        new OptionSpec("virtualenv", OptionType.Path),
        new OptionSpec("extra_args"));

    private static readonly Regex NamePart = new(@"^[A-Za-z0-9_.\-]+", RegexOptions.Compiled);

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var names = ctx.Args.StrList("name");
        var state = ctx.Args.Str("state")!;
        var pip = ctx.Args.Str("executable") ?? (ctx.Args.Str("virtualenv") is { } venv ? $"{venv}/bin/pip" : "pip3");
        var installed = await ctx.Facts.GetAsync(new PipPackagesFact(pip), ct);
        if (installed is null) return Plan.Fail($"Unable to find any of {pip} to use.  pip needs to be installed.");
        bool IsInstalled(string spec) => installed.Contains(PipPackagesFact.Normalize(NamePart.Match(spec).Value));
        var todo = state switch
        {
            "absent" => names.Where(IsInstalled).ToList(),
            "present" => names.Where(n => !IsInstalled(n)).ToList(),
            _ => names.ToList(),
        };
        var result = new Dict { ["name"] = names, ["state"] = state, ["requirements"] = null, ["version"] = null, ["virtualenv"] = ctx.Args.Str("virtualenv") };
        if (todo.Count == 0) return Plan.Ok(result);

        var verb = state switch
        {
            "absent" => new[] { "uninstall", "-y" },
            "latest" => new[] { "install", "-U" },
            "forcereinstall" => new[] { "install", "-U", "--force-reinstall" },
            _ => new[] { "install" },
        };
        // extra_args is a string of pip options, given as the user wrote it (Ansible appends it the same way)
        var extra = ctx.Args.Str("extra_args") is { } ea ? " " + ea : "";
        var cmd = $"{ShellQuote.Join(new[] { pip }.Concat(verb))}{extra} {ShellQuote.Join(todo)}";
        var plan = new Plan { Result = result };
        if (state is "present" or "absent") plan.CheckModeResult = new Dict(result);
        result["cmd"] = cmd;
        var latest = state == "latest";
        plan.Add(new RunStep(cmd)
        {
            CountsAsChange = !latest,
            OnFailure = r => Plan.Fail($"stdout: {r.Stdout}\n\n:stderr: {r.Stderr}", new Dict { ["stdout"] = r.Stdout, ["stderr"] = r.Stderr }),
        });
        plan.Then = (outcomes, _) =>
        {
            if (outcomes[0].Result is not { } r) return Task.FromResult(new Plan { Changed = latest });
            var next = Plan.Ok(new Dict { ["stdout"] = r.Stdout, ["stderr"] = r.Stderr });
            next.Changed = latest && (!r.Stdout.Contains("Requirement already satisfied") || r.Stdout.Contains("Successfully installed"));
            return Task.FromResult(next);
        };
        return plan;
    }
}

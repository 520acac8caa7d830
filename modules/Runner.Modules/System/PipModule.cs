using System.Text.RegularExpressions;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.pip (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/pip_module.html), the
/// options people use: name (a list; requirement specifiers such as "kubernetes&lt;30" allowed), state
/// present/absent/latest, executable (default pip3), virtualenv, extra_args. Reads `pip list --format=freeze`
/// once, compares, and runs pip only for what differs; check mode runs nothing. Specifiers with a version
/// are installed when the package is missing (an installed version is not re-checked against the specifier).
/// </summary>
public sealed class PipModule : IModule
{
    public string Name => "pip";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", OptionType.List, Required: true, Elements: OptionType.Str),
        new OptionSpec("state", Default: "present", Choices: new[] { "present", "absent", "latest", "forcereinstall" }),
        new OptionSpec("executable"),
        new OptionSpec("virtualenv", OptionType.Path),
        new OptionSpec("extra_args"));

    private static readonly Regex NamePart = new(@"^[A-Za-z0-9_.\-]+", RegexOptions.Compiled);

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var names = ctx.Args.StrList("name");
        var state = ctx.Args.Str("state")!;
        var pip = ctx.Args.Str("executable") ?? (ctx.Args.Str("virtualenv") is { } venv ? $"{venv}/bin/pip" : "pip3");
        var probe = await ctx.ShAsync($"command -v {ShellQuote.Quote(pip)} >/dev/null 2>&1 || {{ echo 'missing pip' >&2; exit 127; }}; {ShellQuote.Quote(pip)} list --format=freeze 2>/dev/null", ct);
        if (probe.ExitCode == 127)
            return Results.Fail($"Unable to find any of {pip} to use.  pip needs to be installed.");
        var installed = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split("==")[0].Trim().ToLowerInvariant().Replace('_', '-')).ToHashSet();
        bool IsInstalled(string spec) => installed.Contains(NamePart.Match(spec).Value.ToLowerInvariant().Replace('_', '-'));
        var todo = state switch
        {
            "absent" => names.Where(IsInstalled).ToList(),
            "present" => names.Where(n => !IsInstalled(n)).ToList(),
            _ => names.ToList(),
        };
        var result = new Dict { ["name"] = names, ["state"] = state, ["requirements"] = null, ["version"] = null, ["virtualenv"] = ctx.Args.Str("virtualenv") };
        if (todo.Count == 0 || ctx.CheckMode && state is "present" or "absent")
        {
            result["changed"] = todo.Count > 0;
            return result;
        }
        var verb = state == "absent" ? "uninstall -y" : state == "latest" ? "install -U" : state == "forcereinstall" ? "install -U --force-reinstall" : "install";
        var extra = ctx.Args.Str("extra_args") is { } ea ? " " + ea : "";
        var cmd = $"{ShellQuote.Quote(pip)} {verb}{extra} {ShellQuote.Join(todo)}";
        if (ctx.CheckMode)
        {
            result["changed"] = true;
            result["cmd"] = cmd;
            return result;
        }
        var r = await ctx.ShAsync(cmd, ct);
        result["cmd"] = cmd;
        result["stdout"] = r.Stdout;
        result["stderr"] = r.Stderr;
        if (r.ExitCode != 0) return Results.Fail($"stdout: {r.Stdout}\n\n:stderr: {r.Stderr}", result);
        result["changed"] = state != "latest" || !r.Stdout.Contains("Requirement already satisfied") || r.Stdout.Contains("Successfully installed");
        return result;
    }
}

using System.Diagnostics;

namespace Runner.Tests;

/// <summary>The built CLI (runner.dll beside the tests) as a child process: `runner play ARGS` in a folder.</summary>
public static class RunnerCli
{
    /// <summary>The start info for `dotnet runner.dll play ARGS` in <paramref name="cwd"/> with <paramref name="env"/>
    /// added, stdout and stderr redirected.</summary>
    public static ProcessStartInfo Play(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) =>
        Command(cwd, args.Prepend("play"), env);

    /// <summary>The start info for `dotnet runner.dll ARGS` (any command) in <paramref name="cwd"/>, as <see cref="Play"/>.</summary>
    public static ProcessStartInfo Command(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "runner.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs `runner play ARGS` to the end (at most two minutes): exit code, stdout, stderr.</summary>
    public static (int Rc, string Out, string Err) Run(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) =>
        Finish(Play(cwd, args, env));

    /// <summary>Runs `runner ARGS` (any command) to the end, stdin closed: exit code, stdout, stderr.</summary>
    public static (int Rc, string Out, string Err) RunCommand(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) =>
        Finish(Command(cwd, args, env));

    private static (int Rc, string Out, string Err) Finish(ProcessStartInfo psi)
    {
        psi.RedirectStandardInput = true;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "runner did not finish");
        return (p.ExitCode, o.Result, e.Result);
    }
}

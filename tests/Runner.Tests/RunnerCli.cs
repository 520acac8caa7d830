using System.Diagnostics;

namespace Runner.Tests;

/// <summary>The built CLI (runner.dll beside the tests) as a child process: `runner play ARGS` in a folder.</summary>
public static class RunnerCli
{
    /// <summary>The start info for `dotnet runner.dll play ARGS` in <paramref name="cwd"/> with <paramref name="env"/>
    /// added, stdout and stderr redirected.</summary>
    public static ProcessStartInfo Play(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "runner.dll"));
        psi.ArgumentList.Add("play");
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs `runner play ARGS` to the end (at most two minutes): exit code, stdout, stderr.</summary>
    public static (int Rc, string Out, string Err) Run(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        using var p = Process.Start(Play(cwd, args, env))!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "runner did not finish");
        return (p.ExitCode, o.Result, e.Result);
    }
}

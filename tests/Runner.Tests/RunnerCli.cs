using System.Diagnostics;

namespace Runner.Tests;

/// <summary>The built CLI as a child process: `runner play ARGS` in a folder. The CLI is `dotnet runner.dll` (the
/// framework-dependent build beside the tests) unless the environment variable RUNNER_CLI names another runner
/// binary (tests/run-all.sh runs the CLI tests again with the Native AOT binary that way).</summary>
public static class RunnerCli
{
    private static readonly string? Native = Environment.GetEnvironmentVariable("RUNNER_CLI") is { Length: > 0 } p ? Path.GetFullPath(p) : null;

    /// <summary>The program to start: RUNNER_CLI's binary or "dotnet".</summary>
    public static string File => Native ?? "dotnet";

    /// <summary>The arguments before runner's own: none for RUNNER_CLI's binary, else the path of runner.dll.</summary>
    public static string[] Prefix => Native is null ? [Path.Combine(AppContext.BaseDirectory, "runner.dll")] : [];

    /// <summary>`runner ARGS` as one sh command line (each word single-quoted).</summary>
    public static string ShellLine(params string[] args) =>
        string.Join(" ", new[] { File }.Concat(Prefix).Concat(args).Select(a => "'" + a.Replace("'", "'\\''") + "'"));

    /// <summary>The start info for `runner play ARGS` in <paramref name="cwd"/> with <paramref name="env"/>
    /// added, stdout and stderr redirected.</summary>
    public static ProcessStartInfo Play(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) =>
        Command(cwd, args.Prepend("play"), env);

    /// <summary>The start info for `runner ARGS` (any command) in <paramref name="cwd"/>, as <see cref="Play"/>.</summary>
    public static ProcessStartInfo Command(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(File) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in Prefix.Concat(args)) psi.ArgumentList.Add(a);
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

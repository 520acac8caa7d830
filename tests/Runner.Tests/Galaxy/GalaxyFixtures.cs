using System.Diagnostics;
using Runner.Tests.Lab;

namespace Runner.Tests.Galaxy;

/// <summary>
/// The galaxy fixtures (tests/galaxy/make-fixtures.sh) in a fresh temporary folder, and `runner galaxy|play` run in it
/// with HOME=DIR/home and ANSIBLE_CONFIG=DIR/ansible.cfg (an empty config), as tests/ansible-recordings/record-galaxy.sh
/// runs ansible-galaxy.
/// </summary>
public sealed class GalaxyFixtures : IDisposable
{
    /// <summary>The fixtures folder.</summary>
    public string Dir { get; }

    public GalaxyFixtures()
    {
        Dir = Path.Combine(Directory.CreateTempSubdirectory("runner-galaxy-test-").FullName, "fx");
        var (rc, _, err) = Run("bash", [Path.Combine(LabEnvironment.RepoRoot, "tests", "galaxy", "make-fixtures.sh"), Dir], Path.GetTempPath());
        Assert.True(rc == 0, $"make-fixtures.sh failed: {err}");
        Directory.CreateDirectory(Path.Combine(Dir, "home"));
    }

    /// <summary>runner ARGS in the fixtures folder: exit code, stdout, stderr.</summary>
    public (int Rc, string Out, string Err) Runner(params string[] args) =>
        Run(RunnerCli.File, [.. RunnerCli.Prefix, .. args], Dir);

    /// <summary>A git command's stdout in <paramref name="repo"/> (a fixtures subfolder).</summary>
    public string Git(string repo, params string[] args) => Run("git", args, Path.Combine(Dir, repo)).Out.Trim();

    private (int Rc, string Out, string Err) Run(string file, IEnumerable<string> args, string cwd)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (Dir is not null)
        {
            psi.Environment["HOME"] = Path.Combine(Dir, "home");
            psi.Environment["ANSIBLE_CONFIG"] = Path.Combine(Dir, "ansible.cfg");
        }
        foreach (var k in new[] { "ANSIBLE_ROLES_PATH", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS", "ANSIBLE_HOME", "RUNNER_CONFIG", "RUNNER_STDOUT_CALLBACK" })
            psi.Environment.Remove(k);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), $"{file} did not finish");
        return (p.ExitCode, o.Result, e.Result);
    }

    /// <summary>Text with the fixtures folder written as $DIR (as the recordings write it).</summary>
    public string Normalize(string text) => text.Replace(Dir, "$DIR");

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(Dir)!, recursive: true); } catch (IOException) { }
    }
}

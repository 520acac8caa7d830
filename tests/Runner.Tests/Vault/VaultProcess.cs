using System.Diagnostics;

namespace Runner.Tests.Vault;

/// <summary>Runs ansible-vault / ansible-playbook or the built runner as a child process with optional stdin.</summary>
public static class VaultProcess
{
    /// <summary>Whether ansible-vault 2.14 is installed here (the tests compare with it live).</summary>
    public static bool HasAnsibleVault() => File.Exists("/usr/bin/ansible-vault");

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> in <paramref name="cwd"/>: exit code, stdout, stderr.</summary>
    public static (int Rc, string Out, string Err) Run(string file, IEnumerable<string> args, string cwd, string? stdin = null,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["ANSIBLE_NOCOLOR"] = psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("ANSIBLE_VAULT_PASSWORD_FILE");
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), $"{file} did not finish");
        return (p.ExitCode, o.Result, e.Result);
    }

    /// <summary>ansible-vault ARGS.</summary>
    public static (int Rc, string Out, string Err) Ansible(string cwd, string? stdin, params string[] args) =>
        Run("ansible-vault", args, cwd, stdin);

    /// <summary>runner vault ARGS.</summary>
    public static (int Rc, string Out, string Err) Runner(string cwd, string? stdin, params string[] args) =>
        Run(RunnerCli.File, RunnerCli.Prefix.Append("vault").Concat(args), cwd, stdin);
}

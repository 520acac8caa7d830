using System.Diagnostics;
using Runner.Engine.Config;

namespace Runner.Tests.Engine;

/// <summary>runner.cfg / ansible.cfg reading (Ansible's "Ansible Configuration Settings") and the jsonfile fact cache.</summary>
public sealed class ConfigAndFactCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-cfg-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Config_sections_paths_and_booleans()
    {
        var cfg = RunnerConfig.FromText("[defaults]\ninventory = ./inv\nroles_path = ~/r:./roles\nhost_key_checking = False\nforks=7\n[ssh_connection]\npipelining = True\n",
            Path.Combine(_dir, "ansible.cfg"));
        Assert.Equal(new[] { Path.Combine(_dir, "inv") }, cfg.Paths("inventory"));
        Assert.Equal(Path.Combine(_dir, "roles"), cfg.Paths("roles_path")[1]);
        Assert.False(cfg.Bool("host_key_checking", true));
        Assert.Equal("7", cfg.Get("defaults", "forks"));
        Assert.Equal("True", cfg.Get("ssh_connection", "pipelining"));
        Assert.Null(cfg.Get("defaults", "nothing"));
    }

    private (int Rc, string Out) Runner(params string[] args)
    {
        var psi = new ProcessStartInfo(RunnerCli.File) { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in RunnerCli.Prefix) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["RUNNER_STDOUT_CALLBACK"] = "transcript";
        psi.Environment.Remove("ANSIBLE_CONFIG");
        psi.Environment.Remove("RUNNER_CONFIG");
        var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o);
    }

    [Fact]
    public void Smart_gathering_reads_the_jsonfile_cache_instead_of_gathering_again()
    {
        var cache = Path.Combine(_dir, "facts");
        File.WriteAllText(Path.Combine(_dir, "ansible.cfg"), $"[defaults]\ninventory = hosts.yml\ngathering = smart\nfact_caching = jsonfile\nfact_caching_connection = {cache}\n");
        File.WriteAllText(Path.Combine(_dir, "hosts.yml"), "all:\n  hosts:\n    box:\n      ansible_connection: local\n");
        File.WriteAllText(Path.Combine(_dir, "site.yml"), "- hosts: all\n  tasks:\n    - ansible.builtin.debug:\n        msg: \"{{ ansible_system }}\"\n");

        var (rc1, first) = Runner("play", "site.yml");
        Assert.True(rc1 == 0, first);
        Assert.Contains("TASK [Gathering Facts]", first);
        Assert.Contains("msg: \"Linux\"", first);
        Assert.Contains("\"ansible_system\": \"Linux\"", File.ReadAllText(Path.Combine(cache, "box")));

        var (rc2, second) = Runner("play", "site.yml");
        Assert.True(rc2 == 0, second);
        Assert.DoesNotContain("Gathering Facts", second);
        Assert.Contains("msg: \"Linux\"", second);
    }
}

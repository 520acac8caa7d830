using System.Security.Cryptography;
using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Errors;
using Runner.Engine.Values;

namespace Runner.Tests.Lab;

/// <summary>Reading Ansible's ssh variables and OpenSSH known_hosts files (no lab needed).</summary>
public class SshSettingsTests
{
    [Fact]
    public void Host_vars_and_common_args_are_read_as_ansible_does()
    {
        var s = SshSettings.FromHostVars("web1", new Dict
        {
            ["ansible_host"] = "10.0.0.5", ["ansible_port"] = 2222L, ["ansible_user"] = "deploy",
            ["ansible_ssh_private_key_file"] = "/keys/id", ["ansible_ssh_private_key_passphrase"] = "pp",
            ["ansible_ssh_common_args"] = "-o UserKnownHostsFile=/tmp/kh -o 'StrictHostKeyChecking=accept-new' -oConnectTimeout=3",
        });
        Assert.Equal(("10.0.0.5", 2222, "deploy"), (s.Host, s.Port, s.User));
        Assert.Equal(new[] { "/keys/id" }, s.KeyFiles);
        Assert.Equal("pp", s.KeyPassphrase);
        Assert.Equal(new[] { "/tmp/kh" }, s.KnownHostsFiles);
        Assert.Equal(HostKeyChecking.AcceptNew, s.Checking);
        Assert.Equal(TimeSpan.FromSeconds(3), s.ConnectTimeout);
    }

    [Fact]
    public void Defaults_are_the_inventory_name_port_22_strict_and_home_known_hosts()
    {
        var s = SshSettings.FromHostVars("web1", new Dict());
        Assert.Equal(("web1", 22, HostKeyChecking.Strict), (s.Host, s.Port, s.Checking));
        Assert.Equal(new[] { SshSettings.DefaultKnownHosts }, s.KnownHostsFiles);
        Assert.Equal(HostKeyChecking.Off, SshSettings.FromHostVars("h", new Dict { ["ansible_host_key_checking"] = false }).Checking);
        Assert.Equal(HostKeyChecking.Off, SshSettings.FromHostVars("h", new Dict { ["ansible_ssh_extra_args"] = "-o StrictHostKeyChecking=no" }).Checking);
    }

    [Fact]
    public void Bad_port_is_a_clear_options_error()
    {
        var e = Assert.Throws<RunnerException>(() => SshSettings.FromHostVars("h", new Dict { ["ansible_port"] = "twenty" }));
        Assert.Equal(ExitCodes.BadOptions, e.ExitCode);
        Assert.Contains("'twenty'", e.Message);
    }

    [Fact]
    public void Factory_picks_local_for_localhost_and_ansible_connection_local()
    {
        Assert.Equal("local", ConnectionFactory.Kind("localhost", new Dict(), null));
        Assert.Equal("local", ConnectionFactory.Kind("web", new Dict { ["ansible_connection"] = "local" }, null));
        Assert.Equal("ssh", ConnectionFactory.Kind("web", new Dict(), null));
        Assert.Equal("ssh", ConnectionFactory.Kind("web", new Dict { ["ansible_connection"] = "ansible.builtin.ssh" }, null));
        Assert.Equal("local", ConnectionFactory.Kind("web", new Dict(), "local"));
        var e = Assert.Throws<RunnerException>(() => ConnectionFactory.Kind("web", new Dict { ["ansible_connection"] = "winrm" }, null));
        Assert.Contains("'winrm'", e.Message);
    }

    private static byte[] Blob(string type, byte fill)
    {
        var t = Encoding.ASCII.GetBytes(type);
        return new byte[] { 0, 0, 0, (byte)t.Length }.Concat(t).Concat(new byte[] { 0, 0, 0, 4, fill, fill, fill, fill }).ToArray();
    }

    [Fact]
    public void Known_hosts_matches_plain_port_hashed_and_wildcard_entries()
    {
        var key = Blob("ssh-ed25519", 7);
        var b64 = Convert.ToBase64String(key);
        var salt = RandomNumberGenerator.GetBytes(20);
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("[10.1.1.1]:2222"));
        var f = Path.GetTempFileName();
        try
        {
            File.WriteAllText(f, $"a.example,b.example ssh-ed25519 {b64}\n|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)} ssh-ed25519 {b64}\n*.lab,!bad.lab ssh-ed25519 {b64}\n");
            Assert.Equal(HostKeyStatus.Known, SshKnownHosts.Lookup(new[] { f }, "b.example", 22, key).Status);
            Assert.Equal(HostKeyStatus.Unknown, SshKnownHosts.Lookup(new[] { f }, "b.example", 2200, key).Status);
            Assert.Equal(HostKeyStatus.Known, SshKnownHosts.Lookup(new[] { f }, "10.1.1.1", 2222, key).Status);
            Assert.Equal(HostKeyStatus.Unknown, SshKnownHosts.Lookup(new[] { f }, "10.1.1.1", 22, key).Status);
            Assert.Equal(HostKeyStatus.Known, SshKnownHosts.Lookup(new[] { f }, "x.lab", 22, key).Status);
            Assert.Equal(HostKeyStatus.Unknown, SshKnownHosts.Lookup(new[] { f }, "bad.lab", 22, key).Status);
            var changed = SshKnownHosts.Lookup(new[] { f }, "a.example", 22, Blob("ssh-ed25519", 9));
            Assert.Equal((HostKeyStatus.Changed, f, 1), (changed.Status, changed.File, changed.Line));
            Assert.Equal(HostKeyStatus.Unknown, SshKnownHosts.Lookup(new[] { f }, "a.example", 22, Blob("ssh-rsa", 9)).Status);
            SshKnownHosts.Append(f, "new.example", 2022, key);
            Assert.EndsWith($"[new.example]:2022 ssh-ed25519 {b64}\n", File.ReadAllText(f));
        }
        finally { File.Delete(f); }
    }
}

using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Facts;

namespace Runner.Tests.Lab;

/// <summary>SshConnection against the lab's real sshd hosts (tests/lab/up.sh).</summary>
public class SshConnectionLabTests
{
    private static string Tmp() => $"/tmp/runner-labtest-{Guid.NewGuid():N}";

    [LabFact]
    public async Task Runs_commands_on_every_host_and_each_has_its_own_hostname()
    {
        var names = new List<string>();
        foreach (var host in LabEnvironment.Hosts())
        {
            await using var c = LabEnvironment.Connect(host);
            var r = await c.ExecAsync("hostname; echo err >&2; exit 3");
            Assert.Equal(3, r.ExitCode);
            Assert.Equal("err\n", r.Stderr);
            names.Add(r.Stdout.Trim());
            Assert.Equal(host.Name, r.Stdout.Trim());
        }
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [LabFact]
    public async Task Stdin_environment_and_chdir_reach_the_script()
    {
        await using var c = LabEnvironment.Connect(LabEnvironment.First);
        var r = await c.ExecAsync("pwd; echo \"$GREETING\"; cat",
            new ExecOptions(Stdin: Encoding.UTF8.GetBytes("from stdin"), WorkingDirectory: "/usr",
                Environment: new Dictionary<string, string> { ["GREETING"] = "it's here" }));
        Assert.Equal("/usr\nit's here\nfrom stdin", r.Stdout);
    }

    [LabFact]
    public async Task Put_file_is_atomic_and_lands_with_content_and_mode()
    {
        await using var c = LabEnvironment.Connect(LabEnvironment.First);
        var path = Tmp();
        try
        {
            await c.PutFileAsync("one\n"u8.ToArray(), path);
            Assert.Equal("one\n", (await c.ExecAsync($"cat {path}")).Stdout);
            Assert.Equal("644", (await c.ExecAsync($"stat -c %a {path}")).Stdout.Trim());
            await c.ExecAsync($"chmod 0600 {path}");
            var inode = (await c.ExecAsync($"stat -c %i {path}")).Stdout.Trim();
            await c.PutFileAsync("two\n"u8.ToArray(), path);
            Assert.Equal("two\n", (await c.ExecAsync($"cat {path}")).Stdout);
            Assert.Equal("600", (await c.ExecAsync($"stat -c %a {path}")).Stdout.Trim()); // existing mode kept
            Assert.NotEqual(inode, (await c.ExecAsync($"stat -c %i {path}")).Stdout.Trim()); // replaced by rename
            Assert.Equal("", (await c.ExecAsync("ls -a /tmp | grep '^.runner-tmp' || true")).Stdout); // no temp left
            Assert.Equal("two\n"u8.ToArray(), await c.GetFileAsync(path));
            Assert.Null(await c.GetFileAsync(path + ".missing"));
        }
        finally { await c.ExecAsync($"rm -f {path}"); }
    }

    [LabFact]
    public async Task Put_file_into_a_missing_folder_says_so()
    {
        await using var c = LabEnvironment.Connect(LabEnvironment.First);
        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => c.PutFileAsync("x"u8.ToArray(), "/nonexistent-runner-dir/f"));
        Assert.Contains("/nonexistent-runner-dir", e.Message);
    }

    [LabFact]
    public async Task Become_sudo_writes_files_owned_by_the_become_user()
    {
        var host = LabEnvironment.First;
        var user = (string)host.Vars["lab_become_user"]!;
        await using var c = LabEnvironment.Connect(host);
        var dir = Tmp();
        await c.ExecAsync($"mkdir {dir} && chown {user} {dir}");
        try
        {
            var asUser = new ExecOptions(BecomeUser: user);
            Assert.Equal(user, (await c.ExecAsync("id -un", asUser)).Stdout.Trim());
            await c.PutFileAsync("secret\n"u8.ToArray(), $"{dir}/f", asUser);
            Assert.Equal($"{user} 644", (await c.ExecAsync($"stat -c '%U %a' {dir}/f")).Stdout.Trim());
            Assert.Equal("secret\n"u8.ToArray(), await c.GetFileAsync($"{dir}/f", asUser));
            Assert.Equal("", (await c.ExecAsync("ls -a /tmp | grep '^.runner-up' || true")).Stdout);
            var su = await c.ExecAsync("id -un", new ExecOptions(BecomeUser: user, BecomeMethod: "su"));
            Assert.Equal(user, su.Stdout.Trim());
        }
        finally { await c.ExecAsync($"rm -rf {dir}"); }
    }

    [LabFact]
    public async Task Sudo_with_password_works_and_a_wrong_password_fails_clearly()
    {
        var host = LabEnvironment.First;
        var user = (string)host.Vars["lab_become_user"]!;
        var password = (string)host.Vars["lab_become_password"]!;
        await using var c = LabEnvironment.Connect(host, s => s with { User = user });
        Assert.Equal(user, (await c.ExecAsync("id -un")).Stdout.Trim());
        var ok = await c.ExecAsync("id -un; cat", new ExecOptions(BecomeUser: "root", BecomePassword: password, Stdin: "in"u8.ToArray()));
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal("root\nin", ok.Stdout);
        var bad = await c.ExecAsync("id -un", new ExecOptions(BecomeUser: "root", BecomePassword: "wrong"));
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("Incorrect sudo password", bad.Stderr);
        var none = await c.ExecAsync("id -un", new ExecOptions(BecomeUser: "root"));
        Assert.StartsWith("Missing sudo password", none.Stderr);
    }

    [LabFact]
    public async Task Unknown_host_key_fails_naming_the_known_hosts_file_and_accept_new_adds_it()
    {
        var kh = Path.Combine(Path.GetTempPath(), $"runner-kh-{Guid.NewGuid():N}");
        File.WriteAllText(kh, "# empty\n");
        try
        {
            await using (var strict = LabEnvironment.Connect(LabEnvironment.First, s => s with { KnownHostsFiles = new[] { kh } }))
            {
                var e = await Assert.ThrowsAsync<UnreachableException>(() => strict.ExecAsync("true"));
                Assert.Contains(kh, e.Message);
                Assert.Contains("Host key verification failed", e.Message);
            }
            await using (var acceptNew = LabEnvironment.Connect(LabEnvironment.First,
                             s => s with { KnownHostsFiles = new[] { kh }, Checking = HostKeyChecking.AcceptNew }))
                Assert.Equal(0, (await acceptNew.ExecAsync("true")).ExitCode);
            var ip = (string)LabEnvironment.First.Vars["ansible_host"]!;
            Assert.Contains($"{ip} ssh-ed25519 ", File.ReadAllText(kh));
            await using (var strictAgain = LabEnvironment.Connect(LabEnvironment.First, s => s with { KnownHostsFiles = new[] { kh } }))
                Assert.Equal(0, (await strictAgain.ExecAsync("true")).ExitCode);
        }
        finally { File.Delete(kh); }
    }

    [LabFact]
    public async Task Changed_host_key_fails_naming_file_and_line_even_with_accept_new()
    {
        var first = LabEnvironment.First;
        var second = LabEnvironment.Hosts()[1];
        var ip = (string)first.Vars["ansible_host"]!;
        var otherKey = File.ReadLines((string)first.Vars["lab_known_hosts"]!)
            .First(l => l.StartsWith((string)second.Vars["ansible_host"]! + " ")).Split(' ', 2)[1];
        var kh = Path.Combine(Path.GetTempPath(), $"runner-kh-{Guid.NewGuid():N}");
        File.WriteAllText(kh, $"# comment\n{ip} {otherKey}\n");
        try
        {
            await using var c = LabEnvironment.Connect(first, s => s with { KnownHostsFiles = new[] { kh }, Checking = HostKeyChecking.AcceptNew });
            var e = await Assert.ThrowsAsync<UnreachableException>(() => c.ExecAsync("true"));
            Assert.Contains($"{kh}:2", e.Message);
        }
        finally { File.Delete(kh); }
    }

    [LabFact]
    public async Task Stopped_sshd_gives_unreachable()
    {
        var host = LabEnvironment.First;
        var ns = (string)host.Vars["lab_netns"]!;
        var conf = (string)host.Vars["lab_sshd_config"]!;
        var pidFile = Path.Combine(Path.GetTempPath(), $"runner-sshd-{Guid.NewGuid():N}.pid");
        const int port = 2299;
        var start = await new LocalConnection("controller").ExecAsync(
            $"ip netns exec {ns} /usr/sbin/sshd -f {conf} -o Port={port} -o PidFile={pidFile} && " +
            $"for i in $(seq 1 100); do [ -s {pidFile} ] && break; sleep 0.02; done");
        Assert.Equal(0, start.ExitCode);
        var vars = new Runner.Engine.Values.Dict(host.Vars) { ["ansible_port"] = (long)port };
        await using (var c = new SshConnection(host.Name, SshSettings.FromHostVars(host.Name, vars) with
                     { KnownHostsFiles = new[] { Path.Combine(Path.GetTempPath(), $"runner-kh-{Guid.NewGuid():N}") }, Checking = HostKeyChecking.Off }))
        {
            Assert.Equal(0, (await c.ExecAsync("true")).ExitCode);
        }
        var pid = File.ReadAllText(pidFile).Trim();
        await new LocalConnection("controller").ExecAsync($"kill {pid}; while kill -0 {pid} 2>/dev/null; do sleep 0.02; done; rm -f {pidFile}");
        await using var after = new SshConnection(host.Name, SshSettings.FromHostVars(host.Name, vars) with { Checking = HostKeyChecking.Off });
        var e = await Assert.ThrowsAsync<UnreachableException>(() => after.ExecAsync("true"));
        Assert.Contains("Connection refused", e.Message);
        Assert.Contains($"port {port}", e.Message);
    }

    [LabFact]
    public async Task Facts_over_ssh_equal_what_the_host_says()
    {
        foreach (var host in LabEnvironment.Hosts())
        {
            await using var c = LabEnvironment.Connect(host);
            var facts = await FactsProbe.GatherAsync(c);
            Assert.Equal(host.Name, facts["hostname"]);
            Assert.Equal((await c.ExecAsync("uname -r")).Stdout.Trim(), facts["kernel"]);
            var d = (Runner.Engine.Values.Dict)facts["default_ipv4"]!;
            Assert.Equal(host.Vars["ansible_host"], d["address"]);
            Assert.Equal(new List<object?> { host.Vars["ansible_host"] }, facts["all_ipv4_addresses"]);
        }
    }

    [LabFact]
    public async Task Factory_keeps_one_connection_per_host_and_runs_commands_concurrently()
    {
        await using var f = new ConnectionFactory();
        var hosts = LabEnvironment.Hosts();
        var conns = hosts.Select(h => f.Create(h.Name, h.Vars, null)).ToList();
        Assert.Same(conns[0], f.Create(hosts[0].Name, hosts[0].Vars, null));
        Assert.IsType<SshConnection>(conns[0]);
        var results = await Task.WhenAll(conns.SelectMany(c => Enumerable.Range(0, 5).Select(_ => c.ExecAsync("hostname"))));
        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        Assert.Equal(hosts.Count, results.Select(r => r.Stdout).Distinct().Count());
    }
}

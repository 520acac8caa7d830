using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Runner.Engine.Connections;
using Runner.Engine.Values;
using Runner.Modules;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// Writes over SSH to a booted Debian host never lose data: on a full disk, a connection dropped mid-copy, the
/// runner SIGKILLed mid-copy and the writer killed on the target, the destination stays the old file byte for byte
/// with its mode, and no temp file outlives the failure (or, for a killed writer, the next connection).
/// Small files travel through the persistent shell, large ones (over 1 MiB) on an exec channel: both are tried.
/// </summary>
[Collection("nspawn")]
public class AtomicWriteLabTests
{
    private static readonly byte[] Old = RandomNumberGenerator.GetBytes(600_000);

    private static async Task<string> Sha(IConnection c, string path) => (await Sh(c, $"sha256sum < {path} | cut -c1-64"));
    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));
    private static Task<string> Temps(IConnection c, string dir) => Sh(c, $"ls -a {dir} | grep -F {AtomicWrite.TempPrefix} || true");

    /// <summary>Puts the old file in place with mode 0640.</summary>
    private static async Task PutOld(IConnection c, string path)
    {
        await c.PutFileAsync(Old, path);
        await Sh(c, $"chmod 0640 {path}");
    }

    private static async Task AssertOld(IConnection c, string dir, string path)
    {
        Assert.Equal(Sha(Old), await Sha(c, path));
        Assert.Equal("640", await Sh(c, $"stat -c %a {path}"));
        Assert.Equal("", await Temps(c, dir));
    }

    [NspawnTheory]
    [InlineData(900_000)]
    [InlineData(3_000_000)]
    public async Task A_full_disk_fails_the_write_with_one_line_and_keeps_the_old_file(int size)
    {
        await using var c = Connect();
        var m = "/mnt/runner-full-" + Unique();
        var f = m + "/data";
        await Sh(c, $"mkdir -p {m} && mount -t tmpfs -o size=1m tmpfs {m}");
        try
        {
            await PutOld(c, f);
            await Sh(c, $"dd if=/dev/zero of={m}/filler bs=4k 2>/dev/null; true");
            var e = await Assert.ThrowsAsync<IOException>(() => c.PutFileAsync(RandomNumberGenerator.GetBytes(size), f));
            Assert.Contains("No space left on device", e.Message);
            Assert.DoesNotContain("\n", e.Message);
            await AssertOld(c, m, f);

            // The copy module: that task fails on that host with the same line; nothing is thrown.
            var r = await Run(c, new CopyModule(), D.Of("dest", f, "content", new string('x', size)));
            Assert.Equal(true, r["failed"]);
            Assert.Contains("No space left on device", (string)r["msg"]!);
            await AssertOld(c, m, f);
            Assert.Equal("", await Sh(c, $"grep -lF {m}/ /root/.runner-inflight.* 2>/dev/null || true"));
        }
        finally { await Sh(c, $"umount {m}; rmdir {m}"); }
    }

    [NspawnTheory]
    [InlineData(500_000)]
    [InlineData(4_000_000)]
    public async Task A_connection_dropped_mid_copy_leaves_the_old_file(int size)
    {
        await using var c = Connect();
        var dir = "/root/runner-drop-" + Unique();
        var f = dir + "/data";
        await Sh(c, $"mkdir -p {dir}");
        try
        {
            await PutOld(c, f);
            var (name, vars) = Host;
            await using var proxy = new CuttingProxy((string)vars["ansible_host"]!, 22, cutAfter: 60_000 + size / 2);
            var pv = new Dict(vars) { ["ansible_host"] = "127.0.0.1", ["ansible_port"] = (long)proxy.Port, ["ansible_host_key_checking"] = false };
            await using (var viaProxy = new SshConnection(name, SshSettings.FromHostVars(name, pv)))
            {
                await viaProxy.ExecAsync("true"); // connected, shell open
                await Assert.ThrowsAnyAsync<Exception>(() => viaProxy.PutFileAsync(RandomNumberGenerator.GetBytes(size), f));
            }
            Assert.True(proxy.Cut, "the proxy never cut the connection: the test did not test anything");
            await WaitForNoWriter(c, f);
            // A writer that sshd took down with the connection leaves its temp file to the next connection.
            await using (var next = Connect()) await next.ExecAsync("true");
            await AssertOld(c, dir, f);
        }
        finally { await Sh(c, $"rm -rf {dir}"); }
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task The_runner_killed_mid_copy_leaves_the_old_file_and_no_temp_after_the_next_connection(string kind)
    {
        await using var c = Connect(kind);
        var dir = "/root/runner-kill-" + Unique();
        var f = dir + "/big.bin";
        var work = Directory.CreateTempSubdirectory("runner-kill-").FullName;
        await Sh(c, $"mkdir -p {dir}");
        try
        {
            await PutOld(c, f);
            var big = Path.Combine(work, "big.bin");
            await File.WriteAllBytesAsync(big, RandomNumberGenerator.GetBytes(96 << 20));
            await File.WriteAllTextAsync(Path.Combine(work, "play.yml"),
                $"- hosts: {Target(kind).Name}\n  gather_facts: false\n  tasks:\n    - copy: {{ src: {big}, dest: {f} }}\n");
            var psi = RunnerCli.Play(work, new[] { "-i", InventoryPath, "play.yml" }, null);
            using var p = Process.Start(psi)!;
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            var sawTemp = false;
            for (var i = 0; i < 1500 && !p.HasExited; i++)
            {
                if (await Sh(c, $"find {dir} -name '{AtomicWrite.TempPrefix}*' -size +1M | head -1") != "") { sawTemp = true; break; }
                await Task.Delay(20);
            }
            Assert.True(sawTemp, "the copy finished or never started before the kill: the test did not test anything");
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            await WaitForNoWriter(c, f);

            Assert.Equal(Sha(Old), await Sha(c, f));
            Assert.Equal("640", await Sh(c, $"stat -c %a {f}"));
            await using (var next = Connect(kind)) await next.ExecAsync("true");
            Assert.Equal("", await Temps(c, dir));
        }
        finally
        {
            await Sh(c, $"rm -rf {dir}");
            Directory.Delete(work, true);
        }
    }

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task A_writer_killed_on_the_target_leaves_a_temp_file_that_the_next_connection_removes(string kind)
    {
        await using var c = Connect(kind);
        var dir = "/root/runner-killed-writer-" + Unique();
        var f = dir + "/big.bin";
        await Sh(c, $"mkdir -p {dir}");
        try
        {
            await PutOld(c, f);
            var content = RandomNumberGenerator.GetBytes(64 << 20);
            await using (var writer = Connect(kind))
            {
                var put = writer.PutFileAsync(content, f);
                var killed = false;
                for (var i = 0; i < 1500 && !put.IsCompleted; i++)
                {
                    if (await Sh(c, $"find {dir} -name '{AtomicWrite.TempPrefix}*' -size +1M | head -1") != "")
                    {
                        // The writer's command line holds its content's sha256 (h=...); this pattern does not match itself.
                        await Sh(c, $"pkill -KILL -f 'h={Sha(content)[..8]}[0-9a-f]{{56}}'");
                        killed = true;
                        break;
                    }
                    await Task.Delay(20);
                }
                Assert.True(killed, "the write finished before the kill: the test did not test anything");
                await Assert.ThrowsAnyAsync<Exception>(() => put);
            }
            Assert.Equal(Sha(Old), await Sha(c, f));
            Assert.NotEqual("", await Temps(c, dir)); // the killed writer could not clean up
            await using (var next = Connect(kind)) await next.ExecAsync("true");
            Assert.Equal("", await Temps(c, dir));
            Assert.Equal("640", await Sh(c, $"stat -c %a {f}"));
        }
        finally { await Sh(c, $"rm -rf {dir}"); }
    }

    /// <summary>Waits until no process on the target is still writing <paramref name="path"/> (the cut writer may
    /// still be checking what arrived).</summary>
    private static async Task WaitForNoWriter(IConnection c, string path)
    {
        for (var i = 0; i < 100; i++)
        {
            // "[x]" for the last character: the pattern does not match the command line that holds it
            if (await Sh(c, $"pgrep -f 'f={path[..^1]}[{path[^1]}];' || true") == "") return;
            await Task.Delay(50);
        }
    }

    /// <summary>A TCP proxy for one SSH connection that forwards client bytes until <c>cutAfter</c> of them have
    /// passed, then resets both sides: a connection dropped in the middle of a transfer.</summary>
    private sealed class CuttingProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _run;
        private volatile bool _cut;

        public CuttingProxy(string host, int port, long cutAfter)
        {
            _listener.Start();
            _run = Task.Run(async () =>
            {
                using var client = await _listener.AcceptTcpClientAsync();
                using var server = new TcpClient();
                await server.ConnectAsync(host, port);
                var up = Pump(client, server, cutAfter);
                var down = Pump(server, client, long.MaxValue);
                await Task.WhenAny(up, down);
                client.Client.LingerState = new LingerOption(true, 0);
                server.Client.LingerState = new LingerOption(true, 0);
                client.Close(); server.Close();
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public bool Cut => _cut;

        private async Task Pump(TcpClient from, TcpClient to, long limit)
        {
            var buf = new byte[16384];
            long sent = 0;
            try
            {
                int n;
                while ((n = await from.GetStream().ReadAsync(buf)) > 0)
                {
                    var take = (int)Math.Min(n, limit - sent);
                    await to.GetStream().WriteAsync(buf.AsMemory(0, take));
                    sent += take;
                    if (sent >= limit) { _cut = true; return; }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try { await _run.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
        }
    }
}

using System.Net;
using System.Security.Cryptography;
using Runner.Modules.Sys;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// get_url on a booted host: with curl and wget really absent (moved away for the test) the controller fetches and
/// the file lands verified; with curl present, a url_password never appears in any process's arguments on the target.
/// The server is the test's own HTTP listener on the lab bridge (reachable from the controller and the hosts).
/// </summary>
[Collection("nspawn")]
public class DownloadLabTests
{
    private static string BridgeAddress => new Uri((string)Host.Vars["lab_apt_repo"]!).Host;

    /// <summary>Serves <paramref name="body"/> at every path, after <paramref name="delay"/>; records Authorization headers.</summary>
    private sealed class Server : IDisposable
    {
        private readonly HttpListener _l = new();
        public List<string?> Authorizations { get; } = new();
        public string Url { get; }

        public Server(byte[] body, TimeSpan delay)
        {
            // a port the kernel says is free on the bridge address
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Parse(BridgeAddress), 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://{BridgeAddress}:{port}/file.bin";
            _l.Prefixes.Add($"http://{BridgeAddress}:{port}/");
            _l.Start();
            _ = Task.Run(async () =>
            {
                while (_l.IsListening)
                {
                    HttpListenerContext c;
                    try { c = await _l.GetContextAsync(); } catch (Exception) { return; }
                    lock (Authorizations) Authorizations.Add(c.Request.Headers["Authorization"]);
                    await Task.Delay(delay);
                    c.Response.ContentLength64 = body.Length;
                    await c.Response.OutputStream.WriteAsync(body);
                    c.Response.Close();
                }
            });
        }

        public void Dispose()
        {
            try { _l.Close(); } catch (HttpListenerException) { /* already gone */ }
        }
    }

    [NspawnFact]
    public async Task Without_curl_or_wget_the_controller_downloads_and_the_file_lands_verified()
    {
        await using var c = Connect();
        var body = RandomNumberGenerator.GetBytes(300_000);
        using var server = new Server(body, TimeSpan.Zero);
        var dest = "/root/runner-dl-" + Unique();
        const string restore = "for p in /usr/bin/curl /usr/bin/wget /bin/curl /bin/wget; do [ -e \"$p.runner-hidden\" ] && mv \"$p.runner-hidden\" \"$p\"; done; true";
        await Sh(c, restore + "; for t in curl wget; do p=$(command -v $t) && mv \"$p\" \"$p.runner-hidden\"; done; true");
        try
        {
            Assert.Equal("", await Sh(c, "command -v curl wget || true"));
            var args = D.Of("url", server.Url, "dest", dest, "url_username", "u", "url_password", "p", "force_basic_auth", true);
            var first = await Run(c, new GetUrlModule(), args);
            Assert.True(first.Get("changed") is true, Runner.Engine.Values.PyStr.Repr(first));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), await Sh(c, $"sha256sum < {dest} | cut -c1-64"));
            var second = await Run(c, new GetUrlModule(), args);
            Assert.True(second.Get("changed") is false, Runner.Engine.Values.PyStr.Repr(second));
            Assert.Contains("Basic dTpw", server.Authorizations); // u:p, sent up front
        }
        finally
        {
            await Sh(c, $"rm -f {dest}; {restore}");
        }
        Assert.NotEqual("", await Sh(c, "command -v curl || true"));
    }

    [NspawnFact]
    public async Task A_url_password_never_reaches_a_process_argument_list()
    {
        await using var c = Connect();
        await using var watcher = Connect();
        var secret = "pw-" + Unique() + Unique();
        using var server = new Server("hello\n"u8.ToArray(), TimeSpan.FromSeconds(2));
        var dest = "/root/runner-dl-" + Unique();
        try
        {
            // Sample every process's argument list on the target while the (slow) download runs.
            var sampling = watcher.ExecAsync(
                $"end=$(( $(date +%s) + 6 )); seen=0; while [ $(date +%s) -lt $end ]; do " +
                "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f 2>/dev/null; echo; done | " +
                $"grep -v grep | grep -q -e curl -e wget && seen=1; " +
                $"for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f 2>/dev/null; echo; done | grep -F '{secret[..3]}{secret[3..]}' | grep -v -e 'grep' -e 'end=' && echo LEAK; " +
                "done; echo seen=$seen");
            var r = await Run(c, new GetUrlModule(), D.Of("url", server.Url, "dest", dest, "url_username", "u", "url_password", secret));
            Assert.True(r.Get("changed") is true, Runner.Engine.Values.PyStr.Repr(r));
            var watched = (await sampling).Stdout;
            Assert.Contains("seen=1", watched); // the sampler did see the download running
            Assert.DoesNotContain("LEAK", watched);
        }
        finally { await Sh(c, $"rm -f {dest}"); }
    }
}

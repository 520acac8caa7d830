using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Runner.Modules.Sys;
using Runner.Tests.Modules;

namespace Runner.Tests.SystemModules;

/// <summary>get_url and unarchive on the local machine (curl + tar/unzip), against a small HTTP server in the test.</summary>
public sealed class LocalDownloadTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    private readonly HttpListener _http = new();
    private readonly string _base;
    private int _fails;
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("runner payload\n");

    public LocalDownloadTests()
    {
        var l = new TcpListener(IPAddress.Loopback, 0); l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port; l.Stop();
        _base = $"http://127.0.0.1:{port}/";
        _http.Prefixes.Add(_base);
        _http.Start();
        _ = Task.Run(Serve);
    }

    private async Task Serve()
    {
        while (_http.IsListening)
        {
            HttpListenerContext c;
            try { c = await _http.GetContextAsync(); } catch { return; }
            var path = c.Request.Url!.AbsolutePath;
            if (path == "/flaky.txt" && Interlocked.Increment(ref _fails) <= 2) { c.Response.StatusCode = 503; c.Response.Close(); continue; }
            if (path is "/file.txt" or "/flaky.txt") { c.Response.StatusCode = 200; await c.Response.OutputStream.WriteAsync(Payload); c.Response.Close(); continue; }
            if (path == "/SHA256SUMS")
            {
                var body = Encoding.UTF8.GetBytes($"{Sha256(Payload)}  file.txt\n0000  other.txt\n");
                await c.Response.OutputStream.WriteAsync(body); c.Response.Close(); continue;
            }
            c.Response.StatusCode = 404; c.Response.Close();
        }
    }

    private static string Sha256(byte[] b) => Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant();

    [Fact]
    public async Task Get_url_downloads_then_is_ok_when_the_checksum_already_matches()
    {
        var dest = _h.P("file.txt");
        var args = D.Of("url", _base + "file.txt", "dest", dest, "checksum", "sha256:" + Sha256(Payload), "mode", "0640");
        var first = await _h.Run(new GetUrlModule(), args);
        Assert.Equal(true, first["changed"]);
        Assert.Equal(200L, first["status_code"]);
        Assert.Equal(Payload, File.ReadAllBytes(dest));
        Assert.Equal("640", ModuleHarness.Mode(dest));
        var second = await _h.Run(new GetUrlModule(), args);
        Assert.Equal(false, second["changed"]);
        Assert.Equal("file already exists", second["msg"]);
    }

    [Fact]
    public async Task Get_url_into_a_folder_takes_the_name_from_the_url_and_reads_a_checksum_file()
    {
        var r = await _h.Run(new GetUrlModule(), D.Of("url", _base + "file.txt", "dest", _h.Dir, "checksum", "sha256:" + _base + "SHA256SUMS"));
        Assert.True(r.Get("changed") is true, Runner.Engine.Values.PyStr.Repr(r));
        Assert.Equal(_h.P("file.txt"), r["dest"]);
        Assert.Equal(Payload, File.ReadAllBytes(_h.P("file.txt")));
    }

    [Fact]
    public async Task Get_url_with_a_wrong_checksum_fails_and_leaves_no_file()
    {
        var dest = _h.P("file.txt");
        var r = await _h.Run(new GetUrlModule(), D.Of("url", _base + "file.txt", "dest", dest, "checksum", "sha256:" + new string('0', 64)));
        Assert.Equal(true, r["failed"]);
        Assert.Matches("^The checksum for .* did not match 0{64}; it was " + Sha256(Payload) + @"\.$", (string)r["msg"]!);
        Assert.Empty(Directory.GetFileSystemEntries(_h.Dir));
    }

    [Fact]
    public async Task Get_url_retries_transient_http_errors_and_reports_404_as_request_failed()
    {
        var ok = await _h.Run(new GetUrlModule(), D.Of("url", _base + "flaky.txt", "dest", _h.P("f.txt")));
        Assert.Equal(true, ok["changed"]);
        Assert.Equal(3, _fails);
        var missing = await _h.Run(new GetUrlModule(), D.Of("url", _base + "nothing", "dest", _h.P("n.txt")));
        Assert.Equal(true, missing["failed"]);
        Assert.Equal("Request failed", missing["msg"]);
        Assert.Equal(404L, missing["status_code"]);
        Assert.False(File.Exists(_h.P("n.txt")));
    }

    [Fact]
    public async Task Get_url_in_check_mode_downloads_nothing()
    {
        var r = await _h.Run(new GetUrlModule(), D.Of("url", _base + "file.txt", "dest", _h.P("file.txt")), check: true);
        Assert.Equal(true, r["changed"]);
        Assert.False(File.Exists(_h.P("file.txt")));
    }

    [Theory]
    [InlineData("a.tar.gz", "tar -czf")]
    [InlineData("a.tar.xz", "tar -cJf")]
    [InlineData("a.tar.zst", "tar --zstd -cf")]
    [InlineData("a.zip", "zip -qr")]
    public async Task Unarchive_extracts_once_then_is_ok_and_repairs_drift(string name, string pack)
    {
        if (pack.StartsWith("zip") && !File.Exists("/usr/bin/zip")) return; // zip(1) builds the sample only
        var src = _h.P("src");
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        File.WriteAllText(Path.Combine(src, "one.txt"), "one\n");
        File.WriteAllText(Path.Combine(src, "sub", "two.txt"), "two\n");
        var archive = _h.P(name);
        var mk = await new Runner.Engine.Connections.LocalConnection("l").ExecAsync($"cd {src} && {pack} {archive} one.txt sub");
        Assert.Equal(0, mk.ExitCode);
        var dest = _h.P("out");
        Directory.CreateDirectory(dest);
        var args = D.Of("src", archive, "dest", dest, "remote_src", true);

        // Ansible 2.14 tells what would change for a zip; its TgzArchive skips every tar in check mode
        var check = await _h.Run(new UnarchiveModule(), args, check: true);
        if (name.EndsWith(".zip")) Assert.Equal(true, check["changed"]);
        else
        {
            Assert.Equal(false, check["changed"]);
            Assert.Equal(true, check["skipped"]);
            Assert.Equal("remote module (ansible.legacy.unarchive) does not support check mode when using gtar", check["msg"]);
        }
        Assert.False(File.Exists(Path.Combine(dest, "one.txt")));

        var first = await _h.Run(new UnarchiveModule(), args);
        Assert.Equal(true, first["changed"]);
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(dest, "sub", "two.txt")));
        Assert.Equal(false, (await _h.Run(new UnarchiveModule(), args))["changed"]);

        File.WriteAllText(Path.Combine(dest, "one.txt"), "changed\n");
        Assert.Equal(true, (await _h.Run(new UnarchiveModule(), args))["changed"]);
        Assert.Equal("one\n", File.ReadAllText(Path.Combine(dest, "one.txt")));
    }

    [Fact]
    public async Task Unarchive_skips_when_creates_exists_and_fails_for_a_missing_dest()
    {
        File.WriteAllText(_h.P("marker"), "");
        var skipped = await _h.Run(new UnarchiveModule(), D.Of("src", "x.tar", "dest", _h.Dir, "creates", _h.P("marker"), "remote_src", true));
        Assert.Equal(true, skipped["skipped"]);
        Assert.Equal($"skipped, since {_h.P("marker")} exists", skipped["msg"]);
        var bad = await _h.Run(new UnarchiveModule(), D.Of("src", "x.tar", "dest", _h.P("nope"), "remote_src", true));
        Assert.Equal($"dest '{_h.P("nope")}' must be an existing dir", bad["msg"]);
    }

    public void Dispose()
    {
        _http.Stop();
        _h.Dispose();
    }
}

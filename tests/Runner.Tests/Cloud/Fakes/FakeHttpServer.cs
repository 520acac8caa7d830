using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Runner.Tests.Cloud.Fakes;

/// <summary>A fake reply: status, content type, body.</summary>
public sealed record FakeReply(int Status, string ContentType, string Body);

/// <summary>One request as the fake saw it (RemoteAddress: the client's IP address).</summary>
public sealed record FakeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, string? RemoteAddress = null);

/// <summary>
/// A small HTTP server on 127.0.0.1 (or another local address) and a free port (System.Net.HttpListener) that hands
/// each request to a handler and records every request. Subclasses implement only the documented API calls they fake.
/// When <see cref="AllowedRemote"/> is set, a request from any other client address is answered 403 (and recorded).
/// </summary>
public abstract class FakeHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    protected FakeHttpServer(string bindAddress = "127.0.0.1")
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort(IPAddress.Parse(bindAddress));
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://{bindAddress}:{port}/");
            try { _listener.Start(); BaseUrl = $"http://{bindAddress}:{port}"; break; }
            catch (HttpListenerException) when (attempt < 5) { }
        }
        _ = Task.Run(LoopAsync);
    }

    /// <summary>Only this client address is served (others get 403); null serves everyone.</summary>
    public string? AllowedRemote { get; set; }

    /// <summary>http://ADDRESS:PORT (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request received, in order.</summary>
    public List<FakeRequest> Requests { get; } = new();

    protected abstract FakeReply Handle(FakeRequest req);

    private static int FreePort(IPAddress address)
    {
        var l = new TcpListener(address, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext c;
            try { c = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            try
            {
                using var reader = new StreamReader(c.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var headers = c.Request.Headers.AllKeys.Where(k => k is not null)
                    .ToDictionary(k => k!, k => c.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                var remote = c.Request.RemoteEndPoint?.Address.ToString();
                var req = new FakeRequest(c.Request.HttpMethod, c.Request.Url!.PathAndQuery, headers, body, remote);
                FakeReply reply;
                lock (Requests)
                {
                    Requests.Add(req);
                    if (AllowedRemote is { } allowed && remote != allowed)
                        reply = new FakeReply(403, "application/json",
                            $"{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"message\":\"only {allowed} may connect, not {remote}\",\"code\":403}}");
                    else
                    {
                        try { reply = Handle(req); }
                        catch (Exception e) { reply = new FakeReply(500, "text/plain", "fake crashed: " + e); }
                    }
                }
                var bytes = Encoding.UTF8.GetBytes(reply.Body);
                c.Response.StatusCode = reply.Status;
                c.Response.ContentType = reply.ContentType;
                c.Response.ContentLength64 = bytes.Length;
                await c.Response.OutputStream.WriteAsync(bytes);
                c.Response.Close();
            }
            catch (Exception) { try { c.Response.Abort(); } catch (Exception) { } }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); _listener.Close(); } catch (Exception) { }
    }
}

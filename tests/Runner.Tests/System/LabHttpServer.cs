using System.Net;
using System.Net.Sockets;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// A small HTTP server for lab tests, on the lab bridge address (reachable from the controller and the booted hosts)
/// and a port the kernel says is free. Every request goes to the test's handler; the server records each request's
/// method, path, remote address and Authorization header.
/// </summary>
public sealed class LabHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();

    /// <summary>One request as received.</summary>
    public sealed record Seen(string Method, string Path, string Remote, string? Authorization);

    /// <summary>Serves with <paramref name="handle"/>, which writes the response (the server closes it afterwards).</summary>
    public LabHttpServer(Func<HttpListenerContext, Task> handle)
    {
        var bridge = new Uri((string)Host.Vars["lab_apt_repo"]!).Host;
        var probe = new TcpListener(IPAddress.Parse(bridge), 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Base = $"http://{bridge}:{port}";
        _listener.Prefixes.Add(Base + "/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext c;
                try { c = await _listener.GetContextAsync(); } catch (Exception) { return; }
                lock (Requests) Requests.Add(new Seen(c.Request.HttpMethod, c.Request.Url!.PathAndQuery, c.Request.RemoteEndPoint.Address.ToString(), c.Request.Headers["Authorization"]));
                _ = Task.Run(async () =>
                {
                    try { await handle(c); }
                    catch (Exception) { c.Response.StatusCode = 500; }
                    try { c.Response.Close(); } catch (Exception) { /* the client went away */ }
                });
            }
        });
    }

    /// <summary>"http://BRIDGE:PORT", no trailing slash.</summary>
    public string Base { get; }

    /// <summary>Every request so far (lock it to read).</summary>
    public List<Seen> Requests { get; } = new();

    /// <summary>Writes <paramref name="body"/> with <paramref name="status"/> and the content type.</summary>
    public static async Task Reply(HttpListenerContext c, int status, string contentType, byte[] body)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = contentType;
        c.Response.ContentLength64 = body.Length;
        await c.Response.OutputStream.WriteAsync(body);
    }

    public void Dispose()
    {
        try { _listener.Close(); } catch (HttpListenerException) { /* already gone */ }
    }
}

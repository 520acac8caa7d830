using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Runner.Tests.Cloud.Fakes;

/// <summary>
/// A TLS server on 127.0.0.1 that serves a three-level chain made up at start: root CA (not sent), intermediate CA
/// and leaf for "localhost" (both sent, as a real server sends its chain without the root). Completes the handshake
/// and closes.
/// </summary>
public sealed class FakeTlsServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslStreamCertificateContext _context;

    public FakeTlsServer()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootReq = new CertificateRequest("CN=Fake Root CA", rootKey, HashAlgorithmName.SHA256);
        rootReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        Root = rootReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));

        using var intKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intReq = new CertificateRequest("CN=Fake Intermediate CA", intKey, HashAlgorithmName.SHA256);
        intReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        Intermediate = intReq.Create(Root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(4), new byte[] { 1, 2 }).CopyWithPrivateKey(intKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafReq = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        leafReq.CertificateExtensions.Add(san.Build());
        var leaf = leafReq.Create(Intermediate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), new byte[] { 3, 4 }).CopyWithPrivateKey(leafKey);
        Leaf = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pfx), null);
        _context = SslStreamCertificateContext.Create(Leaf, new X509Certificate2Collection { X509CertificateLoader.LoadCertificate(Intermediate.RawData) }, offline: true);

        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(LoopAsync);
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public X509Certificate2 Leaf { get; }
    public int Port { get; }

    private async Task LoopAsync()
    {
        while (true)
        {
            TcpClient c;
            try { c = await _listener.AcceptTcpClientAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                using (c)
                await using (var ssl = new SslStream(c.GetStream()))
                {
                    try { await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _context }); }
                    catch (Exception) { }
                }
            });
        }
    }

    public void Dispose() => _listener.Stop();
}

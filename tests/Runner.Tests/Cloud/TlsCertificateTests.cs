using System.Security.Cryptography;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Tls;
using Runner.Tests.Cloud.Fakes;
using Runner.Tests.Modules;

namespace Runner.Tests.Cloud;

public class TlsCertificateTests : IDisposable
{
    private readonly FakeTlsServer _tls = new();
    private readonly CloudHarness _h = new();

    public void Dispose() { _tls.Dispose(); _h.Dispose(); }

    private static string Sha1(byte[] raw) => Convert.ToHexStringLower(SHA1.HashData(raw));

    [Fact]
    public async Task ReturnsTheServedChainWithFingerprints()
    {
        var r = await _h.Run(new TlsCertificateModule(), D.Of("url", $"https://localhost:{_tls.Port}/x"));
        Assert.Null(r.Get("msg"));
        Assert.Equal(false, r["changed"]);
        var certs = ((List<object?>)r["certificates"]!).Cast<Dict>().ToList();
        Assert.Equal(new[] { "CN=localhost", "CN=Fake Intermediate CA" }, certs.Select(c => (string)c["subject"]!));
        Assert.Equal("CN=Fake Intermediate CA", certs[0]["issuer"]);
        Assert.Equal(Sha1(_tls.Leaf.RawData), certs[0]["sha1_fingerprint"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_tls.Leaf.RawData)), certs[0]["sha256_fingerprint"]);
        Assert.Equal(_tls.Leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), certs[0]["not_after"]);
        Assert.Equal(Sha1(_tls.Intermediate.RawData), r["oidc_thumbprint"]);
        Assert.Equal(false, r["expired"]);
    }

    [Fact]
    public async Task OidcThumbprintFollowsJwksUriHost()
    {
        using var issuer = new FakeOidcIssuer($"https://localhost:{_tls.Port}/keys");
        var thumb = await OidcThumbprint.ComputeAsync(issuer.BaseUrl, true, CancellationToken.None);
        Assert.Equal(Sha1(_tls.Intermediate.RawData), thumb);
    }

    [Fact]
    public async Task ClosedPortFailsWithHostAndReason()
    {
        var r = await _h.Run(new TlsCertificateModule(), D.Of("host", "127.0.0.1", "port", 1));
        Assert.Equal(true, r["failed"]);
        Assert.StartsWith("could not read the certificate chain of 127.0.0.1:1: ", (string)r["msg"]!);
    }

    private sealed class FakeOidcIssuer : FakeHttpServer
    {
        private readonly string _jwks;
        public FakeOidcIssuer(string jwks) => _jwks = jwks;

        protected override FakeReply Handle(FakeRequest req) => req.PathAndQuery == "/.well-known/openid-configuration"
            ? new FakeReply(200, "application/json", $$"""{"issuer":"{{BaseUrl}}","jwks_uri":"{{_jwks}}","response_types_supported":["id_token"]}""")
            : new FakeReply(404, "text/plain", "not found");
    }
}

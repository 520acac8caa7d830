using System.Globalization;
using System.Security.Authentication;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Runner.Engine.Values;

namespace Runner.Modules.Cloud.Tls;

/// <summary>A TLS handshake or connection failure, with the host and the reason.</summary>
public sealed class TlsChainException : Exception
{
    public TlsChainException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>One certificate of a served chain: subject and issuer (RFC 4514 text), validity (UTC), fingerprints (lowercase hex).</summary>
public sealed record CertInfo(string Subject, string Issuer, DateTime NotBefore, DateTime NotAfter, string Serial, string Sha1, string Sha256)
{
    /// <summary>The result shape: subject, issuer, not_before, not_after (ISO 8601 UTC), serial_number, sha1_fingerprint, sha256_fingerprint.</summary>
    public Dict ToDict() => new()
    {
        ["subject"] = Subject, ["issuer"] = Issuer,
        ["not_before"] = NotBefore.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["not_after"] = NotAfter.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["serial_number"] = Serial, ["sha1_fingerprint"] = Sha1, ["sha256_fingerprint"] = Sha256,
    };

    /// <summary>Reads one certificate.</summary>
    public static CertInfo From(X509Certificate2 c) => new(c.Subject, c.Issuer, c.NotBefore.ToUniversalTime(), c.NotAfter.ToUniversalTime(),
        c.SerialNumber.ToLowerInvariant(), Convert.ToHexStringLower(SHA1.HashData(c.RawData)), Convert.ToHexStringLower(SHA256.HashData(c.RawData)));
}

/// <summary>
/// Reads the certificate chain an HTTPS endpoint serves (what `openssl s_client -showcerts` lists: the leaf first,
/// then the certificates the server sent, in chain order). The chain is read, not trusted: validation errors are
/// ignored, since the point is to inspect it. Errors: <see cref="TlsChainException"/> for DNS, TCP or TLS failures.
/// </summary>
public static class TlsChain
{
    /// <summary>Connects to host:port with SNI <paramref name="serverName"/> (default: host) and returns the served chain.</summary>
    public static async Task<List<CertInfo>> FetchAsync(string host, int port, CancellationToken ct, string? serverName = null, int timeoutSeconds = 15)
    {
        List<CertInfo>? served = null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, cts.Token);
            await using var ssl = new SslStream(tcp.GetStream(), false, (_, cert, chain, _) =>
            {
                // The chain's certificates are disposed after the callback: read them now.
                served = Served(cert, chain).Select(CertInfo.From).ToList();
                return true;
            });
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName ?? host }, cts.Token);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            if (ct.IsCancellationRequested) throw;
            throw new TlsChainException($"could not read the certificate chain of {host}:{port}: {e.Message}", e);
        }
        if (served is null || served.Count == 0) throw new TlsChainException($"{host}:{port} presented no certificate");
        return served;
    }

    private static List<X509Certificate2> Served(X509Certificate? cert, X509Chain? chain)
    {
        var list = new List<X509Certificate2>();
        if (cert is null) return list;
        var leaf = cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
        var sent = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToList() ?? new();
        var elements = chain?.ChainElements.Select(e => e.Certificate).ToList() ?? new();
        list.Add(leaf);
        // Chain order first (leaf, its issuer, ...), keeping only certificates the server sent.
        foreach (var c in elements.Skip(1))
            if (sent.Any(s => s.Thumbprint == c.Thumbprint)) list.Add(c);
        foreach (var s in sent)
            if (list.All(c => c.Thumbprint != s.Thumbprint)) list.Add(s);
        return list;
    }
}

/// <summary>The thumbprint IAM wants for an OIDC issuer, computed as AWS documents it.</summary>
public static class OidcThumbprint
{
    /// <summary>
    /// Fetches {issuer}/.well-known/openid-configuration, takes the host of its jwks_uri and returns the SHA-1
    /// (40 lowercase hex digits) of the last certificate that host serves. Errors: <see cref="TlsChainException"/>.
    /// </summary>
    public static async Task<string> ComputeAsync(string issuerUrl, bool validateCerts, CancellationToken ct)
    {
        var configUrl = issuerUrl.TrimEnd('/') + "/.well-known/openid-configuration";
        Uri jwks;
        try
        {
            var text = await Common.CloudHttp.For(validateCerts).GetStringAsync(configUrl, ct);
            var doc = Common.JsonData.Parse(text) as Dict;
            jwks = new Uri(doc?.Get("jwks_uri") as string ?? throw new TlsChainException($"{configUrl} has no jwks_uri"));
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or UriFormatException)
        {
            throw new TlsChainException($"could not read {configUrl}: {e.Message}", e);
        }
        var chain = await TlsChain.FetchAsync(jwks.Host, jwks.Port, ct);
        return chain[^1].Sha1;
    }
}

namespace Runner.Modules.Cloud.Common;

/// <summary>Shared HttpClients for the cloud modules (one per certificate policy), 60 s timeout per request.</summary>
public static class CloudHttp
{
    private static readonly Lazy<HttpClient> Verified = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(60) });
    private static readonly Lazy<HttpClient> Unverified = new(() => new HttpClient(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    }) { Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>A client that checks server certificates unless <paramref name="validateCerts"/> is false.</summary>
    public static HttpClient For(bool validateCerts) => validateCerts ? Verified.Value : Unverified.Value;
}

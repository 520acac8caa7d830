using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Runner.Modules.Cloud.Aws;

/// <summary>
/// Signs an HTTP request with AWS Signature Version 4
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): builds the canonical request
/// (method, path, sorted query, host/x-amz-date/x-amz-content-sha256[/x-amz-security-token] headers, body SHA-256)
/// and lets AWSSDK.Core's AWS4Signer compute the signature, then sets Authorization, X-Amz-Date and, with a
/// session token, X-Amz-Security-Token.
/// </summary>
public static class SigV4
{
    /// <summary>Signs <paramref name="req"/> (its content must already be set) for <paramref name="service"/> in <paramref name="region"/>.</summary>
    public static async Task SignAsync(HttpRequestMessage req, AwsSettings s, string service, string region, CancellationToken ct)
    {
        var body = req.Content is null ? Array.Empty<byte>() : await req.Content.ReadAsByteArrayAsync(ct);
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var uri = req.RequestUri!;
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host, ["x-amz-content-sha256"] = bodyHash, ["x-amz-date"] = amzDate,
        };
        if (req.Content?.Headers.ContentType is { } ctype) headers["content-type"] = ctype.ToString();
        if (s.SessionToken is { } tok) headers["x-amz-security-token"] = tok;

        var query = string.Join('&', (uri.Query.TrimStart('?')).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => (k: Enc(Uri.UnescapeDataString(p[0])), v: Enc(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.k, StringComparer.Ordinal).ThenBy(p => p.v, StringComparer.Ordinal).Select(p => p.k + "=" + p.v));
        var path = string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath;
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(req.Method.Method).Append('\n').Append(path).Append('\n').Append(query).Append('\n')
            .Append(string.Concat(headers.Select(h => h.Key + ":" + h.Value.Trim() + "\n"))).Append('\n')
            .Append(signedHeaders).Append('\n').Append(bodyHash).ToString();

        var creds = new ImmutableCredentials(s.AccessKey, s.SecretKey, s.SessionToken);
        var result = AWS4Signer.ComputeSignature(creds, region, now, service, signedHeaders, canonical);
        req.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        req.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", bodyHash);
        if (s.SessionToken is { } t) req.Headers.TryAddWithoutValidation("X-Amz-Security-Token", t);
        var auth = result.ForAuthorizationHeader;
        if (!auth.StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal)) auth = "AWS4-HMAC-SHA256 " + auth.TrimStart(' ', ',');
        req.Headers.TryAddWithoutValidation("Authorization", auth);
    }

    /// <summary>RFC 3986 unreserved-only percent encoding, as SigV4 requires.</summary>
    public static string Enc(string s) => Uri.EscapeDataString(s);
}

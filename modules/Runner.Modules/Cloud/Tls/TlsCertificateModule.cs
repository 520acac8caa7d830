using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Tls;

/// <summary>
/// tls_certificate (Runner's own; shaped like community.crypto.get_certificate): reads the certificate chain an
/// HTTPS endpoint serves. Options: url (https://host[:port]/...) or host + port (443), server_name (SNI).
/// Returns certificates: [{subject, issuer, not_before, not_after, serial_number, sha1_fingerprint,
/// sha256_fingerprint}] leaf first, expired (leaf past not_after), and oidc_thumbprint (SHA-1 of the last
/// certificate, the value IAM wants for an OIDC provider). A read: the plan has no step.
/// </summary>
public sealed class TlsCertificateModule : PlanningModule
{
    public override string Name => "tls_certificate";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("url"), new("host"), new("port", OptionType.Int, Default: 443L), new("server_name"),
        new("timeout", OptionType.Int, Default: 15L),
    }, RunsOnController: true) { NeedsConnection = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        string host;
        int port;
        if (a.Str("url") is { } url)
        {
            if (!Uri.TryCreate(url.Contains("://") ? url : "https://" + url, UriKind.Absolute, out var u))
                return Plan.Fail($"url '{url}' is not a valid URL");
            (host, port) = (u.Host, u.Port);
        }
        else if (a.Str("host") is { } h) (host, port) = (h, (int)a.Long("port", 443));
        else return Plan.Fail("one of the following is required: url, host");
        try
        {
            var chain = await TlsChain.FetchAsync(host, port, ct, a.Str("server_name"), (int)a.Long("timeout", 15));
            return Plan.Ok(new Dict
            {
                ["certificates"] = chain.Select(c => (object?)c.ToDict()).ToList(),
                ["expired"] = chain[0].NotAfter < DateTime.UtcNow,
                ["oidc_thumbprint"] = chain[^1].Sha1,
            });
        }
        catch (TlsChainException e)
        {
            return Plan.Fail(e.Message);
        }
    }
}

using System.Xml.Linq;
using Runner.Modules.Cloud.Common;
using P = System.Collections.Generic.KeyValuePair<string, string>;

namespace Runner.Modules.Cloud.Aws;

/// <summary>An IAM OpenID Connect provider as GetOpenIDConnectProvider describes it (Url without "https://").</summary>
public sealed record OidcProvider(string Arn, string Url, List<string> ClientIds, List<string> Thumbprints,
    Dictionary<string, string> Tags, string? CreateDate);

/// <summary>An IAM role as GetRole describes it; <see cref="AssumeRolePolicyDocument"/> is the decoded JSON text.</summary>
public sealed record IamRole(string RoleName, string Path, string RoleId, string Arn, string? CreateDate,
    string AssumeRolePolicyDocument, string? Description, long MaxSessionDuration, Dictionary<string, string> Tags);

/// <summary>A managed policy attached to a role (ListAttachedRolePolicies).</summary>
public sealed record AttachedPolicy(string PolicyName, string PolicyArn);

/// <summary>
/// Typed IAM Query API calls (https://docs.aws.amazon.com/IAM/latest/APIReference/, version 2010-05-08) used by the
/// iam_* modules, shaped like AWSSDK.IdentityManagement's operations so that SDK can replace this class later.
/// IAM is a global service: requests go to AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL or https://iam.amazonaws.com
/// and are signed for region us-east-1. Errors: <see cref="CloudApiException"/> (Code "NoSuchEntity" for a missing object).
/// </summary>
public sealed class IamClient
{
    private readonly AwsQueryClient _q;

    public IamClient(HttpClient http, AwsSettings settings) =>
        _q = new AwsQueryClient(http, settings, "iam", "2010-05-08", "us-east-1", "https://iam.amazonaws.com/");

    private Task<XElement> Call(string action, CancellationToken ct, params IEnumerable<P>[] ps) =>
        _q.CallAsync(action, ps.SelectMany(p => p), ct);

    private static IEnumerable<P> One(string k, string? v) => v is null ? Array.Empty<P>() : new[] { new P(k, v) };

    // --- OpenID Connect providers ---

    /// <summary>ListOpenIDConnectProviders: the ARNs of all providers.</summary>
    public async Task<List<string>> ListOpenIdConnectProvidersAsync(CancellationToken ct) =>
        (await Call("ListOpenIDConnectProviders", ct)).Members("OpenIDConnectProviderList").Select(m => m.Child("Arn") ?? "").ToList();

    /// <summary>GetOpenIDConnectProvider.</summary>
    public async Task<OidcProvider> GetOpenIdConnectProviderAsync(string arn, CancellationToken ct)
    {
        var r = await Call("GetOpenIDConnectProvider", ct, One("OpenIDConnectProviderArn", arn));
        return new OidcProvider(arn, r.Child("Url") ?? "", r.Members("ClientIDList").Select(m => m.Value).ToList(),
            r.Members("ThumbprintList").Select(m => m.Value).ToList(), r.Tags(), r.Child("CreateDate"));
    }

    /// <summary>CreateOpenIDConnectProvider; returns the new ARN.</summary>
    public async Task<string> CreateOpenIdConnectProviderAsync(string url, IEnumerable<string> clientIds, IEnumerable<string> thumbprints,
        IEnumerable<P> tags, CancellationToken ct) =>
        (await Call("CreateOpenIDConnectProvider", ct, One("Url", url), XmlReply.ListParams("ClientIDList", clientIds),
            XmlReply.ListParams("ThumbprintList", thumbprints), XmlReply.TagParams(tags))).Child("OpenIDConnectProviderArn") ?? "";

    /// <summary>AddClientIDToOpenIDConnectProvider.</summary>
    public Task AddClientIdAsync(string arn, string clientId, CancellationToken ct) =>
        Call("AddClientIDToOpenIDConnectProvider", ct, One("OpenIDConnectProviderArn", arn), One("ClientID", clientId));

    /// <summary>RemoveClientIDFromOpenIDConnectProvider.</summary>
    public Task RemoveClientIdAsync(string arn, string clientId, CancellationToken ct) =>
        Call("RemoveClientIDFromOpenIDConnectProvider", ct, One("OpenIDConnectProviderArn", arn), One("ClientID", clientId));

    /// <summary>UpdateOpenIDConnectProviderThumbprint (replaces the whole list).</summary>
    public Task UpdateThumbprintsAsync(string arn, IEnumerable<string> thumbprints, CancellationToken ct) =>
        Call("UpdateOpenIDConnectProviderThumbprint", ct, One("OpenIDConnectProviderArn", arn), XmlReply.ListParams("ThumbprintList", thumbprints));

    /// <summary>TagOpenIDConnectProvider.</summary>
    public Task TagOpenIdConnectProviderAsync(string arn, IEnumerable<P> tags, CancellationToken ct) =>
        Call("TagOpenIDConnectProvider", ct, One("OpenIDConnectProviderArn", arn), XmlReply.TagParams(tags));

    /// <summary>UntagOpenIDConnectProvider.</summary>
    public Task UntagOpenIdConnectProviderAsync(string arn, IEnumerable<string> keys, CancellationToken ct) =>
        Call("UntagOpenIDConnectProvider", ct, One("OpenIDConnectProviderArn", arn), XmlReply.ListParams("TagKeys", keys));

    /// <summary>DeleteOpenIDConnectProvider.</summary>
    public Task DeleteOpenIdConnectProviderAsync(string arn, CancellationToken ct) =>
        Call("DeleteOpenIDConnectProvider", ct, One("OpenIDConnectProviderArn", arn));

    // --- Roles ---

    /// <summary>GetRole; null when IAM answers NoSuchEntity.</summary>
    public async Task<IamRole?> GetRoleAsync(string name, CancellationToken ct)
    {
        XElement r;
        try { r = await Call("GetRole", ct, One("RoleName", name)); }
        catch (CloudApiException e) when (e.Code == "NoSuchEntity") { return null; }
        var role = r.El("Role") ?? r;
        return new IamRole(role.Child("RoleName") ?? name, role.Child("Path") ?? "/", role.Child("RoleId") ?? "", role.Child("Arn") ?? "",
            role.Child("CreateDate"), Uri.UnescapeDataString(role.Child("AssumeRolePolicyDocument") ?? "{}"), role.Child("Description"),
            long.TryParse(role.Child("MaxSessionDuration"), out var m) ? m : 3600, role.Tags());
    }

    /// <summary>CreateRole; returns the new role.</summary>
    public async Task<IamRole> CreateRoleAsync(string name, string path, string policy, string? description, long? maxSession,
        IEnumerable<P> tags, CancellationToken ct)
    {
        await Call("CreateRole", ct, One("RoleName", name), One("Path", path), One("AssumeRolePolicyDocument", policy),
            One("Description", description), One("MaxSessionDuration", maxSession?.ToString()), XmlReply.TagParams(tags));
        return (await GetRoleAsync(name, ct))!;
    }

    /// <summary>UpdateRole (description and max session duration).</summary>
    public Task UpdateRoleAsync(string name, string? description, long? maxSession, CancellationToken ct) =>
        Call("UpdateRole", ct, One("RoleName", name), One("Description", description), One("MaxSessionDuration", maxSession?.ToString()));

    /// <summary>UpdateAssumeRolePolicy.</summary>
    public Task UpdateAssumeRolePolicyAsync(string name, string policy, CancellationToken ct) =>
        Call("UpdateAssumeRolePolicy", ct, One("RoleName", name), One("PolicyDocument", policy));

    /// <summary>ListAttachedRolePolicies, following Marker pages.</summary>
    public async Task<List<AttachedPolicy>> ListAttachedRolePoliciesAsync(string name, CancellationToken ct)
    {
        var all = new List<AttachedPolicy>();
        string? marker = null;
        do
        {
            var r = await Call("ListAttachedRolePolicies", ct, One("RoleName", name), One("Marker", marker));
            all.AddRange(r.Members("AttachedPolicies").Select(m => new AttachedPolicy(m.Child("PolicyName") ?? "", m.Child("PolicyArn") ?? "")));
            marker = r.Child("IsTruncated") == "true" ? r.Child("Marker") : null;
        } while (marker is not null);
        return all;
    }

    /// <summary>AttachRolePolicy.</summary>
    public Task AttachRolePolicyAsync(string name, string arn, CancellationToken ct) =>
        Call("AttachRolePolicy", ct, One("RoleName", name), One("PolicyArn", arn));

    /// <summary>DetachRolePolicy.</summary>
    public Task DetachRolePolicyAsync(string name, string arn, CancellationToken ct) =>
        Call("DetachRolePolicy", ct, One("RoleName", name), One("PolicyArn", arn));

    /// <summary>ListRoleTags.</summary>
    public async Task<Dictionary<string, string>> ListRoleTagsAsync(string name, CancellationToken ct) =>
        (await Call("ListRoleTags", ct, One("RoleName", name))).Tags();

    /// <summary>TagRole.</summary>
    public Task TagRoleAsync(string name, IEnumerable<P> tags, CancellationToken ct) =>
        Call("TagRole", ct, One("RoleName", name), XmlReply.TagParams(tags));

    /// <summary>UntagRole.</summary>
    public Task UntagRoleAsync(string name, IEnumerable<string> keys, CancellationToken ct) =>
        Call("UntagRole", ct, One("RoleName", name), XmlReply.ListParams("TagKeys", keys));

    /// <summary>DeleteRole (managed policies must be detached first, else IAM answers DeleteConflict).</summary>
    public Task DeleteRoleAsync(string name, CancellationToken ct) => Call("DeleteRole", ct, One("RoleName", name));
}

/// <summary>STS GetCallerIdentity (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).</summary>
public sealed class StsClient
{
    private readonly AwsQueryClient _q;

    /// <summary>Signs for the settings' region (us-east-1 when none) and uses AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL or the regional endpoint.</summary>
    public StsClient(HttpClient http, AwsSettings settings)
    {
        var region = settings.Region ?? "us-east-1";
        _q = new AwsQueryClient(http, settings, "sts", "2011-06-15", region, $"https://sts.{region}.amazonaws.com/");
    }

    /// <summary>Account, Arn and UserId of the calling identity.</summary>
    public async Task<(string Account, string Arn, string UserId)> GetCallerIdentityAsync(CancellationToken ct)
    {
        var r = await _q.CallAsync("GetCallerIdentity", Array.Empty<P>(), ct);
        return (r.Child("Account") ?? "", r.Child("Arn") ?? "", r.Child("UserId") ?? "");
    }
}

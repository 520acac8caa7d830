using Runner.Engine.Values;
using Runner.Modules.Cloud.Aws;
using Runner.Tests.Cloud.Fakes;
using Runner.Tests.Modules;

namespace Runner.Tests.Cloud;

public class IamOidcProviderTests : IDisposable
{
    private readonly FakeIam _iam = new();
    private readonly CloudHarness _h = new();
    private readonly IamOidcProviderModule _m = new() { ThumbprintResolver = (_, _, _) => Task.FromResult("9e99a48a9960b14926bb7f3b02e22da2b0ab7280") };
    private const string Url = "https://oidc.example.test";

    public IamOidcProviderTests()
    {
        _h.Env["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
        _h.Env["AWS_SECRET_ACCESS_KEY"] = "secret";
        _h.Env["AWS_ENDPOINT_URL_IAM"] = _iam.BaseUrl;
    }

    public void Dispose() { _iam.Dispose(); _h.Dispose(); }

    private Dict Args(params object?[] extra)
    {
        var d = D.Of("url", Url, "client_id_list", new List<object?> { "sts.amazonaws.com" });
        foreach (var (k, v) in D.Of(extra)) d[k] = v;
        return d;
    }

    [Fact]
    public async Task CreateThenNoChangeThenUpdateThenDelete()
    {
        var r1 = await _h.Run(_m, Args("tags", D.Of("env", "test")));
        Assert.Equal(true, r1["changed"]);
        Assert.Equal("arn:aws:iam::123456789012:oidc-provider/oidc.example.test", r1["arn"]);
        Assert.Equal(new[] { "CreateOpenIDConnectProvider" }, _iam.Writes);
        var p = _iam.Providers.Values.Single();
        Assert.Equal(new[] { "9e99a48a9960b14926bb7f3b02e22da2b0ab7280" }, p.Thumbprints);
        Assert.Equal("test", p.Tags["env"]);

        var r2 = await _h.Run(_m, Args("tags", D.Of("env", "test")));
        Assert.Equal(false, r2["changed"]);
        Assert.Single(_iam.Writes);

        var r3 = await _h.Run(_m, D.Of("url", Url + "/", "client_id_list", new List<object?> { "other" },
            "thumbprint_list", new List<object?> { "A".PadRight(40, '0') }));
        Assert.Equal(true, r3["changed"]);
        Assert.Equal(new[] { "AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint" },
            _iam.Writes.Skip(1));
        Assert.Equal(new[] { "other" }, p.ClientIds);
        Assert.Equal(new[] { "a".PadRight(40, '0') }, p.Thumbprints);

        var r4 = await _h.Run(_m, D.Of("url", Url, "state", "absent"));
        Assert.Equal(true, r4["changed"]);
        Assert.Empty(_iam.Providers);
        var r5 = await _h.Run(_m, D.Of("url", Url, "state", "absent"));
        Assert.Equal(false, r5["changed"]);
        Assert.Empty(_iam.SignatureFaults);
    }

    [Fact]
    public async Task CheckModeSendsNoWriteAndShowsDiff()
    {
        var r = await _h.Run(_m, Args(), check: true, diff: true);
        Assert.Equal(true, r["changed"]);
        Assert.Empty(_iam.Writes);
        var after = (Dict)((Dict)r["diff"]!)["after"]!;
        Assert.Equal("oidc.example.test", after["url"]);
        await _h.Run(_m, Args());
        var r2 = await _h.Run(_m, D.Of("url", Url, "state", "absent"), check: true);
        Assert.Equal(true, r2["changed"]);
        Assert.Single(_iam.Writes);
        Assert.Single(_iam.Providers);
    }

    [Fact]
    public async Task AnUpdateInCheckModeSendsNoWriteAndDiffsThePlannedProvider()
    {
        await _h.Run(_m, Args());
        var r = await _h.Run(_m, Args("client_id_list", new List<object?> { "sts.amazonaws.com", "extra" }), check: true, diff: true);
        Assert.Equal(true, r["changed"]);
        Assert.Single(_iam.Writes);
        var diff = (Dict)r["diff"]!;
        Assert.Equal(new List<object?> { "sts.amazonaws.com" }, ((Dict)diff["before"]!)["client_id_list"]);
        Assert.Equal(new List<object?> { "sts.amazonaws.com", "extra" }, ((Dict)diff["after"]!)["client_id_list"]);
        var applied = await _h.Run(_m, Args("client_id_list", new List<object?> { "sts.amazonaws.com", "extra" }), diff: true);
        Assert.Equal(new[] { "CreateOpenIDConnectProvider", "AddClientIDToOpenIDConnectProvider" }, _iam.Writes);
        Assert.Equal(new List<object?> { "sts.amazonaws.com", "extra" }, ((Dict)applied["open_id_connect_provider"]!)["client_id_list"]);
        Assert.IsType<Dict>(applied["diff"]); // one diff, the provider read back
        Assert.Equal(false, (await _h.Run(_m, Args("client_id_list", new List<object?> { "sts.amazonaws.com", "extra" })))["changed"]);
    }

    [Fact]
    public async Task EveryRequestIsSignedForIamInUsEast1()
    {
        _h.Env["AWS_REGION"] = "eu-central-1";
        await _h.Run(_m, Args());
        Assert.All(_iam.Requests, r => Assert.Matches(
            @"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/us-east-1/iam/aws4_request, ?SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, ?Signature=[0-9a-f]{64}$",
            r.Headers["Authorization"]));
        Assert.Empty(_iam.SignatureFaults);
    }

    [Fact]
    public async Task ThrottlingIsRetriedThenSucceeds()
    {
        _iam.ThrottleNext = 2;
        var r = await _h.Run(_m, Args());
        Assert.Equal(true, r["changed"]);
        Assert.Single(_iam.Providers);
    }

    [Fact]
    public async Task PersistentAccessDeniedFailsWithTheApiMessageWithoutRetries()
    {
        _iam.DenyAll = true;
        var r = await _h.Run(_m, Args());
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Failed to manage the OpenID Connect provider for https://oidc.example.test: An error occurred (AccessDenied) when calling the " +
            "ListOpenIDConnectProviders operation: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:ListOpenIDConnectProviders " +
            "because no identity-based policy allows the iam:ListOpenIDConnectProviders action", r["msg"]);
        Assert.Single(_iam.Requests);
    }

    [Fact]
    public async Task MissingCredentialsFailClearly()
    {
        _h.Env.Remove("AWS_ACCESS_KEY_ID");
        var r = await _h.Run(_m, Args());
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Failed to manage the OpenID Connect provider for https://oidc.example.test: NoCredentialsError: Unable to locate credentials", r["msg"]);
        Assert.Empty(_iam.Requests);
    }

    [Fact]
    public async Task ProfileFromSharedCredentialsFile()
    {
        _h.Env.Remove("AWS_ACCESS_KEY_ID");
        Directory.CreateDirectory(Path.Combine(_h.Dir, ".aws"));
        File.WriteAllText(Path.Combine(_h.Dir, ".aws", "credentials"), "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = x\n\n[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = y\n");
        await _h.Run(_m, Args("profile", "ci"));
        Assert.Contains("Credential=AKIDPROFILE/", _iam.Requests[0].Headers["Authorization"]);
    }
}

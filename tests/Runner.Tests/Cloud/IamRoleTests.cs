using Runner.Engine.Values;
using Runner.Modules.Cloud.Aws;
using Runner.Tests.Cloud.Fakes;
using Runner.Tests.Modules;

namespace Runner.Tests.Cloud;

public class IamRoleTests : IDisposable
{
    private readonly FakeIam _iam = new();
    private readonly CloudHarness _h = new();
    private readonly IamRoleModule _m = new();

    public IamRoleTests()
    {
        _h.Env["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
        _h.Env["AWS_SECRET_ACCESS_KEY"] = "secret";
        _h.Env["AWS_ENDPOINT_URL"] = _iam.BaseUrl;
    }

    public void Dispose() { _iam.Dispose(); _h.Dispose(); }

    private static Dict Policy() => D.Of("Version", "2012-10-17", "Statement", new List<object?>
    {
        D.Of("Effect", "Allow", "Principal", D.Of("Federated", "arn:aws:iam::123456789012:oidc-provider/oidc.example.test"),
            "Action", new List<object?> { "sts:AssumeRoleWithWebIdentity" }),
    });

    private Dict Args(params object?[] extra)
    {
        var d = D.Of("name", "demo", "assume_role_policy_document", Policy(), "description", "demo role",
            "managed_policies", new List<object?> { "arn:aws:iam::aws:policy/ReadOnlyAccess" }, "tags", D.Of("team", "x"));
        foreach (var (k, v) in D.Of(extra)) d[k] = v;
        return d;
    }

    [Fact]
    public async Task CreateThenSemanticallyEqualPolicyIsNoChange()
    {
        var r1 = await _h.Run(_m, Args());
        Assert.Equal(true, r1["changed"]);
        var role = (Dict)r1["iam_role"]!;
        Assert.Equal("arn:aws:iam::123456789012:role/demo", role["arn"]);
        Assert.StartsWith("AROA", (string)role["role_id"]!);
        Assert.Equal(new[] { "CreateRole", "AttachRolePolicy" }, _iam.Writes);

        // Same policy as JSON text, keys reordered, Action as a single value instead of a one-item list.
        const string json = """{"Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.example.test"},"Effect":"Allow"}],"Version":"2012-10-17"}""";
        var r2 = await _h.Run(_m, Args("assume_role_policy_document", json));
        Assert.Equal(false, r2["changed"]);
        Assert.Equal(2, _iam.Writes.Count);
        Assert.Empty(_iam.SignatureFaults);
    }

    [Fact]
    public async Task OneFieldDifferingUpdatesOnlyThatField()
    {
        await _h.Run(_m, Args());
        var r = await _h.Run(_m, Args("description", "changed"), diff: true);
        Assert.Equal(true, r["changed"]);
        Assert.Equal(new[] { "UpdateRole" }, _iam.Writes.Skip(2));
        Assert.Equal("changed", _iam.Roles["demo"].Description);
        var diff = (Dict)r["diff"]!;
        Assert.Equal("demo role", ((Dict)diff["before"]!)["description"]);
        Assert.Equal("changed", ((Dict)diff["after"]!)["description"]);

        var statement = (Dict)((List<object?>)Policy()["Statement"]!)[0]!;
        statement["Condition"] = D.Of("StringEquals", D.Of("oidc.example.test:aud", "sts.amazonaws.com"));
        var p = Policy();
        ((List<object?>)p["Statement"]!)[0] = statement;
        await _h.Run(_m, Args("description", "changed", "assume_role_policy_document", p,
            "managed_policies", new List<object?> { "arn:aws:iam::aws:policy/PowerUserAccess" }));
        Assert.Equal(new[] { "UpdateAssumeRolePolicy", "AttachRolePolicy", "DetachRolePolicy" }, _iam.Writes.Skip(3));
        Assert.Equal(new[] { "arn:aws:iam::aws:policy/PowerUserAccess" }, _iam.Roles["demo"].Policies);
    }

    [Fact]
    public async Task AbsentDetachesAndDeletes_CheckModeWritesNothing()
    {
        var c = await _h.Run(_m, Args(), check: true);
        Assert.Equal(true, c["changed"]);
        Assert.Empty(_iam.Writes);
        await _h.Run(_m, Args());
        var c2 = await _h.Run(_m, Args("description", "other"), check: true);
        Assert.Equal(true, c2["changed"]);
        Assert.Equal(2, _iam.Writes.Count);
        var r = await _h.Run(_m, D.Of("name", "demo", "state", "absent"));
        Assert.Equal(true, r["changed"]);
        Assert.Equal(new[] { "DetachRolePolicy", "DeleteRole" }, _iam.Writes.Skip(2));
        Assert.Empty(_iam.Roles);
        Assert.Equal(false, (await _h.Run(_m, D.Of("name", "demo", "state", "absent")))["changed"]);
    }

    [Fact]
    public async Task CreateWithoutPolicyFailsNamingTheRole()
    {
        var r = await _h.Run(_m, D.Of("name", "ghost"));
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Role ghost does not exist: assume_role_policy_document is required to create it", r["msg"]);
    }

    [Fact]
    public async Task CallerInfoSignsForSts()
    {
        var r = await _h.Run(new AwsCallerInfoModule(), D.Of());
        Assert.Equal(false, r["changed"]);
        Assert.Equal("123456789012", r["account"]);
        Assert.Equal("arn:aws:iam::123456789012:user/ci", r["arn"]);
        Assert.Equal("AIDAEXAMPLE", r["user_id"]);
        Assert.Empty(_iam.SignatureFaults);
    }
}

using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace Runner.Tests.Cloud.Fakes;

/// <summary>
/// Fake IAM (Query API 2010-05-08) and STS GetCallerIdentity: form-encoded POSTs, XML replies in the documented
/// shapes, documented error codes (NoSuchEntity 404, EntityAlreadyExists 409, DeleteConflict 409, InvalidAction 400,
/// Throttling 400, AccessDenied 403). Every request must carry a SigV4 Authorization header whose credential scope
/// is us-east-1 and service iam (sts for GetCallerIdentity); otherwise the fake answers 403 and records the fault.
/// </summary>
public sealed class FakeIam : FakeHttpServer
{
    private const string Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private const string Account = "123456789012";

    public sealed class Provider
    {
        public string Url = "";
        public List<string> ClientIds = new();
        public List<string> Thumbprints = new();
        public Dictionary<string, string> Tags = new();
    }

    public sealed class Role
    {
        public string Name = "", Path = "/", Id = "", Policy = "", Description = "";
        public long MaxSession = 3600;
        public List<string> Policies = new();
        public Dictionary<string, string> Tags = new();
    }

    public Dictionary<string, Provider> Providers { get; } = new();
    public Dictionary<string, Role> Roles { get; } = new();

    /// <summary>Actions that change state, in order.</summary>
    public List<string> Writes { get; } = new();

    /// <summary>Signature problems found (should stay empty).</summary>
    public List<string> SignatureFaults { get; } = new();

    /// <summary>Answer the next N requests with 400 Throttling.</summary>
    public int ThrottleNext { get; set; }

    /// <summary>Answer every request with 403 AccessDenied.</summary>
    public bool DenyAll { get; set; }

    private static readonly HashSet<string> WriteActions = new()
    {
        "CreateOpenIDConnectProvider", "AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider",
        "UpdateOpenIDConnectProviderThumbprint", "DeleteOpenIDConnectProvider", "TagOpenIDConnectProvider", "UntagOpenIDConnectProvider",
        "CreateRole", "UpdateRole", "UpdateAssumeRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "DeleteRole", "TagRole", "UntagRole",
    };

    protected override FakeReply Handle(FakeRequest req)
    {
        var form = ParseForm(req.Body);
        var action = form.GetValueOrDefault("Action") ?? "";
        var service = action == "GetCallerIdentity" ? "sts" : "iam";
        var auth = req.Headers.GetValueOrDefault("Authorization") ?? "";
        var m = Regex.Match(auth, @"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$");
        if (!m.Success || m.Groups[3].Value != "us-east-1" || m.Groups[4].Value != service || !m.Groups[5].Value.Split(';').Contains("host")
            || !req.Headers.ContainsKey("X-Amz-Date"))
        {
            SignatureFaults.Add($"{action}: {auth}");
            return Error(403, "Sender", "IncompleteSignature", "Authorization header requires a SigV4 signature for " + service + "/us-east-1.");
        }
        if (req.Method != "POST" || form.GetValueOrDefault("Version") != (service == "sts" ? "2011-06-15" : "2010-05-08"))
            return Error(400, "Sender", "InvalidAction", $"Could not find operation {action} for version {form.GetValueOrDefault("Version")}");
        if (ThrottleNext > 0) { ThrottleNext--; return Error(400, "Sender", "Throttling", "Rate exceeded"); }
        if (DenyAll)
            return Error(403, "Sender", "AccessDenied",
                $"User: arn:aws:iam::{Account}:user/ci is not authorized to perform: iam:{action} because no identity-based policy allows the iam:{action} action");
        if (WriteActions.Contains(action)) Writes.Add(action);
        return action switch
        {
            "GetCallerIdentity" => Ok(action, $"<Arn>arn:aws:iam::{Account}:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>{Account}</Account>",
                "https://sts.amazonaws.com/doc/2011-06-15/"),
            "ListOpenIDConnectProviders" => Ok(action, "<OpenIDConnectProviderList>" +
                string.Concat(Providers.Keys.Select(a => $"<member><Arn>{a}</Arn></member>")) + "</OpenIDConnectProviderList>"),
            "GetOpenIDConnectProvider" => WithProvider(form, p => Ok(action,
                $"<ThumbprintList>{Members(p.Thumbprints)}</ThumbprintList><CreateDate>2024-01-01T00:00:00Z</CreateDate>" +
                $"<ClientIDList>{Members(p.ClientIds)}</ClientIDList><Url>{X(p.Url)}</Url><Tags>{TagXml(p.Tags)}</Tags>")),
            "CreateOpenIDConnectProvider" => CreateProvider(form),
            "AddClientIDToOpenIDConnectProvider" => WithProvider(form, p =>
            {
                if (!p.ClientIds.Contains(form["ClientID"])) p.ClientIds.Add(form["ClientID"]);
                return Ok(action, null);
            }),
            "RemoveClientIDFromOpenIDConnectProvider" => WithProvider(form, p => { p.ClientIds.Remove(form["ClientID"]); return Ok(action, null); }),
            "UpdateOpenIDConnectProviderThumbprint" => WithProvider(form, p => { p.Thumbprints = List(form, "ThumbprintList"); return Ok(action, null); }),
            "TagOpenIDConnectProvider" => WithProvider(form, p => { foreach (var (k, v) in Tags(form)) p.Tags[k] = v; return Ok(action, null); }),
            "UntagOpenIDConnectProvider" => WithProvider(form, p => { foreach (var k in List(form, "TagKeys")) p.Tags.Remove(k); return Ok(action, null); }),
            "DeleteOpenIDConnectProvider" => WithProvider(form, _ => { Providers.Remove(form["OpenIDConnectProviderArn"]); return Ok(action, null); }),
            "GetRole" => WithRole(form, r => Ok(action, "<Role>" + RoleXml(r) + "</Role>")),
            "CreateRole" => CreateRole(form),
            "UpdateRole" => WithRole(form, r =>
            {
                if (form.TryGetValue("Description", out var d)) r.Description = d;
                if (form.TryGetValue("MaxSessionDuration", out var s)) r.MaxSession = long.Parse(s);
                return Ok(action, null);
            }),
            "UpdateAssumeRolePolicy" => WithRole(form, r => { r.Policy = form["PolicyDocument"]; return Ok(action, null); }),
            "ListAttachedRolePolicies" => WithRole(form, r => Ok(action, "<IsTruncated>false</IsTruncated><AttachedPolicies>" +
                string.Concat(r.Policies.Select(p => $"<member><PolicyName>{p.Split('/')[^1]}</PolicyName><PolicyArn>{p}</PolicyArn></member>")) + "</AttachedPolicies>")),
            "AttachRolePolicy" => WithRole(form, r => { if (!r.Policies.Contains(form["PolicyArn"])) r.Policies.Add(form["PolicyArn"]); return Ok(action, null); }),
            "DetachRolePolicy" => WithRole(form, r => r.Policies.Remove(form["PolicyArn"]) ? Ok(action, null)
                : Error(404, "Sender", "NoSuchEntity", $"Policy {form["PolicyArn"]} was not found.")),
            "ListRoleTags" => WithRole(form, r => Ok(action, $"<IsTruncated>false</IsTruncated><Tags>{TagXml(r.Tags)}</Tags>")),
            "TagRole" => WithRole(form, r => { foreach (var (k, v) in Tags(form)) r.Tags[k] = v; return Ok(action, null); }),
            "UntagRole" => WithRole(form, r => { foreach (var k in List(form, "TagKeys")) r.Tags.Remove(k); return Ok(action, null); }),
            "DeleteRole" => WithRole(form, r => r.Policies.Count > 0
                ? Error(409, "Sender", "DeleteConflict", "Cannot delete entity, must detach all policies first.")
                : Ok(action, null, remove: () => Roles.Remove(r.Name))),
            _ => Error(400, "Sender", "InvalidAction", $"Could not find operation {action} for version 2010-05-08"),
        };
    }

    private FakeReply CreateProvider(Dictionary<string, string> form)
    {
        var url = form.GetValueOrDefault("Url") ?? "";
        if (!url.StartsWith("https://")) return Error(400, "Sender", "ValidationError", "Url must begin with https://");
        var bare = url[8..];
        var arn = $"arn:aws:iam::{Account}:oidc-provider/{bare}";
        if (Providers.ContainsKey(arn)) return Error(409, "Sender", "EntityAlreadyExists", $"Provider with url {url} already exists.");
        Providers[arn] = new Provider { Url = bare, ClientIds = List(form, "ClientIDList"), Thumbprints = List(form, "ThumbprintList"), Tags = Tags(form) };
        return Ok("CreateOpenIDConnectProvider", $"<OpenIDConnectProviderArn>{arn}</OpenIDConnectProviderArn>");
    }

    private FakeReply CreateRole(Dictionary<string, string> form)
    {
        var name = form["RoleName"];
        if (Roles.ContainsKey(name)) return Error(409, "Sender", "EntityAlreadyExists", $"Role with name {name} already exists.");
        var r = new Role
        {
            Name = name, Path = form.GetValueOrDefault("Path") ?? "/", Id = "AROA" + Math.Abs(name.GetHashCode()).ToString("X").PadLeft(12, '0'),
            Policy = form["AssumeRolePolicyDocument"], Description = form.GetValueOrDefault("Description") ?? "",
            MaxSession = form.TryGetValue("MaxSessionDuration", out var s) ? long.Parse(s) : 3600, Tags = Tags(form),
        };
        Roles[name] = r;
        return Ok("CreateRole", "<Role>" + RoleXml(r) + "</Role>");
    }

    private static string RoleXml(Role r) =>
        $"<Path>{X(r.Path)}</Path><RoleName>{X(r.Name)}</RoleName><RoleId>{r.Id}</RoleId><Arn>arn:aws:iam::{Account}:role{X(r.Path)}{X(r.Name)}</Arn>" +
        $"<CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>{X(Uri.EscapeDataString(r.Policy))}</AssumeRolePolicyDocument>" +
        (r.Description.Length > 0 ? $"<Description>{X(r.Description)}</Description>" : "") +
        $"<MaxSessionDuration>{r.MaxSession}</MaxSessionDuration>" + (r.Tags.Count > 0 ? $"<Tags>{TagXml(r.Tags)}</Tags>" : "");

    private FakeReply WithProvider(Dictionary<string, string> form, Func<Provider, FakeReply> f)
    {
        var arn = form.GetValueOrDefault("OpenIDConnectProviderArn") ?? "";
        return Providers.TryGetValue(arn, out var p) ? f(p) : Error(404, "Sender", "NoSuchEntity", $"OpenIDConnect Provider not found for arn {arn}");
    }

    private FakeReply WithRole(Dictionary<string, string> form, Func<Role, FakeReply> f)
    {
        var name = form.GetValueOrDefault("RoleName") ?? "";
        return Roles.TryGetValue(name, out var r) ? f(r) : Error(404, "Sender", "NoSuchEntity", $"The role with name {name} cannot be found.");
    }

    private static FakeReply Ok(string action, string? result, string ns = Ns, Action? remove = null)
    {
        remove?.Invoke();
        var inner = result is null ? "" : $"<{action}Result>{result}</{action}Result>";
        return new FakeReply(200, "text/xml",
            $"<{action}Response xmlns=\"{ns}\">{inner}<ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></{action}Response>");
    }

    private static FakeReply Error(int status, string type, string code, string message) => new(status, "text/xml",
        $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>{type}</Type><Code>{code}</Code><Message>{X(message)}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>");

    private static string X(string s) => SecurityElement.Escape(s);
    private static string Members(IEnumerable<string> v) => string.Concat(v.Select(x => $"<member>{X(x)}</member>"));
    private static string TagXml(Dictionary<string, string> t) => string.Concat(t.Select(kv => $"<member><Key>{X(kv.Key)}</Key><Value>{X(kv.Value)}</Value></member>"));

    private static List<string> List(Dictionary<string, string> form, string name) =>
        Enumerable.Range(1, 100).Select(i => form.GetValueOrDefault($"{name}.member.{i}")).TakeWhile(v => v is not null).Select(v => v!).ToList();

    private static Dictionary<string, string> Tags(Dictionary<string, string> form) =>
        Enumerable.Range(1, 50).TakeWhile(i => form.ContainsKey($"Tags.member.{i}.Key"))
            .ToDictionary(i => form[$"Tags.member.{i}.Key"], i => form.GetValueOrDefault($"Tags.member.{i}.Value") ?? "");

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
}

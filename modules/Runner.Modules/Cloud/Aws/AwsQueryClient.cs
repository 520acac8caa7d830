using System.Text;
using System.Xml.Linq;
using Runner.Modules.Cloud.Common;

namespace Runner.Modules.Cloud.Aws;

/// <summary>
/// A client for AWS Query APIs (IAM 2010-05-08, STS 2011-06-15;
/// https://docs.aws.amazon.com/IAM/latest/APIReference/iam-api.pdf "Making Query Requests"): POSTs
/// form-encoded Action/Version/parameters, signed with SigV4, retried with <see cref="CloudRetry"/> on
/// Throttling, 429 and 5xx; parses the XML reply. Errors: <see cref="CloudApiException"/> with the reply's
/// Error/Code and Error/Message (e.g. 404 NoSuchEntity, 409 EntityAlreadyExists, 403 AccessDenied).
/// </summary>
public sealed class AwsQueryClient
{
    private readonly HttpClient _http;
    private readonly AwsSettings _settings;
    private readonly string _service, _version, _region;
    private readonly Uri _endpoint;

    /// <param name="service">Signing name and endpoint key, e.g. "iam" or "sts".</param>
    /// <param name="version">API version, e.g. "2010-05-08".</param>
    /// <param name="region">Signing region (IAM is global and signs with us-east-1).</param>
    /// <param name="defaultEndpoint">Public endpoint used when no override is set.</param>
    public AwsQueryClient(HttpClient http, AwsSettings settings, string service, string version, string region, string defaultEndpoint)
    {
        _http = http;
        _settings = settings;
        _service = service;
        _version = version;
        _region = region;
        _endpoint = new Uri(settings.EndpointFor(service) ?? defaultEndpoint);
    }

    /// <summary>Calls <paramref name="action"/> and returns its "{Action}Result" element (an empty one when the reply has none).</summary>
    public async Task<XElement> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", _version) };
        form.AddRange(parameters);
        var body = string.Join('&', form.Select(p => SigV4.Enc(p.Key) + "=" + SigV4.Enc(p.Value)));
        using var resp = await CloudRetry.SendAsync(_http, async () =>
        {
            var req = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            req.Content.Headers.ContentType!.CharSet = "utf-8";
            await SigV4.SignAsync(req, _settings, _service, _region, ct);
            return req;
        }, ct, (r, text) => (int)r.StatusCode == 400 && ErrorCode(text) is "Throttling" or "ThrottlingException" or "RequestLimitExceeded");

        var xml = await resp.Content.ReadAsStringAsync(ct);
        if (!resp.IsSuccessStatusCode)
        {
            var (code, message) = ParseError(xml);
            throw new CloudApiException((int)resp.StatusCode, code ?? $"HTTP{(int)resp.StatusCode}", message ?? $"{action} failed with HTTP {(int)resp.StatusCode}", action);
        }
        XDocument doc;
        try { doc = XDocument.Parse(xml); }
        catch (System.Xml.XmlException e) { throw new CloudApiException((int)resp.StatusCode, "InvalidReply", $"{action}: the reply is not XML ({e.Message})"); }
        return doc.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? new XElement(action + "Result");
    }

    private static string? ErrorCode(string xml) => ParseError(xml).Code;

    private static (string? Code, string? Message) ParseError(string xml)
    {
        try
        {
            var err = XDocument.Parse(xml).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            return (err?.Child("Code"), err?.Child("Message"));
        }
        catch (System.Xml.XmlException) { return (null, xml.Length > 200 ? xml[..200] : xml); }
    }
}

/// <summary>Namespace-agnostic XML helpers for Query API replies.</summary>
public static class XmlReply
{
    /// <summary>The text of the first child with this local name, or null.</summary>
    public static string? Child(this XElement e, string name) => e.Elements().FirstOrDefault(x => x.Name.LocalName == name)?.Value;

    /// <summary>The first child element with this local name, or null.</summary>
    public static XElement? El(this XElement e, string name) => e.Elements().FirstOrDefault(x => x.Name.LocalName == name);

    /// <summary>The "member" children of a list element (empty when the list is absent).</summary>
    public static IEnumerable<XElement> Members(this XElement e, string listName) =>
        e.El(listName)?.Elements().Where(x => x.Name.LocalName == "member") ?? Enumerable.Empty<XElement>();

    /// <summary>Query API list parameters: Name.member.1 = v1, Name.member.2 = v2, ...</summary>
    public static IEnumerable<KeyValuePair<string, string>> ListParams(string name, IEnumerable<string> values) =>
        values.Select((v, i) => new KeyValuePair<string, string>($"{name}.member.{i + 1}", v));

    /// <summary>Query API tag parameters: Tags.member.N.Key / Tags.member.N.Value.</summary>
    public static IEnumerable<KeyValuePair<string, string>> TagParams(IEnumerable<KeyValuePair<string, string>> tags) =>
        tags.SelectMany((t, i) => new[]
        {
            new KeyValuePair<string, string>($"Tags.member.{i + 1}.Key", t.Key),
            new KeyValuePair<string, string>($"Tags.member.{i + 1}.Value", t.Value),
        });

    /// <summary>Reads a Tags list (member/Key, member/Value) into an ordered map.</summary>
    public static Dictionary<string, string> Tags(this XElement e, string listName = "Tags") =>
        e.Members(listName).ToDictionary(m => m.Child("Key") ?? "", m => m.Child("Value") ?? "");
}

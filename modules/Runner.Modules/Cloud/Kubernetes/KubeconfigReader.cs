using k8s.KubeConfigModels;
using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>
/// Reads a kubeconfig into KubernetesClient's <see cref="K8SConfiguration"/> with Runner's own YAML loader, field by
/// field as the kubeconfig v1 schema names them (https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/:
/// clusters[].cluster, contexts[].context, users[].user with exec and auth-provider). KubernetesClient's own reader
/// (KubernetesYaml) maps by reflection on metadata tokens, which the Native AOT binary does not have.
/// Unknown keys are ignored, as kubectl does. Errors: <see cref="InvalidOperationException"/> with the YAML error or
/// the key whose value has the wrong shape.
/// </summary>
public static class KubeconfigReader
{
    /// <summary>Parses kubeconfig YAML text; <paramref name="fileName"/> (may be null) is where relative certificate
    /// and key paths are resolved from, as KubernetesClient's BuildConfigFromConfigObject does.</summary>
    public static K8SConfiguration Parse(string yaml, string? fileName)
    {
        object? doc;
        try { doc = YamlLoader.Load(yaml, fileName ?? "kubeconfig"); }
        catch (RunnerException e) { throw new InvalidOperationException(e.Message); }
        return FromData(doc switch
        {
            null => new Dict(),
            Dict d => d,
            _ => throw new InvalidOperationException("a kubeconfig must be a mapping"),
        }, fileName);
    }

    /// <summary>Converts an already parsed kubeconfig mapping (e.g. a task's inline kubeconfig option).</summary>
    public static K8SConfiguration FromData(Dict d, string? fileName) => new()
    {
        ApiVersion = d.Str("apiVersion"),
        Kind = d.Str("kind"),
        CurrentContext = d.Str("current-context"),
        Preferences = Map(d, "preferences")?.ToDictionary(kv => kv.Key, kv => kv.Value!),
        Clusters = Items(d, "clusters").Select(c => new Cluster { Name = c.Str("name"), ClusterEndpoint = ClusterOf(Map(c, "cluster")) }).ToList(),
        Contexts = Items(d, "contexts").Select(c => new Context { Name = c.Str("name"), ContextDetails = ContextOf(Map(c, "context")) }).ToList(),
        Users = Items(d, "users").Select(u => new User { Name = u.Str("name"), UserCredentials = UserOf(Map(u, "user")) }).ToList(),
        FileName = fileName,
    };

    private static ClusterEndpoint? ClusterOf(Dict? c) => c is null ? null : new ClusterEndpoint
    {
        Server = c.Str("server"),
        CertificateAuthority = c.Str("certificate-authority"),
        CertificateAuthorityData = c.Str("certificate-authority-data"),
        SkipTlsVerify = c.Bool("insecure-skip-tls-verify"),
        TlsServerName = c.Str("tls-server-name"),
    };

    private static ContextDetails? ContextOf(Dict? c) => c is null ? null : new ContextDetails
    {
        Cluster = c.Str("cluster"),
        User = c.Str("user"),
        Namespace = c.Str("namespace"),
    };

    private static UserCredentials? UserOf(Dict? u) => u is null ? null : new UserCredentials
    {
        ClientCertificate = u.Str("client-certificate"),
        ClientCertificateData = u.Str("client-certificate-data"),
        ClientKey = u.Str("client-key"),
        ClientKeyData = u.Str("client-key-data"),
        Token = u.Str("token"),
        UserName = u.Str("username"),
        Password = u.Str("password"),
        Impersonate = u.Str("as"),
        AuthProvider = Map(u, "auth-provider") is { } ap
            ? new AuthProvider { Name = ap.Str("name"), Config = Map(ap, "config")?.ToDictionary(kv => kv.Key, kv => PyStr.Str(kv.Value)) }
            : null,
        ExternalExecution = Map(u, "exec") is { } ex ? ExecOf(ex) : null,
    };

    private static ExternalExecution ExecOf(Dict ex) => new()
    {
        ApiVersion = ex.Str("apiVersion"),
        Command = ex.Str("command"),
        Arguments = List(ex, "args").Select(PyStr.Str).ToList(),
        EnvironmentVariables = Items(ex, "env").Select(e => new Dictionary<string, string>
        {
            ["name"] = e.Str("name") ?? "",
            ["value"] = e.Str("value") ?? "",
        }).ToList(),
        InstallHint = ex.Str("installHint"),
        ProvideClusterInfo = ex.Bool("provideClusterInfo"),
    };

    private static Dict? Map(Dict d, string key) => d.Get(key) switch
    {
        null => null,
        Dict m => m,
        _ => throw new InvalidOperationException($"the kubeconfig key {key} must be a mapping"),
    };

    private static List<object?> List(Dict d, string key) => d.Get(key) switch
    {
        null => new List<object?>(),
        List<object?> l => l,
        _ => throw new InvalidOperationException($"the kubeconfig key {key} must be a list"),
    };

    private static IEnumerable<Dict> Items(Dict d, string key) =>
        List(d, key).Select(x => x as Dict ?? throw new InvalidOperationException($"each item of the kubeconfig key {key} must be a mapping"));
}

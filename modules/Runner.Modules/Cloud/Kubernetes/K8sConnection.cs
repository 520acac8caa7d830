using k8s;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>
/// Builds the KubernetesClient for a task as kubernetes.core does: kubeconfig (a path or an inline mapping), else
/// K8S_AUTH_KUBECONFIG, KUBECONFIG, ~/.kube/config; context (or K8S_AUTH_CONTEXT); host and api_key override
/// the server and token; validate_certs false skips TLS checks. Because every call goes through the client's own
/// HttpClient and BaseUri, a caller may pass a different host (e.g. a local end of an SSH tunnel).
/// <see cref="CreateAsync"/> does so when the task's connection is a remote node (<see cref="IPortForwarder"/>):
/// the kubeconfig is read from the node (<see cref="K8sRemoteKubeconfig"/>) and the API server is reached through a
/// port forward over the node's SSH connection, so the server only has to be reachable from the node.
/// Errors: <see cref="CloudApiException"/> "ConfigError" with the kubeconfig problem.
/// </summary>
public static class K8sConnection
{
    /// <summary>The connection options shared by k8s and k8s_info (kubernetes.core's k8s_auth_options).</summary>
    public static readonly OptionSpec[] Options =
    {
        new("kubeconfig", OptionType.Raw), new("context"), new("host"), new("api_key", NoLog: true),
        new("validate_certs", OptionType.Bool, Aliases: new[] { "verify_ssl" }),
    };

    /// <summary>
    /// The client for a task. On a remote node (the connection is an <see cref="IPortForwarder"/>) and a kubeconfig
    /// path: reads the node's kubeconfig, picks the context, forwards a local port over SSH to the server's host:port
    /// as the node sees it, and points the client at https://127.0.0.1:LOCALPORT (path kept) with TLS still checked
    /// against the original server name (the kubeconfig's tls-server-name, else the server's host name); http servers
    /// just get the rewritten URL. Otherwise (local connection, inline kubeconfig) as <see cref="Create"/>.
    /// Errors: <see cref="CloudApiException"/> "ConfigError" (missing kubeconfig names the node and path);
    /// <see cref="UnreachableException"/> when the node's connection cannot be opened.
    /// </summary>
    public static async Task<K8sClientHandle> CreateAsync(PlanContext ctx, CancellationToken ct)
    {
        if (ctx.PortForwarder is not { } forwarder || ctx.Args.Get("kubeconfig") is Dict) return new K8sClientHandle(Create(ctx.Args, ctx.Environment));
        var a = ctx.Args;
        var context = a.Str("context") ?? (ctx.Environment is { } env && env.TryGetValue("K8S_AUTH_CONTEXT", out var c) && c.Length > 0 ? c : null);
        var kubeconfig = await K8sRemoteKubeconfig.ReadAsync(ctx, optional: a.Str("host") is not null, ct);
        KubernetesClientConfiguration config;
        try { config = kubeconfig is null ? new KubernetesClientConfiguration() : KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, context); }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or InvalidOperationException or FormatException
                                      or System.Security.Cryptography.CryptographicException)
        {
            throw new CloudApiException(0, "ConfigError", $"Invalid kubeconfig {K8sRemoteKubeconfig.PathFor(ctx)} on {ctx.ConnectionHost}: {e.Message}");
        }
        ApplyOverrides(config, a);
        if (!Uri.TryCreate(config.Host, UriKind.Absolute, out var server) || (server.Scheme != "https" && server.Scheme != "http"))
            throw new CloudApiException(0, "ConfigError", $"The kubeconfig's server {config.Host} is not an http(s) URL");
        var forward = await forwarder.ForwardAsync(server.DnsSafeHost, server.Port, ct);
        try
        {
            if (server.Scheme == "https" && string.IsNullOrEmpty(config.TlsServerName)) config.TlsServerName = server.DnsSafeHost;
            config.Host = new UriBuilder(server) { Host = "127.0.0.1", Port = forward.LocalEndPoint.Port }.Uri.ToString();
            var client = new k8s.Kubernetes(config);
            // Requests still name the original server (Host header, RFC 9110 section 7.2); for https .NET also takes
            // the TLS server name (SNI and certificate name check) from it, so TLS is verified as without the tunnel.
            client.HttpClient.DefaultRequestHeaders.Host = server.Scheme == "https" && config.TlsServerName != server.DnsSafeHost
                ? config.TlsServerName
                : server.Authority;
            return new K8sClientHandle(client, forward);
        }
        catch
        {
            await forward.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds a client for the options <paramref name="a"/> and the task environment <paramref name="env"/>,
    /// reading the kubeconfig on the controller.</summary>
    public static k8s.Kubernetes Create(Dict a, IReadOnlyDictionary<string, string>? env)
    {
        var context = a.Str("context") ?? CloudEnv.Get(env, "K8S_AUTH_CONTEXT");
        KubernetesClientConfiguration config;
        try
        {
            var kc = a.Get("kubeconfig");
            if (kc is Dict inline)
            {
                config = KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeconfigReader.FromData(inline, null), context);
            }
            else
            {
                var path = (kc as string) ?? CloudEnv.Get(env, "K8S_AUTH_KUBECONFIG") ?? CloudEnv.Get(env, "KUBECONFIG")?.Split(':')[0]
                    ?? Path.Combine(CloudEnv.Home(env), ".kube", "config");
                if (path.StartsWith("~/", StringComparison.Ordinal)) path = Path.Combine(CloudEnv.Home(env), path[2..]);
                if (!File.Exists(path) && a.Str("host") is null)
                    throw new CloudApiException(0, "ConfigError", $"Could not find the kubeconfig file {path}");
                config = File.Exists(path)
                    ? KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeconfigReader.Parse(File.ReadAllText(path), Path.GetFullPath(path)), context)
                    : new KubernetesClientConfiguration();
            }
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or InvalidOperationException)
        {
            throw new CloudApiException(0, "ConfigError", $"Invalid kubeconfig: {e.Message}");
        }
        ApplyOverrides(config, a);
        return new k8s.Kubernetes(config);
    }

    /// <summary>host, api_key and validate_certs over the kubeconfig's values; a config with no server is an error.</summary>
    private static void ApplyOverrides(KubernetesClientConfiguration config, Dict a)
    {
        if (a.Str("host") is { } host) config.Host = host;
        if (a.Str("api_key") is { } key) config.AccessToken = key;
        if (a.Has("validate_certs")) config.SkipTlsVerify = !a.Bool("validate_certs", true);
        if (string.IsNullOrEmpty(config.Host)) throw new CloudApiException(0, "ConfigError", "The kubeconfig names no server");
    }
}

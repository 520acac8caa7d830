using System.Text;
using k8s;
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

    /// <summary>Builds a client for the task's options and environment.</summary>
    public static k8s.Kubernetes Create(ModuleContext ctx)
    {
        var a = ctx.Args;
        var context = a.Str("context") ?? CloudEnv.Get(ctx, "K8S_AUTH_CONTEXT");
        KubernetesClientConfiguration config;
        try
        {
            var kc = a.Get("kubeconfig");
            if (kc is Dict inline)
            {
                using var s = new MemoryStream(Encoding.UTF8.GetBytes(JsonData.Dumps(inline)));
                config = KubernetesClientConfiguration.BuildConfigFromConfigObject(KubernetesClientConfiguration.LoadKubeConfig(s), context);
            }
            else
            {
                var path = (kc as string) ?? CloudEnv.Get(ctx, "K8S_AUTH_KUBECONFIG") ?? CloudEnv.Get(ctx, "KUBECONFIG")?.Split(':')[0]
                    ?? Path.Combine(CloudEnv.Home(ctx), ".kube", "config");
                if (path.StartsWith("~/", StringComparison.Ordinal)) path = Path.Combine(CloudEnv.Home(ctx), path[2..]);
                if (!File.Exists(path) && a.Str("host") is null)
                    throw new CloudApiException(0, "ConfigError", $"Could not find the kubeconfig file {path}");
                config = File.Exists(path)
                    ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context)
                    : new KubernetesClientConfiguration();
            }
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            throw new CloudApiException(0, "ConfigError", $"Invalid kubeconfig: {e.Message}");
        }
        if (a.Str("host") is { } host) config.Host = host;
        if (a.Str("api_key") is { } key) config.AccessToken = key;
        if (a.Has("validate_certs")) config.SkipTlsVerify = !a.Bool("validate_certs", true);
        if (string.IsNullOrEmpty(config.Host)) throw new CloudApiException(0, "ConfigError", "The kubeconfig names no server");
        return new k8s.Kubernetes(config);
    }
}

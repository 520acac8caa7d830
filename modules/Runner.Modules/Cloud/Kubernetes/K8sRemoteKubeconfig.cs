using System.Text;
using k8s;
using k8s.KubeConfigModels;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>
/// Reads a kubeconfig from the task's node (not the controller), for a k8s task whose host is a remote node:
/// the path is the `kubeconfig` option, else K8S_AUTH_KUBECONFIG or KUBECONFIG (first entry) from the task's
/// `environment:`, else ~/.kube/config, all as the node sees them (~ is the node's $HOME, with the task's become).
/// Files the kubeconfig names (certificate-authority, client-certificate, client-key; relative to the kubeconfig's
/// folder, as kubectl resolves them, https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/)
/// are read from the node too and inlined as *-data. Files are read as the host's facts (<see cref="FileContentFact"/>,
/// <see cref="HomeFact"/>): probes, cached for the run like any other.
/// Errors: <see cref="CloudApiException"/> "ConfigError" naming the host and path when a file is missing or invalid.
/// </summary>
public static class K8sRemoteKubeconfig
{
    /// <summary>The kubeconfig path the task names on the node, before ~ is expanded.</summary>
    public static string PathFor(PlanContext ctx)
    {
        string? Env(string name) => ctx.Environment is { } env && env.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        return (ctx.Args.Get("kubeconfig") as string) ?? Env("K8S_AUTH_KUBECONFIG") ?? Env("KUBECONFIG")?.Split(':')[0] ?? "~/.kube/config";
    }

    /// <summary>
    /// Reads and parses the node's kubeconfig; null when it does not exist and <paramref name="optional"/> is set
    /// (the `host` option names the server).
    /// </summary>
    public static async Task<K8SConfiguration?> ReadAsync(PlanContext ctx, bool optional, CancellationToken ct)
    {
        var node = ctx.ConnectionHost;
        var path = await HomeFact.ExpandUserAsync(ctx, PathFor(ctx), ct);
        var bytes = await ctx.Facts.GetAsync(new FileContentFact(path), ct);
        if (bytes is null)
        {
            if (optional) return null;
            throw new CloudApiException(0, "ConfigError", $"Could not find the kubeconfig file {path} on {node}");
        }
        K8SConfiguration config;
        try
        {
            config = KubeconfigReader.Parse(System.Text.Encoding.UTF8.GetString(bytes), null);
        }
        catch (InvalidOperationException e)
        {
            throw new CloudApiException(0, "ConfigError", $"Invalid kubeconfig {path} on {node}: {e.Message}");
        }
        var dir = path.Contains('/') ? path[..path.LastIndexOf('/')] : ".";
        foreach (var c in config.Clusters ?? Enumerable.Empty<Cluster>())
        {
            if (c.ClusterEndpoint is { CertificateAuthority: { Length: > 0 } ca } ep && string.IsNullOrEmpty(ep.CertificateAuthorityData))
            {
                ep.CertificateAuthorityData = await InlineAsync(ctx, dir, ca, ct);
                ep.CertificateAuthority = null;
            }
        }
        foreach (var u in config.Users ?? Enumerable.Empty<User>())
        {
            if (u.UserCredentials is not { } uc) continue;
            if (uc.ClientCertificate is { Length: > 0 } cc && string.IsNullOrEmpty(uc.ClientCertificateData))
            {
                uc.ClientCertificateData = await InlineAsync(ctx, dir, cc, ct);
                uc.ClientCertificate = null;
            }
            if (uc.ClientKey is { Length: > 0 } ck && string.IsNullOrEmpty(uc.ClientKeyData))
            {
                uc.ClientKeyData = await InlineAsync(ctx, dir, ck, ct);
                uc.ClientKey = null;
            }
        }
        return config;
    }

    private static async Task<string> InlineAsync(PlanContext ctx, string dir, string file, CancellationToken ct)
    {
        var path = await HomeFact.ExpandUserAsync(ctx, file.StartsWith('/') || file.StartsWith('~') ? file : dir.TrimEnd('/') + "/" + file, ct);
        var bytes = await ctx.Facts.GetAsync(new FileContentFact(path), ct)
            ?? throw new CloudApiException(0, "ConfigError", $"Could not find the file {path} named by the kubeconfig on {ctx.ConnectionHost}");
        return Convert.ToBase64String(bytes);
    }
}

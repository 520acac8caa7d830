using System.Text;
using System.Text.Json;
using k8s;
using Runner.Modules.Cloud.Kubernetes;

namespace Runner.Tests.Cloud;

/// <summary>Runner's kubeconfig reader (used because KubernetesClient's needs reflection the Native AOT binary lacks)
/// gives the same K8SConfiguration as KubernetesClient's own LoadKubeConfig, field for field.</summary>
public sealed class KubeconfigReaderTests
{
    private const string Full = """
        apiVersion: v1
        kind: Config
        current-context: prod
        preferences: {}
        clusters:
        - name: c1
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: Q0FEQVRB
            tls-server-name: api.example
        - name: c2
          cluster: {server: "http://127.0.0.1:8080", insecure-skip-tls-verify: true, certificate-authority: ca.crt}
        contexts:
        - name: prod
          context: {cluster: c1, user: admin, namespace: kube-system}
        - name: dev
          context: {cluster: c2, user: exec-user}
        users:
        - name: admin
          user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ, token: abc, username: u, password: p, as: someone}
        - name: exec-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: aws
              args: [eks, get-token]
              env: [{name: AWS_PROFILE, value: prod}]
              provideClusterInfo: true
        - name: oidc
          user:
            auth-provider: {name: oidc, config: {client-id: x, idp-issuer-url: "https://issuer"}}
        """;

    private static string Json(object o) => JsonSerializer.Serialize(o, new JsonSerializerOptions { WriteIndented = true });

    [Fact]
    public void Reads_every_field_as_KubernetesClient_does()
    {
        var theirs = KubernetesClientConfiguration.LoadKubeConfig(new MemoryStream(Encoding.UTF8.GetBytes(Full)));
        var ours = KubeconfigReader.Parse(Full, null);
        Assert.Equal(Json(theirs.Clusters), Json(ours.Clusters));
        Assert.Equal(Json(theirs.Contexts), Json(ours.Contexts));
        Assert.Equal(Json(theirs.Users), Json(ours.Users));
        Assert.Equal(theirs.CurrentContext, ours.CurrentContext);
        Assert.Equal("https://10.0.0.1:6443/", KubernetesClientConfiguration.BuildConfigFromConfigObject(ours).Host.TrimEnd('/') + "/");
    }

    [Fact]
    public void A_wrong_shape_names_the_key()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KubeconfigReader.Parse("clusters: {a: 1}\n", "cfg"));
        Assert.Contains("clusters", e.Message);
        Assert.Throws<InvalidOperationException>(() => KubeconfigReader.Parse("clusters: [\n", "cfg"));
    }
}

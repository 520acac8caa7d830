using Runner.Engine.Values;
using Runner.Modules.Cloud.Kubernetes;
using Runner.Tests.Cloud.Fakes;
using Runner.Tests.Modules;

namespace Runner.Tests.Cloud;

public class K8sTests : IDisposable
{
    private readonly FakeKubernetes _k = new();
    private readonly CloudHarness _h = new();
    private readonly K8sModule _m = new();

    // The seed's app/templates/manifest.yml, shortened: a ServiceAccount and a Job in one file, with template variables.
    /// <summary>Shared with the tunnel tests.</summary>
    internal const string Manifest = """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: demo-service-account
          namespace: default
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: demo-app
          namespace: default
        spec:
          template:
            metadata:
              labels:
                job-name: demo-app
            spec:
              restartPolicy: Never
              containers:
                - image: amazon/aws-cli:2.15.40
                  name: demo-app
                  command: [sh, -c, aws sts get-caller-identity]
                  env:
                    - name: AWS_REGION
                      value: "{{ aws_region }}"
                    - name: AWS_ROLE_ARN
                      value: "{{ role_arn }}"
              serviceAccountName: demo-service-account
        """;

    public K8sTests()
    {
        UseFake(_h, _k);
        Directory.CreateDirectory(Path.Combine(_h.Dir, "templates"));
        File.WriteAllText(Path.Combine(_h.Dir, "templates", "manifest.yml"), Manifest);
        _h.Vars["aws_region"] = "eu-central-1";
        _h.Vars["role_arn"] = "arn:aws:iam::123456789012:role/demo";
    }

    /// <summary>Points the harness's KUBECONFIG at a kubeconfig for the fake (bearer token "abc").</summary>
    internal static void UseFake(CloudHarness h, FakeKubernetes k)
    {
        File.WriteAllText(Path.Combine(h.Dir, "kubeconfig"), $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster:
                  server: {k.BaseUrl}
            contexts:
              - name: fake
                context: {"{"}cluster: fake, user: fake{"}"}
            current-context: fake
            users:
              - name: fake
                user: {"{"}token: abc{"}"}
            """);
        h.Env["KUBECONFIG"] = Path.Combine(h.Dir, "kubeconfig");
    }

    public void Dispose() { _k.Dispose(); _h.Dispose(); }

    private static Dict SeedTask(params object?[] extra)
    {
        var d = D.Of("template", "manifest.yml", "state", "present", "force", true, "wait", true, "wait_sleep", 0);
        foreach (var (k, v) in D.Of(extra)) d[k] = v;
        return d;
    }

    [Fact]
    public async Task AppliesServiceAccountAndJobAndWaitsForCompletion()
    {
        var r = await _h.Run(_m, SeedTask());
        Assert.Null(r.Get("msg"));
        Assert.Equal(true, r["changed"]);
        Assert.Equal(new[] { "POST serviceaccounts/default/demo-service-account", "POST jobs/default/demo-app" }, _k.Writes);
        var results = (List<object?>)((Dict)r["result"]!)["results"]!;
        Assert.Equal("create", ((Dict)results[1]!)["method"]);
        var job = (Dict)((Dict)results[1]!)["result"]!;
        var cond = (Dict)((List<object?>)((Dict)job["status"]!)["conditions"]!)[0]!;
        Assert.Equal("Complete", cond["type"]);
        var env = _k.Objects["jobs/default/demo-app"]["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!;
        Assert.Equal("eu-central-1", (string)env[0]!["value"]!);
        Assert.Equal("arn:aws:iam::123456789012:role/demo", (string)env[1]!["value"]!);
        // The bearer token from the kubeconfig reached the API.
        Assert.All(_k.Requests, q => Assert.Equal("Bearer abc", q.Headers["Authorization"]));

        var again = await _h.Run(_m, SeedTask());
        Assert.Equal(false, again["changed"]);
        Assert.Equal(2, _k.Writes.Count);
    }

    [Fact]
    public async Task FailedJobFailsWithPodLogLines()
    {
        _k.FailJobs = true;
        _k.PodLog = "An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized\n";
        var r = await _h.Run(_m, SeedTask());
        Assert.Equal(true, r["failed"]);
        Assert.Equal("Job default/demo-app failed: BackoffLimitExceeded: Job has reached the specified backoff limit\n" +
            "--- last log lines of pod demo-app-x7k2p ---\n" +
            "An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized", r["msg"]);
    }

    [Fact]
    public async Task UpdateOneFieldThenDeleteAndCheckMode()
    {
        var cm = D.Of("apiVersion", "v1", "kind", "ConfigMap", "metadata", D.Of("name", "cfg"), "data", D.Of("a", "1"));
        var check = await _h.Run(_m, D.Of("definition", cm, "namespace", "apps"), check: true, diff: true);
        Assert.Equal(true, check["changed"]);
        Assert.Empty(_k.Writes);
        Assert.Equal(true, (await _h.Run(_m, D.Of("definition", cm, "namespace", "apps")))["changed"]);
        Assert.Equal(false, (await _h.Run(_m, D.Of("definition", cm, "namespace", "apps")))["changed"]);
        var cm2 = cm.DeepCopy();
        ((Dict)cm2["data"]!)["a"] = "2";
        var upd = await _h.Run(_m, D.Of("definition", cm2, "namespace", "apps"), diff: true);
        Assert.Equal(true, upd["changed"]);
        Assert.Equal("patch", upd["method"]);
        Assert.Equal("PATCH configmaps/apps/cfg", _k.Writes[^1]);
        Assert.Equal("2", (string)_k.Objects["configmaps/apps/cfg"]["data"]!["a"]!);
        var delCheck = await _h.Run(_m, D.Of("definition", cm2, "namespace", "apps", "state", "absent"), check: true);
        Assert.Equal(true, delCheck["changed"]);
        Assert.Equal(2, _k.Writes.Count);
        Assert.Equal(true, (await _h.Run(_m, D.Of("definition", cm2, "namespace", "apps", "state", "absent")))["changed"]);
        Assert.False(_k.Objects.ContainsKey("configmaps/apps/cfg"));
        Assert.Equal(false, (await _h.Run(_m, D.Of("definition", cm2, "namespace", "apps", "state", "absent")))["changed"]);
    }

    [Fact]
    public async Task InfoListsByLabel()
    {
        await _h.Run(_m, SeedTask("wait", false));
        var r = await _h.Run(new K8sInfoModule(), D.Of("kind", "Pod", "namespace", "default", "label_selectors", new List<object?> { "job-name=demo-app" }));
        Assert.Equal(false, r["changed"]);
        var pods = (List<object?>)r["resources"]!;
        Assert.Equal("demo-app-x7k2p", ((Dict)((Dict)pods.Single()!)["metadata"]!)["name"]);
        Assert.Equal("Pod", ((Dict)pods[0]!)["kind"]);
        var none = await _h.Run(new K8sInfoModule(), D.Of("kind", "Job", "api_version", "batch/v1", "name", "nope", "namespace", "default"));
        Assert.Empty((List<object?>)none["resources"]!);
    }

    [Fact]
    public async Task MissingKubeconfigAndUnknownKindFailClearly()
    {
        _h.Env["KUBECONFIG"] = Path.Combine(_h.Dir, "missing");
        var r = await _h.Run(_m, SeedTask());
        Assert.Equal($"Could not find the kubeconfig file {Path.Combine(_h.Dir, "missing")}", r["msg"]);
        _h.Env["KUBECONFIG"] = Path.Combine(_h.Dir, "kubeconfig");
        var r2 = await _h.Run(_m, D.Of("definition", D.Of("apiVersion", "v1", "kind", "Widget", "metadata", D.Of("name", "w"))));
        Assert.Equal("Failed to present Widget w: NotFound: Failed to find exact match for v1.Widget by [kind, name, singularName, shortNames]", r2["msg"]);
    }
}

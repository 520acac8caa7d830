using Runner.Cli;
using Runner.Tests.Cloud.Fakes;
using Runner.Tests.Lab;

namespace Runner.Tests.Cloud;

/// <summary>
/// k8s on a remote node reaches the API server through the node's SSH connection: the fake API server listens on the
/// lab bridge (LAB_NET.1) and answers 403 to every client but the lab host, so a direct connection from the controller
/// is refused and only the port forward over the host's SSH session works. The kubeconfig lives on the node (the
/// namespace hosts share this file system) and is named by the task's `environment: KUBECONFIG`. The playbook applies
/// the seed's ServiceAccount + Job manifest with wait (kubernetes.core.k8s: changed first, ok when rerun).
/// </summary>
public sealed class K8sTunnelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-k8s-tunnel-").FullName;
    private readonly (string Name, Runner.Engine.Values.Dict Vars) _host;
    private readonly string _hostIp;
    private readonly FakeKubernetes? _k;

    public K8sTunnelTests()
    {
        File.SetUnixFileMode(_dir, (UnixFileMode)Convert.ToInt32("755", 8));
        if (!LabEnvironment.IsUp) return;
        _host = LabEnvironment.First;
        _hostIp = _host.Vars.Get("ansible_host")?.ToString() ?? throw new InvalidOperationException("lab host has no ansible_host");
        var bridge = _hostIp[.._hostIp.LastIndexOf('.')] + ".1";
        _k = new FakeKubernetes(bridge) { AllowedRemote = _hostIp };
        File.WriteAllText(Path.Combine(_dir, "kubeconfig"), $$"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: lab
                cluster:
                  server: {{_k.BaseUrl}}
            contexts:
              - name: lab
                context: {cluster: lab, user: lab}
            current-context: lab
            users:
              - name: lab
                user: {token: labtoken}
            """);
        Directory.CreateDirectory(Path.Combine(_dir, "templates"));
        File.WriteAllText(Path.Combine(_dir, "templates", "manifest.yml"), K8sTests.Manifest);
        var v = _host.Vars;
        File.WriteAllText(Path.Combine(_dir, "inventory.yml"), $"""
            all:
              hosts:
                localhost:
                  ansible_connection: local
                {_host.Name}:
                  ansible_host: {_hostIp}
                  ansible_user: {v.Get("ansible_user")}
                  ansible_ssh_private_key_file: {v.Get("ansible_ssh_private_key_file")}
                  ansible_ssh_common_args: "{v.Get("ansible_ssh_common_args")}"
            """);
    }

    public void Dispose()
    {
        _k?.Dispose();
        Directory.Delete(_dir, true);
    }

    private string Playbook(string hosts, string kubeconfig, string extra = "") => $$$"""
        - hosts: {{{hosts}}}
          gather_facts: false
          vars:
            aws_region: eu-central-1
            role_arn: arn:aws:iam::123456789012:role/demo
          tasks:
            - name: apply the seed manifest
              kubernetes.core.k8s:
                template: manifest.yml
                state: present
                force: true
                wait: true
                wait_sleep: 0
                wait_timeout: 30
              environment:
                KUBECONFIG: {{{kubeconfig}}}
        {{{extra}}}
        """;

    private async Task<(int Rc, string Out)> Play(string playbook)
    {
        var pb = Path.Combine(_dir, "site.yml");
        File.WriteAllText(pb, playbook);
        var output = new StringWriter();
        var rc = await PlayCommand.RunAsync(new List<string> { "-i", Path.Combine(_dir, "inventory.yml"), pb, "--stdout-callback", "transcript" }, output);
        return (rc, output.ToString());
    }

    private async Task AssertDirectConnectionRefused()
    {
        using var http = new HttpClient();
        var direct = await http.GetAsync(_k!.BaseUrl + "/api/v1");
        Assert.Equal(403, (int)direct.StatusCode);
        lock (_k.Requests) _k.Requests.Clear();
    }

    private void AssertOnlyTheHostTalked()
    {
        lock (_k!.Requests)
        {
            Assert.NotEmpty(_k.Requests);
            Assert.All(_k.Requests, q => Assert.Equal(_hostIp, q.RemoteAddress));
            Assert.All(_k.Requests, q => Assert.Equal("Bearer labtoken", q.Headers["Authorization"]));
        }
    }

    [LabFact]
    public async Task Task_on_the_lab_host_reaches_the_api_through_its_ssh_tunnel()
    {
        await AssertDirectConnectionRefused();
        var kubeconfig = Path.Combine(_dir, "kubeconfig");

        var (rc1, out1) = await Play(Playbook(_host.Name, kubeconfig));
        Assert.True(rc1 == 0, out1);
        Assert.Contains($"  {_host.Name}: ok=1 changed=1 unreachable=0 failed=0", out1);
        Assert.Equal(new[] { "POST serviceaccounts/default/demo-service-account", "POST jobs/default/demo-app" }, _k!.Writes);
        Assert.Equal("eu-central-1", (string)_k.Objects["jobs/default/demo-app"]["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!["value"]!);

        var (rc2, out2) = await Play(Playbook(_host.Name, kubeconfig));
        Assert.True(rc2 == 0, out2);
        Assert.Contains($"  {_host.Name}: ok=1 changed=0 unreachable=0 failed=0", out2);
        Assert.Equal(2, _k.Writes.Count);
        AssertOnlyTheHostTalked();
    }

    [LabFact]
    public async Task Task_delegated_to_the_lab_host_from_localhost_goes_through_that_hosts_tunnel()
    {
        await AssertDirectConnectionRefused();
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        var playbook = Playbook("localhost", kubeconfig).Replace("      environment:", $"      delegate_to: {_host.Name}\n      environment:");

        var (rc1, out1) = await Play(playbook);
        Assert.True(rc1 == 0, out1);
        Assert.Contains("  localhost: ok=1 changed=1 unreachable=0 failed=0", out1);
        Assert.Equal(2, _k!.Writes.Count);

        var (rc2, out2) = await Play(playbook);
        Assert.True(rc2 == 0, out2);
        Assert.Contains("  localhost: ok=1 changed=0 unreachable=0 failed=0", out2);
        Assert.Equal(2, _k.Writes.Count);
        AssertOnlyTheHostTalked();
    }

    [LabFact]
    public async Task Kubeconfig_missing_on_the_node_fails_naming_the_host_and_path()
    {
        var missing = Path.Combine(_dir, "no-such-kubeconfig");
        var (rc, output) = await Play(Playbook(_host.Name, missing));
        Assert.Equal(2, rc);
        Assert.Contains($"Could not find the kubeconfig file {missing} on {_host.Name}", output);
        Assert.Contains($"  {_host.Name}: ok=0 changed=0 unreachable=0 failed=1", output);
        lock (_k!.Requests) Assert.Empty(_k.Requests);
    }
}

using Runner.Engine.Values;
using Runner.Tests.Lab;

namespace Runner.Tests.Seed;

/// <summary>
/// The seed project on real booted Debian hosts with the lab's ACME CA (pebble): Runner's own
/// playbooks/site.yml (check mode on a fresh host, the certbot tag, the whole provision play converging) and
/// the original Ansible project (shared/corpus/seed-oidc) run unchanged by Runner and by ansible-playbook on
/// two identical fresh hosts, with the same ok/changed/failed sequence.
/// </summary>
[Collection("booted seed hosts")]
public sealed class SeedProjectTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-seed-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Repo => LabEnvironment.RepoRoot;
    private static string SeedVars => Path.Combine(Repo, "tests", "lab", "nspawn", ".state", "seed-vars.yml");

    private string WriteInventory((string Name, Dict Vars) host, string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "lab.yml");
        File.WriteAllText(path, SeedLab.Inventory(host));
        return path;
    }

    [SeedFact]
    public async Task Native_site_check_then_certbot_then_full_provision_converges()
    {
        var host = SeedLab.Hosts()[1];
        var ip = host.Vars.Get("ansible_host")!.ToString()!;
        const string domain = "native.example.test";
        await SeedLab.MapName(domain, ip);
        var inv = WriteInventory(host, Path.Combine(_dir, "inv"));
        string[] Args(params string[] more) =>
            new[] { "-i", "inventory", "-i", inv, "playbooks/site.yml", "-e", $"domain_name={domain}", "-e", "@" + SeedVars }.Concat(more).ToArray();

        // --check --diff on a fresh host: reports the changes (unit files as diffs), leaves the host untouched
        var (rcCheck, check) = SeedLab.Runner(Repo, Args("--check", "--diff"));
        Assert.True(rcCheck == 0, check);
        Assert.Contains("+ExecStart=/usr/bin/python3 -m http.server -d /var/www/html 80", check);
        Assert.Contains("k3s-cluster: ok=", check);
        Assert.DoesNotContain("changed=0", check);
        Assert.Equal("", SeedLab.Ssh(host, "getent group acme; ls /etc/systemd/system/wellknown-server.service 2>/dev/null; ls /etc/letsencrypt/live 2>/dev/null"));

        // --tags certbot: a certificate from the lab CA, nothing of the static server
        var (rc1, certbot) = SeedLab.Runner(Repo, Args("--tags", "certbot"));
        Assert.True(rc1 == 0, certbot);
        Assert.Contains("k3s-cluster: ok=7 changed=7 unreachable=0 failed=0", certbot);
        Assert.Equal("fullchain.pem", SeedLab.Ssh(host, $"ls /etc/letsencrypt/live/{domain}/ | grep fullchain"));
        Assert.Contains("Pebble", SeedLab.Ssh(host, $"openssl x509 -in /etc/letsencrypt/live/{domain}/cert.pem -noout -issuer"));
        Assert.Equal("active", SeedLab.Ssh(host, "systemctl is-active wellknown-server"));
        Assert.Equal("", SeedLab.Ssh(host, "getent group static-web-server"));
        var serial = SeedLab.Ssh(host, $"sha1sum /etc/letsencrypt/live/{domain}/cert.pem");

        // the whole provision play converges; the second run changes nothing and orders no certificate
        var (rc2, full) = SeedLab.Runner(Repo, Args());
        Assert.True(rc2 == 0, full);
        Assert.Contains("failed (ignored)", full); // cilium: no cluster here, ignored as in the original
        var (rc3, again) = SeedLab.Runner(Repo, Args());
        Assert.True(rc3 == 0, again);
        Assert.Contains("changed=0 unreachable=0 failed=0", again);
        Assert.Equal(serial, SeedLab.Ssh(host, $"sha1sum /etc/letsencrypt/live/{domain}/cert.pem"));
        Assert.Equal("active active", SeedLab.Ssh(host, "echo $(systemctl is-active static-web-server static-web-server-prepare.timer)"));
        Assert.Equal("enabled", SeedLab.Ssh(host, "systemctl is-enabled static-web-server"));
        // the node publishes its OIDC documents over HTTPS with the certificate
        Assert.Contains("\"issuer\":\"https://oidc.example.test\"",
            SeedLab.Ssh(host, $"curl -sk --resolve {domain}:443:127.0.0.1 https://{domain}/.well-known/openid-configuration"));
        Assert.Contains($"subject=CN = {domain}", SeedLab.Ssh(host,
            $"echo | openssl s_client -connect 127.0.0.1:443 -servername {domain} 2>/dev/null | openssl x509 -noout -subject"));
    }

    private string SeedCopy(string name, bool withX8664Vars)
    {
        var copy = Path.Combine(_dir, name);
        SeedLab.CopyTree(Path.Combine(SeedLab.SharedDir, "corpus", "seed-oidc"), copy);
        if (withX8664Vars)
        {
            var vars = File.ReadAllText(SeedVars);
            File.WriteAllText(Path.Combine(copy, "vars", "x86_64.yml"), "---\n" + vars);
        }
        return copy;
    }

    private string LabInventory((string Name, Dict Vars) host, string name)
    {
        var folder = Path.Combine(_dir, name + "-inventory");
        WriteInventory(host, folder);
        Directory.CreateDirectory(Path.Combine(folder, "group_vars"));
        File.Copy(Path.Combine(SeedLab.SharedDir, "corpus", "seed-oidc", "inventory", "group_vars", "all.yml"), Path.Combine(folder, "group_vars", "all.yml"));
        return folder;
    }

    [SeedFact(ansible: true)]
    public async Task Original_seed_project_gives_the_same_sequence_as_ansible_playbook()
    {
        var runnerHost = SeedLab.Hosts()[2];
        var ansibleHost = SeedLab.Hosts()[3];
        const string domain = "oidc.example.test";
        var runnerInv = LabInventory(runnerHost, "runner");
        var ansibleInv = LabInventory(ansibleHost, "ansible");

        // --tags certbot from a byte-for-byte copy: first run ok=7 changed=7, second ok=6 changed=0
        var runnerCopy = SeedCopy("runner-seed", false);
        var ansibleCopy = SeedCopy("ansible-seed", false);
        foreach (var pass in new[] { 1, 2 })
        {
            await SeedLab.MapName(domain, runnerHost.Vars.Get("ansible_host")!.ToString()!);
            var (rcR, outR) = SeedLab.Runner(runnerCopy, "-i", runnerInv, "playbook.yml", "--tags", "certbot");
            await SeedLab.MapName(domain, ansibleHost.Vars.Get("ansible_host")!.ToString()!);
            var (rcA, outA) = SeedLab.Ansible(ansibleCopy, "-i", ansibleInv, "playbook.yml", "--tags", "certbot");
            Assert.True(rcA == 0, outA);
            Assert.Equal(rcA, rcR);
            Assert.Equal(SeedLab.Sequence(outA), SeedLab.Sequence(outR));
            Assert.Contains(pass == 1 ? "k3s-cluster: ok=7 changed=7" : "k3s-cluster: ok=6 changed=0", outR);
        }

        // the whole provision play (facts gathered: a copy with vars/x86_64.yml pointing at the lab's tarball)
        var runnerFull = SeedCopy("runner-full", true);
        var ansibleFull = SeedCopy("ansible-full", true);
        foreach (var _ in new[] { 1, 2 })
        {
            await SeedLab.MapName(domain, runnerHost.Vars.Get("ansible_host")!.ToString()!);
            var (rcR, outR) = SeedLab.Runner(runnerFull, "-i", runnerInv, "playbook.yml");
            await SeedLab.MapName(domain, ansibleHost.Vars.Get("ansible_host")!.ToString()!);
            var (rcA, outA) = SeedLab.Ansible(ansibleFull, "-i", ansibleInv, "playbook.yml");
            Assert.Equal(rcA, rcR);
            Assert.Equal(SeedLab.Sequence(outA), SeedLab.Sequence(outR));
        }
    }

    [SeedFact]
    public void A_host_without_python_is_configured_all_the_same()
    {
        var host = SeedLab.Hosts()[4];
        SeedLab.Ssh(host, "for f in /usr/bin/python3*; do [ -e \"$f\" ] && mv \"$f\" \"$f.hidden\"; done; true");
        try
        {
            Assert.Equal("none", SeedLab.Ssh(host, "command -v python3 || echo none"));
            var folder = Path.Combine(_dir, "nopy");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "inventory.yml"), SeedLab.Inventory(host));
            File.WriteAllText(Path.Combine(folder, "site.yml"), """
                - hosts: k3s-cluster
                  gather_facts: true
                  tasks:
                    - ansible.builtin.group: {name: nopy, system: true}
                    - ansible.builtin.user: {name: nopy, group: nopy, system: true, create_home: false, shell: /bin/false}
                    - ansible.builtin.file: {path: /srv/nopy, state: directory, owner: nopy, group: nopy, mode: "0750"}
                    - ansible.builtin.copy: {dest: /etc/systemd/system/nopy.service, content: "[Service]\nExecStart=/bin/sleep infinity\nUser=nopy\n[Install]\nWantedBy=multi-user.target\n"}
                    - ansible.builtin.systemd: {name: nopy, state: started, enabled: true, daemon_reload: true}
                    - ansible.builtin.lineinfile: {path: /srv/nopy/conf, line: "distro={{ ansible_distribution }}", create: true}
                """);
            var (rc1, first) = SeedLab.Runner(folder, "-i", "inventory.yml", "site.yml");
            Assert.True(rc1 == 0, first);
            Assert.Contains("k3s-cluster: ok=7 changed=6", first);
            var (rc2, second) = SeedLab.Runner(folder, "-i", "inventory.yml", "site.yml");
            Assert.True(rc2 == 0, second);
            Assert.Contains("k3s-cluster: ok=7 changed=0", second);
            Assert.Equal("active enabled", SeedLab.Ssh(host, "echo $(systemctl is-active nopy) $(systemctl is-enabled nopy)"));
            Assert.Equal("distro=Debian", SeedLab.Ssh(host, "cat /srv/nopy/conf"));
            Assert.Equal("nopy nopy 750", SeedLab.Ssh(host, "stat -c '%U %G %a' /srv/nopy"));
        }
        finally
        {
            SeedLab.Ssh(host, "for f in /usr/bin/python3*.hidden; do [ -e \"$f\" ] && mv \"$f\" \"${f%.hidden}\"; done; true");
        }
    }
}

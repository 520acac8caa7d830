using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Lab;

namespace Runner.Tests.Seed;

/// <summary>
/// The system modules against ansible-playbook: the same playbook (group, user, apt, package, copy of a unit,
/// systemd, get_url with a checksum, unarchive, lineinfile, file) runs twice with Runner on one fresh booted host and
/// twice with ansible-playbook on another; the ok/changed/failed sequences must be the same, and the hosts end in
/// the same state (getent, dpkg-query, systemctl).
/// </summary>
[Collection("booted seed hosts")]
public sealed class SystemModulesVersusAnsibleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-sysvs-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private const string Playbook = """
        - hosts: k8s
          gather_facts: true
          tasks:
            - name: group
              ansible.builtin.group: {name: svc, system: true}
            - name: user
              ansible.builtin.user: {name: svc, group: svc, system: true, create_home: false, shell: /usr/sbin/nologin, comment: "service user"}
            - name: apt from the lab repository
              ansible.builtin.apt: {name: hello, state: present, update_cache: true}
            - name: package
              ansible.builtin.package: {name: tree, state: present}
            - name: folder
              ansible.builtin.file: {path: /opt/svc, state: directory, owner: svc, group: svc, mode: "0750"}
            - name: download
              ansible.builtin.get_url:
                url: "{{ static_web_server_download_url }}"
                dest: /opt/svc/server.tar.gz
                checksum: "{{ static_web_server_checksum }}"
                mode: "0644"
            - name: unpack
              ansible.builtin.unarchive:
                src: /opt/svc/server.tar.gz
                dest: /opt/svc
                remote_src: true
            - name: unit
              ansible.builtin.copy:
                dest: /etc/systemd/system/svc.service
                content: "[Unit]\nDescription=svc\n[Service]\nExecStart=/bin/sleep infinity\nUser=svc\n[Install]\nWantedBy=multi-user.target\n"
              notify: restart svc
            - name: service
              ansible.builtin.systemd: {name: svc, state: started, enabled: true, daemon_reload: true}
            - name: config line
              ansible.builtin.lineinfile: {path: /opt/svc/svc.conf, line: "listen=8080", create: true, mode: "0640"}
          handlers:
            - name: restart svc
              ansible.builtin.systemd: {name: svc, state: restarted}
        """;

    private static string State((string Name, Dict Vars) host) => SeedLab.Ssh(host,
        "getent group svc | cut -d: -f1; getent passwd svc | cut -d: -f1,5,7; dpkg-query -W -f='${Status}\\n' hello tree; " +
        "stat -c '%U %G %a' /opt/svc; systemctl is-active svc; systemctl is-enabled svc; cat /opt/svc/svc.conf; " +
        "ls /opt/svc/*/static-web-server");

    [SeedFact(hosts: 7, ansible: true)]
    public void Same_sequence_and_end_state_as_ansible_playbook()
    {
        var hosts = SeedLab.Hosts();
        var runnerHost = hosts[5];
        var ansibleHost = hosts[6];
        var vars = (Dict)YamlLoader.LoadFile(Path.Combine(LabEnvironment.RepoRoot, "tests", "lab", "nspawn", ".state", "seed-vars.yml"))!;
        var pb = Path.Combine(_dir, "site.yml");
        File.WriteAllText(pb, Playbook);
        var extra = Path.Combine(_dir, "vars.json");
        File.WriteAllText(extra, PyStr.JsonDumps(vars));
        string Inv((string Name, Dict Vars) h, string name)
        {
            var p = Path.Combine(_dir, name + ".yml");
            File.WriteAllText(p, SeedLab.Inventory(h));
            return p;
        }
        var runnerInv = Inv(runnerHost, "runner");
        var ansibleInv = Inv(ansibleHost, "ansible");
        foreach (var pass in new[] { 1, 2 })
        {
            var (rcR, outR) = SeedLab.Runner(_dir, "-i", runnerInv, pb, "-e", "@" + extra);
            var (rcA, outA) = SeedLab.Ansible(_dir, "-i", ansibleInv, pb, "-e", "@" + extra);
            Assert.True(rcA == 0, outA);
            Assert.True(rcR == 0, outR);
            Assert.Equal(SeedLab.Sequence(outA), SeedLab.Sequence(outR));
            // the recaps are part of the sequences, so the counts are ansible-playbook's on its twin host: the first pass
            // changes the host, the second nothing
            var recap = outR.Split('\n').LastOrDefault(l => l.Contains(" ok=")) ?? "";
            Assert.True(recap.Contains(" changed=0 ") == (pass == 2), outR);
        }
        Assert.Equal(State(ansibleHost), State(runnerHost));
        Assert.Contains("install ok installed", State(runnerHost));
    }
}

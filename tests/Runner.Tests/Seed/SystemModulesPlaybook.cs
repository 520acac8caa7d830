using Runner.Engine.Values;

namespace Runner.Tests.Seed;

/// <summary>
/// The system-module playbook the lab runs with both tools (group, user, apt, package, file, get_url with a checksum,
/// unarchive, copy of a unit with a handler, systemd, lineinfile) against group k8s (<see cref="SeedLab.Inventory"/>),
/// with the seed's static_web_server_download_url/_checksum variables (tests/lab/seed/up.sh), and the state it leaves
/// on a host. Shared by the test versus ansible-playbook on two python hosts and the bare-host test.
/// </summary>
public static class SystemModulesPlaybook
{
    /// <summary>The playbook's YAML text.</summary>
    public const string Text = """
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

    /// <summary>What the playbook leaves on <paramref name="host"/> (one line each): group, user, package states, the
    /// folder's owner/group/mode, the unit's activity and enablement, the config file and the unpacked binary.</summary>
    public static string State((string Name, Dict Vars) host) => SeedLab.Ssh(host,
        "getent group svc | cut -d: -f1; getent passwd svc | cut -d: -f1,5,7; dpkg-query -W -f='${Status}\\n' hello tree; " +
        "stat -c '%U %G %a' /opt/svc; systemctl is-active svc; systemctl is-enabled svc; cat /opt/svc/svc.conf; " +
        "ls /opt/svc/*/static-web-server");

    /// <summary>Shell commands that undo the playbook on a host (the service, unit, user, group, folder and packages).</summary>
    public const string Undo =
        "systemctl disable --now svc 2>/dev/null; rm -f /etc/systemd/system/svc.service; systemctl daemon-reload; " +
        "userdel svc 2>/dev/null; groupdel svc 2>/dev/null; rm -rf /opt/svc; dpkg --purge hello tree >/dev/null 2>&1; true";
}

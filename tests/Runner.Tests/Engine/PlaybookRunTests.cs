using Runner.Cli;

namespace Runner.Tests.Engine;

/// <summary>
/// End to end over the local connection: a playbook writes files into a temp folder; the first run
/// changes, the second is ok, --check on a fresh folder reports changes and leaves it untouched, and
/// drift made between runs is repaired (changed again).
/// </summary>
public sealed class PlaybookRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-play-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<(int Rc, string Out)> Play(params string[] extra)
    {
        var output = new StringWriter();
        var args = new List<string> { "-i", Path.Combine(_dir, "inventory.yml"), Path.Combine(_dir, "site.yml"), "--stdout-callback", "transcript" };
        args.AddRange(extra);
        var rc = await PlayCommand.RunAsync(args, output);
        return (rc, output.ToString());
    }

    private void Setup(string target)
    {
        Write("inventory.yml", "all:\n  hosts:\n    box:\n      ansible_connection: local\n");
        Directory.CreateDirectory(Path.Combine(_dir, "templates"));
        Write("templates/app.conf.j2", "name={{ app_name }}\n{% for p in ports %}port={{ p }}\n{% endfor %}");
        Write("site.yml", $$$"""
            - name: configure
              hosts: all
              gather_facts: false
              vars:
                out: {{{target}}}
                app_name: demo
                ports: [80, 443]
              tasks:
                - name: folder
                  ansible.builtin.file:
                    path: "{{ out }}"
                    state: directory
                    mode: "0750"
                - name: config from a template
                  ansible.builtin.template:
                    src: app.conf.j2
                    dest: "{{ out }}/app.conf"
                    mode: "0640"
                - name: a line in a file
                  ansible.builtin.lineinfile:
                    path: "{{ out }}/extra.conf"
                    line: "debug=false"
                    create: true
                    mode: "0600"
                - name: copy content
                  ansible.builtin.copy:
                    dest: "{{ out }}/motd"
                    content: "hello {{ app_name }}\n"
            """);
    }

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path) & (UnixFileMode)0xFFF;

    [Fact]
    public async Task First_run_changes_second_run_is_ok_and_state_is_real()
    {
        var target = Path.Combine(_dir, "out");
        Setup(target);

        var (rc1, out1) = await Play();
        Assert.Equal(0, rc1);
        Assert.Contains("box: ok=4 changed=4 unreachable=0 failed=0", out1);

        Assert.Equal("name=demo\nport=80\nport=443\n", File.ReadAllText(Path.Combine(target, "app.conf")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), Mode(Path.Combine(target, "app.conf")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("750", 8), Mode(target));
        Assert.Equal("debug=false\n", File.ReadAllText(Path.Combine(target, "extra.conf")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("600", 8), Mode(Path.Combine(target, "extra.conf")));
        Assert.Equal("hello demo\n", File.ReadAllText(Path.Combine(target, "motd")));

        var (rc2, out2) = await Play();
        Assert.Equal(0, rc2);
        Assert.Contains("box: ok=4 changed=0 unreachable=0 failed=0", out2);

        // drift: the host changes between runs, the next run repairs it
        File.WriteAllText(Path.Combine(target, "motd"), "tampered\n");
        File.SetUnixFileMode(Path.Combine(target, "app.conf"), (UnixFileMode)Convert.ToInt32("666", 8));
        var (rc3, out3) = await Play();
        Assert.Equal(0, rc3);
        Assert.Contains("box: ok=4 changed=2 unreachable=0 failed=0", out3);
        Assert.Equal("hello demo\n", File.ReadAllText(Path.Combine(target, "motd")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), Mode(Path.Combine(target, "app.conf")));
    }

    [Fact]
    public async Task Check_mode_reports_changes_and_touches_nothing()
    {
        var target = Path.Combine(_dir, "out");
        Setup(target);
        var (rc, output) = await Play("--check", "--diff");
        Assert.Equal(0, rc);
        Assert.Contains("box: ok=4 changed=4", output);
        Assert.Contains("+hello demo", output);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task An_ansible_builtin_module_Runner_lacks_fails_only_the_task_that_runs_it()
    {
        Write("inventory.yml", "all:\n  hosts:\n    box:\n      ansible_connection: local\n");
        Write("site.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - yum: name=httpd state=present
                  when: false
                - ansible.builtin.yum: {name: httpd}
                  ignore_errors: true
                - debug: {msg: after}
            """);
        var (rc, output) = await Play();
        Assert.Equal(0, rc);
        Assert.Contains("error: Runner does not implement the module 'ansible.builtin.yum' (ansible-core has it; the task was not run)", output);
        Assert.Contains("msg: \"after\"", output);

        // a module of a collection the ansible package ships (by its full name) loads too and fails only when run
        Write("site.yml", """
            - hosts: all
              gather_facts: false
              tasks:
                - community.general.pamd: {name: sshd, type: session, control: optional, module_path: pam_motd.so}
                  when: false
                - community.general.pamd: {name: sshd, type: session, control: optional, module_path: pam_motd.so}
                  ignore_errors: true
            """);
        (rc, output) = await Play();
        Assert.Equal(0, rc);
        Assert.Contains("error: Runner does not implement the module 'community.general.pamd' (the ansible package's collections have it; the task was not run)", output);

        Write("site.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - community.general.pamdd: {}\n");
        Assert.StartsWith("couldn't resolve module/action 'community.general.pamdd'", (await Assert.ThrowsAsync<Runner.Engine.Errors.RunnerException>(() => Play())).Message);

        Write("site.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - yumm: name=httpd\n");
        var e = await Assert.ThrowsAsync<Runner.Engine.Errors.RunnerException>(() => Play());
        Assert.StartsWith("couldn't resolve module/action 'yumm'", e.Message);
    }
}

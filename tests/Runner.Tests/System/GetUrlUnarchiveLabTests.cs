using System.Net;
using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// get_url and unarchive on the booted host rdeb1 versus ansible-playbook. The test serves a .tar.gz over HTTP on the
/// lab bridge with a Last-Modified time and answers If-Modified-Since with 304, as a static web server does. One
/// playbook (a download with mode, a download into a folder with a checksum, a remote_src unarchive with a mode, a
/// controller archive unarchived, a creates that skips) run twice by each tool from the same clean state gives the same
/// ok/changed sequence, reports and files; --check on that state reports the same with both (the 304 is ok, the folder
/// download is changed, a tar unarchive is skipped: Ansible 2.14's TgzArchive does not support check mode), and
/// --check after a member was removed (creates no longer skips) reports the same and puts nothing back.
/// </summary>
[Collection("nspawn")]
public sealed class GetUrlUnarchiveLabTests : IDisposable
{
    private const string Root = "/root/getu-lab";
    private static readonly DateTime Published = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          tasks:
            - name: getu folders
              ansible.builtin.file: {path: "{{ item }}", state: directory}
              loop: [/root/getu-lab/dl, /root/getu-lab/out, /root/getu-lab/out2]
            - name: getu download with a mode
              ansible.builtin.get_url: {url: "URL/getu.tar.gz", dest: /root/getu-lab/getu.tar.gz, mode: "0640"}
              register: g1
            - name: getu download into a folder with a checksum
              ansible.builtin.get_url: {url: "URL/getu-copy.tar.gz", dest: /root/getu-lab/dl/, checksum: "sha256:SUM"}
              register: g2
            - name: getu unarchive on the target
              ansible.builtin.unarchive: {src: /root/getu-lab/getu.tar.gz, dest: /root/getu-lab/out, remote_src: true, mode: "u=rwX,g=rX,o="}
              register: u1
            - name: getu unarchive from the controller
              ansible.builtin.unarchive: {src: LOCAL, dest: /root/getu-lab/out2}
              register: u2
            - name: getu unarchive skipped by creates
              ansible.builtin.unarchive: {src: /root/getu-lab/getu.tar.gz, dest: /root/getu-lab/out, remote_src: true, creates: /root/getu-lab/out/one.txt}
            - name: getu report
              ansible.builtin.debug:
                msg: "REPORT {{ g1.dest }}|{{ g2.dest }}|{{ u1.handler|default('-') }}|{{ u1.dest|default('-') }}|{{ u2.dest|default('-') }}|{{ u1.msg|default('-') }}"
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("getu-").FullName;
    private readonly byte[] _archive;

    public GetUrlUnarchiveLabTests()
    {
        var src = Path.Combine(_dir, "src");
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        File.WriteAllText(Path.Combine(src, "one.txt"), "one\n");
        File.WriteAllText(Path.Combine(src, "sub", "two.txt"), "two\n");
        var tar = new System.Diagnostics.ProcessStartInfo("tar") { WorkingDirectory = src };
        foreach (var a in new[] { "--owner=0", "--group=0", "-czf", Path.Combine(_dir, "getu-local.tar.gz"), "one.txt", "sub" }) tar.ArgumentList.Add(a);
        System.Diagnostics.Process.Start(tar)!.WaitForExit();
        _archive = File.ReadAllBytes(Path.Combine(_dir, "getu-local.tar.gz"));
    }

    public void Dispose()
    {
        Directory.Delete(_dir, true);
    }

    /// <summary>The archive at every path, Last-Modified <see cref="Published"/>; If-Modified-Since not older gets 304.</summary>
    private async Task Handle(HttpListenerContext c)
    {
        c.Response.Headers["Last-Modified"] = Published.ToString("R");
        if (DateTime.TryParse(c.Request.Headers["If-Modified-Since"], null, System.Globalization.DateTimeStyles.AdjustToUniversal, out var since) && since >= Published)
            c.Response.StatusCode = 304;
        else if (c.Request.HttpMethod == "HEAD") c.Response.ContentLength64 = _archive.Length;
        else await LabHttpServer.Reply(c, 200, "application/gzip", _archive);
    }

    private static string Ssh(string command) => SeedLab.Ssh(Host, command);

    /// <summary>Every file under the test's folder with type, mode, owner and content digest.</summary>
    private static string State() => Ssh($"cd {Root} && find . | sort | while read -r f; do printf '%s %s %s %s\\n' \"$f\" \"$(stat -c '%F %a %U' \"$f\")\" \"$([ -f \"$f\" ] && sha1sum < \"$f\" | cut -c1-12)\"; done");

    [NspawnFact]
    public void Same_sequence_reports_and_files_as_ansible_playbook_then_check_mode_changes_nothing()
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var host = Host.Name;
        using var server = new LabHttpServer(Handle);
        var url = server.Base;
        var sum = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_archive));
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", host).Replace("URL", url).Replace("SUM", sum).Replace("LOCAL", Path.Combine(_dir, "getu-local.tar.gz")));
        string[] Args(params string[] extra) => PlaybookParity.Args(host, pb, extra);
        try
        {
            Ssh($"rm -rf {Root}");
            var ansible = new[] { SeedLab.Ansible(_dir, Args()), SeedLab.Ansible(_dir, Args()) };
            var ansibleState = State();
            var ansibleCheck = SeedLab.Ansible(_dir, Args("--check"));
            Ssh($"rm -rf {Root}");
            var runner = new[] { SeedLab.Runner(_dir, Args()), SeedLab.Runner(_dir, Args()) };
            for (var i = 0; i < 2; i++) AssertSame(ansible[i], runner[i]);
            Assert.True(runner[0].Out.Contains("changed=5 "), runner[0].Out);
            Assert.True(runner[1].Out.Contains("changed=0 "), runner[1].Out);
            var state = State();
            Assert.True(ansibleState == state, ansibleState + "\n---\n" + state);
            Assert.Contains("./getu.tar.gz regular file 640 root", state);
            Assert.Contains("./out/sub/two.txt regular file 640 root", state);
            Assert.Contains("./out2/one.txt regular file 644 root", state);

            AssertSame(ansibleCheck, SeedLab.Runner(_dir, Args("--check")));
            Assert.True(ansibleCheck.Out.Contains("changed=1 "), ansibleCheck.Out); // only the folder download, which Ansible cannot tell in check mode
            Assert.Equal(state, State());

            Ssh($"rm {Root}/out/one.txt {Root}/out2/one.txt");
            var missing = State();
            var ansibleMissing = SeedLab.Ansible(_dir, Args("--check"));
            Assert.Equal(missing, State());
            AssertSame(ansibleMissing, SeedLab.Runner(_dir, Args("--check")));
            Assert.True(ansibleMissing.Out.Contains("changed=1 ") && ansibleMissing.Out.Contains("skipped=3 "), ansibleMissing.Out);
            Assert.Equal(missing, State());
        }
        finally
        {
            Ssh($"rm -rf {Root}");
            Assert.Equal("gone", Ssh($"[ -e {Root} ] || echo gone"));
        }
    }
}

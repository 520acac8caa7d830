using System.Net;
using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// get_url and unarchive versus ansible-playbook: ansible-playbook on the booted host rdeb1, Runner on rdeb1 and on the
/// bare host (no python3, curl, wget). The test serves a .tar.gz over HTTP on the
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

    /// <summary>Every file under the test's folder of <paramref name="host"/> with type, mode, owner and content digest.</summary>
    private static string State((string Name, Runner.Engine.Values.Dict Vars) host) => SeedLab.Ssh(host, $"cd {Root} && find . | sort | while read -r f; do printf '%s %s %s %s\\n' \"$f\" \"$(stat -c '%F %a %U' \"$f\")\" \"$([ -f \"$f\" ] && sha1sum < \"$f\" | cut -c1-12)\"; done");

    /// <summary>ansible-playbook runs on the first host (it needs python3); Runner on the host of <paramref name="kind"/>,
    /// also the bare one without python3, curl and wget.</summary>
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Same_sequence_reports_and_files_as_ansible_playbook_then_check_mode_changes_nothing(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var (ansibleHost, runnerHost) = (Host, Target(kind));
        using var server = new LabHttpServer(Handle);
        var url = server.Base;
        var sum = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_archive));
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", "all").Replace("URL", url).Replace("SUM", sum).Replace("LOCAL", Path.Combine(_dir, "getu-local.tar.gz")));
        string[] AnsibleArgs(params string[] extra) => PlaybookParity.Args(ansibleHost.Name, pb, extra);
        string[] RunnerArgs(params string[] extra) => PlaybookParity.Args(runnerHost.Name, pb, extra);
        (int Rc, string Out) Runner(params string[] extra) => As(SeedLab.Runner(_dir, RunnerArgs(extra)), runnerHost.Name, ansibleHost.Name);
        var (a, r) = (ansibleHost, runnerHost);
        try
        {
            SeedLab.Ssh(a, $"rm -rf {Root}");
            var ansible = new[] { SeedLab.Ansible(_dir, AnsibleArgs()), SeedLab.Ansible(_dir, AnsibleArgs()) };
            var ansibleState = State(a);
            var ansibleCheck = SeedLab.Ansible(_dir, AnsibleArgs("--check"));
            SeedLab.Ssh(r, $"rm -rf {Root}");
            var runner = new[] { Runner(), Runner() };
            for (var i = 0; i < 2; i++) AssertSame(ansible[i], runner[i]);
            Assert.True(runner[0].Out.Contains("changed=5 "), runner[0].Out);
            Assert.True(runner[1].Out.Contains("changed=0 "), runner[1].Out);
            var state = State(r);
            Assert.True(ansibleState == state, ansibleState + "\n---\n" + state);
            Assert.Contains("./getu.tar.gz regular file 640 root", state);
            Assert.Contains("./out/sub/two.txt regular file 640 root", state);
            Assert.Contains("./out2/one.txt regular file 644 root", state);

            AssertSame(ansibleCheck, Runner("--check"));
            Assert.True(ansibleCheck.Out.Contains("changed=1 "), ansibleCheck.Out); // only the folder download, which Ansible cannot tell in check mode
            Assert.Equal(state, State(r));

            foreach (var h in new[] { a, r }.DistinctBy(h => h.Name)) SeedLab.Ssh(h, $"rm -f {Root}/out/one.txt {Root}/out2/one.txt");
            var missing = State(r);
            var ansibleMissing = SeedLab.Ansible(_dir, AnsibleArgs("--check"));
            Assert.Equal(State(a), missing);
            AssertSame(ansibleMissing, Runner("--check"));
            Assert.True(ansibleMissing.Out.Contains("changed=1 ") && ansibleMissing.Out.Contains("skipped=3 "), ansibleMissing.Out);
            Assert.Equal(missing, State(r));
        }
        finally
        {
            foreach (var h in new[] { a, r }.DistinctBy(h => h.Name))
            {
                SeedLab.Ssh(h, $"rm -rf {Root}");
                Assert.Equal("gone", SeedLab.Ssh(h, $"[ -e {Root} ] || echo gone"));
            }
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Runner.Modules.Sys;
using Runner.Tests.Modules;
using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;
using static Runner.Tests.SystemModules.PlaybookParity;

namespace Runner.Tests.SystemModules;

/// <summary>
/// uri on the booted host rdeb1 versus ansible-playbook, against the test's own HTTP server on the lab bridge: one
/// playbook (GET of JSON, a JSON POST with basic auth, a form PUT, a redirect followed with its cookie, a POST redirect
/// not followed, a 404, a download to dest with If-Modified-Since, creates, a refused connection) run twice by each tool
/// from the same clean state gives the same ok/changed sequence and the same reported values, the same file on the
/// host; --check skips the uri tasks with both. Runner runs it twice more with a PATH without curl: the controller
/// then makes the requests (the server sees them come from the controller) with the same results. A url_password and
/// an Authorization header never appear in a process's arguments on the target.
/// </summary>
[Collection("nspawn")]
public sealed class UriLabTests : IDisposable
{
    private const string Dir = "/tmp/mods-d-uri";
    private const string NoCurlBin = "/tmp/mods-d-bin";
    private static readonly DateTime FileModified = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          environment: "{{ env_over | default({}) }}"
          vars:
            d: /tmp/mods-d-uri
            base: BASE
            pw: mods-d-Secret-4711
          tasks:
            - name: mods-d folder
              ansible.builtin.file: {path: "{{ d }}", state: directory}
            - name: mods-d get json
              ansible.builtin.uri: {url: "{{ base }}/api/echo?q=1"}
              register: g
            - name: mods-d post json with basic auth
              ansible.builtin.uri:
                url: "{{ base }}/api/echo"
                method: post
                body: {name: mods-d, n: 2, "ü": [1, true]}
                body_format: json
                status_code: [200, 201]
                url_username: labuser
                url_password: "{{ pw }}"
                force_basic_auth: true
                return_content: true
                headers: {X-Lab: one}
              register: p
            - name: mods-d put form
              ansible.builtin.uri:
                url: "{{ base }}/api/echo"
                method: PUT
                body: {a: "x y", b: ["1", "&2"]}
                body_format: form-urlencoded
              register: f
            - name: mods-d redirect followed
              ansible.builtin.uri: {url: "{{ base }}/redir"}
              register: rd
            - name: mods-d redirect of a POST not followed
              ansible.builtin.uri: {url: "{{ base }}/redir", method: POST, body: "x=1", status_code: 302}
              register: rp
            - name: mods-d missing
              ansible.builtin.uri: {url: "{{ base }}/missing"}
              register: m
              ignore_errors: true
            - name: mods-d download to dest
              ansible.builtin.uri: {url: "{{ base }}/file.txt", dest: "{{ d }}/file.txt", mode: "0640", status_code: [200, 304]}
              register: dl
            - name: mods-d creates skips
              ansible.builtin.uri: {url: "{{ base }}/missing", creates: "{{ d }}/file.txt"}
              register: cr
            - name: mods-d refused
              ansible.builtin.uri: {url: "REFUSED", timeout: 5}
              register: rf
              ignore_errors: true
            - name: mods-d report
              ansible.builtin.debug:
                msg: "REPORT {{ g.status|default('-') }}|{{ g.json|default('-') }}|{{ g.msg|default('-') }}|{{ g.content_type|default('-') }}|{{ g.redirected|default('-') }}|{{ g.url|default('-')|replace(base, 'B') }}|{{ p.status|default('-') }}|{{ p.json.body|default('-') }}|{{ p.json.ctype|default('-') }}|{{ p.json.auth|default('-') }}|{{ p.json.lab|default('-') }}|{{ p.content|default('-')|length }}|{{ f.json.body|default('-') }}|{{ f.json.ctype|default('-') }}|{{ rd.url|default('-')|replace(base, 'B') }}|{{ rd.redirected|default('-') }}|{{ rd.cookies|default('-') }}|{{ rd.cookies_string|default('-') }}|{{ rd.json.cookie|default('-') }}|{{ rp.status|default('-') }}|{{ rp.location|default('-')|replace(base, 'B') }}|{{ rp.msg|default('-') }}|{{ rp.set_cookie|default('-') }}|{{ m.status|default('-') }}|{{ m.msg|default('-') }}|{{ m.json|default('-') }}|{{ m.failed|default('-') }}|{{ dl.status|default('-') }}|{{ dl.path|default('-') }}|{{ dl.mode|default('-') }}|{{ dl.msg|default('-') }}|{{ dl.last_modified|default('-') }}|{{ cr.stdout|default('-') }}|{{ rf.status|default('-') }}|{{ rf.msg|default('-') }}"
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("mods-d-").FullName;
    private readonly LabHttpServer _server = new(Handle);

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, true);
    }

    /// <summary>The lab endpoints: an echo of the request as JSON, a redirect setting a cookie, a 404 in JSON, a file honouring If-Modified-Since, a slow echo.</summary>
    private static async Task Handle(HttpListenerContext c)
    {
        var path = c.Request.Url!.AbsolutePath;
        if (path == "/redir")
        {
            c.Response.StatusCode = 302;
            c.Response.RedirectLocation = "/api/echo?from=redir";
            c.Response.AppendHeader("Set-Cookie", "sid=lab1; Path=/");
            return;
        }
        if (path == "/missing") { await LabHttpServer.Reply(c, 404, "application/json", "{\"error\": \"nope\"}"u8.ToArray()); return; }
        if (path == "/file.txt")
        {
            c.Response.AppendHeader("Last-Modified", FileModified.ToString("R", CultureInfo.InvariantCulture));
            if (DateTime.TryParse(c.Request.Headers["If-Modified-Since"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var since) && since >= FileModified)
            {
                c.Response.StatusCode = 304;
                return;
            }
            await LabHttpServer.Reply(c, 200, "text/plain; charset=utf-8", "mods-d file\n"u8.ToArray());
            return;
        }
        if (path == "/slow") await Task.Delay(2000);
        var body = await new StreamReader(c.Request.InputStream, Encoding.UTF8).ReadToEndAsync();
        var echo = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["method"] = c.Request.HttpMethod, ["path"] = c.Request.Url.PathAndQuery, ["body"] = body.Replace('"', '\''),
            ["ctype"] = c.Request.ContentType, ["lab"] = c.Request.Headers["X-Lab"], ["cookie"] = c.Request.Headers["Cookie"],
            ["auth"] = c.Request.Headers["Authorization"] == "Basic " + Convert.ToBase64String("labuser:mods-d-Secret-4711"u8.ToArray()),
        });
        await LabHttpServer.Reply(c, c.Request.HttpMethod == "POST" ? 201 : 200, "application/json", Encoding.UTF8.GetBytes(echo));
    }

    private static string Ssh(string command) => SeedLab.Ssh(Host, command);

    private static string State() => Ssh($"cd {Dir} 2>/dev/null && for f in *; do printf '%s %s %s: ' \"$(stat -c %a \"$f\")\" \"$(stat -c %U \"$f\")\" \"$f\"; cat \"$f\"; done");

    /// <summary>The requests the server saw since <paramref name="from"/>, as remote addresses.</summary>
    private List<string> RemotesSince(int from)
    {
        lock (_server.Requests) return _server.Requests.Skip(from).Select(r => r.Remote).Distinct().ToList();
    }

    [NspawnFact]
    public void Same_sequence_values_and_file_as_ansible_playbook_on_the_target_and_from_the_controller()
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var host = Host.Name;
        var bridge = new Uri(_server.Base).Host;
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", host).Replace("BASE", _server.Base).Replace("REFUSED", $"http://{bridge}:1/"));
        string[] Args(params string[] extra) => PlaybookParity.Args(host, pb, extra);
        var noCurl = new[] { "-e", $"{{\"env_over\": {{\"PATH\": \"{NoCurlBin}\"}}}}" };
        void Reset() => Ssh($"rm -rf {Dir}");
        // a PATH with everything of /usr/bin and /usr/sbin but curl and wget, for this test's runs only
        Ssh($"rm -rf {NoCurlBin}; mkdir -p {NoCurlBin} && cd {NoCurlBin} && for f in /usr/bin/* /usr/sbin/*; do n=${{f##*/}}; case $n in curl|wget) ;; *) [ -e \"$n\" ] || ln -s \"$f\" \"$n\";; esac; done");
        try
        {
            Assert.Equal("none", Ssh($"PATH={NoCurlBin} command -v curl wget || echo none"));
            Reset();
            var ansible = new[] { SeedLab.Ansible(_dir, Args()), SeedLab.Ansible(_dir, Args()) };
            var ansibleState = State();
            var ansibleCheck = SeedLab.Ansible(_dir, Args("--check"));
            Assert.Equal(ansibleState, State());
            foreach (var (rc, output) in ansible.Append(ansibleCheck)) Assert.True(rc == 0, output);
            Assert.Contains("changed=2 ", ansible[0].Out); // the folder and the download
            Assert.Contains("changed=0 ", ansible[1].Out); // 304: the file is as new as the server's

            foreach (var extra in new[] { Array.Empty<string>(), noCurl })
            {
                Reset();
                var seen = _server.Requests.Count;
                var runner = new[] { SeedLab.Runner(_dir, Args(extra)), SeedLab.Runner(_dir, Args(extra)) };
                for (var i = 0; i < 2; i++) AssertSame(ansible[i], runner[i]);
                Assert.Single(Reports(runner[0].Out));
                Assert.Equal(ansibleState, State());
                // curl on the target, or the controller (the bridge address) when the PATH has no curl
                Assert.Equal(new[] { extra.Length == 0 ? (string)Host.Vars["ansible_host"]! : bridge }, RemotesSince(seen));

                AssertSame(ansibleCheck, SeedLab.Runner(_dir, Args(extra.Append("--check").ToArray())));
                Assert.Equal(ansibleState, State());
            }
            Assert.Equal("640 root file.txt: mods-d file", ansibleState);
            var report = Reports(ansible[0].Out).Single();
            Assert.Contains("|201|{'name': 'mods-d', 'n': 2, '\\\\u00fc': [1, true]}|application/json|True|one|", report);
            Assert.Contains("|a=x+y&b=1&b=%262|application/x-www-form-urlencoded|B/api/echo?from=redir|True|{'sid': 'lab1'}|sid=lab1|sid=lab1|302|B/api/echo?from=redir|HTTP Error 302: Found|", report);
            Assert.Contains("|404|Status code was 404 and not [200]: HTTP Error 404: Not Found|{'error': 'nope'}|True|200|/tmp/mods-d-uri/file.txt|0640|OK (12 bytes)|", report);
            Assert.Contains("|-1|Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>", report);
        }
        finally
        {
            Reset();
            Ssh($"rm -rf {NoCurlBin}");
            Assert.Equal("gone", Ssh($"[ -e {Dir} ] || [ -e {NoCurlBin} ] || echo gone"));
        }
    }

    [NspawnFact]
    public async Task A_url_password_and_an_authorization_header_never_reach_a_process_argument_list()
    {
        await using var c = Connect();
        await using var watcher = Connect();
        var secret = "pw-" + Unique() + Unique();
        var token = "tok-" + Unique() + Unique();
        // sample every process's argument list on the target while the (slow) request runs
        var sampling = watcher.ExecAsync(
            "end=$(( $(date +%s) + 6 )); seen=0; while [ $(date +%s) -lt $end ]; do " +
            "all=$(for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f 2>/dev/null; echo; done | grep -v -e grep -e 'end='); " +
            "echo \"$all\" | grep -q curl && seen=1; " +
            $"echo \"$all\" | grep -q -F -e '{secret[..3]}{secret[3..]}' -e '{token[..3]}{token[3..]}' && echo LEAK; " +
            "done; echo seen=$seen");
        var r = await Run(c, new UriModule(), D.Of("url", _server.Base + "/slow", "url_username", "labuser", "url_password", secret,
            "headers", D.Of("Authorization-Extra", token), "body", "x=" + token, "method", "POST", "status_code", new List<object?> { 201L }));
        Assert.True(r.Get("status") is 201L, Runner.Engine.Values.PyStr.Repr(r));
        var watched = (await sampling).Stdout;
        Assert.Contains("seen=1", watched); // the sampler did see curl running
        Assert.DoesNotContain("LEAK", watched);
    }
}

using Runner.Modules.Sys;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The seed's certbot flow for real against the lab's pebble (tests/lab/acme/up.sh): group, user, webroot folder,
/// a wellknown-server unit serving the webroot on port 80, certbot certonly --webroot; the second run orders nothing.
/// </summary>
[Collection("nspawn")]
public class CertbotLabTests
{
    [NspawnFact]
    public async Task Certonly_webroot_issues_a_certificate_once_against_pebble()
    {
        await using var c = Connect();
        var server = $"https://{Host.Vars["lab_bridge_address"]}:14000/dir";
        var domain = "www" + Unique() + ".lab.test";
        Assert.NotEqual(true, (await Run(c, new GroupModule(), D.Of("name", "wellknown", "system", true))).Get("failed"));
        await Run(c, new UserModule(), D.Of("name", "wellknown", "group", "wellknown", "system", true, "create_home", false, "shell", "/usr/sbin/nologin"));
        await c.ExecAsync("mkdir -p /var/www/wellknown && chown wellknown:wellknown /var/www/wellknown");
        await c.PutFileAsync("[Unit]\nDescription=wellknown-server\n[Service]\nExecStart=/usr/bin/python3 -m http.server 80 --directory /var/www/wellknown\n[Install]\nWantedBy=multi-user.target\n"u8.ToArray(),
            "/etc/systemd/system/wellknown-server.service");
        var unit = await Run(c, new SystemdModule(), D.Of("name", "wellknown-server", "state", "started", "enabled", true, "daemon_reload", true));
        Assert.NotEqual(true, unit.Get("failed"));
        await c.ExecAsync("for i in 1 2 3 4 5 6 7 8 9 10; do (exec 3<>/dev/tcp/127.0.0.1/80) 2>/dev/null && break; sleep 0.2; done");

        var args = D.Of("domains", new List<object?> { domain }, "webroot", "/var/www/wellknown", "email", "admin@lab.test",
            "agree_tos", true, "server", server);
        try
        {
            var check = await Run(c, new CertbotModule(), args, check: true);
            Assert.Equal(true, check["changed"]); Assert.Equal("issued", check["action"]);
            Assert.Equal("", await Sh(c, $"ls /etc/letsencrypt/live/{domain} 2>/dev/null || true"));

            var first = await Run(c, new CertbotModule(), args);
            Assert.True(first.Get("changed") is true, Runner.Engine.Values.PyStr.Repr(first));
            Assert.Equal($"/etc/letsencrypt/live/{domain}/fullchain.pem", first["fullchain"]);
            Assert.Equal($"/etc/letsencrypt/live/{domain}/privkey.pem", first["privkey"]);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string)first["expiry"]!);
            Assert.Equal("cert.pem chain.pem fullchain.pem privkey.pem",
                (await Sh(c, $"ls /etc/letsencrypt/live/{domain} | grep pem")).Replace('\n', ' '));
            var serial = await Sh(c, $"sha1sum /etc/letsencrypt/live/{domain}/cert.pem");

            var second = await Run(c, new CertbotModule(), args);
            Assert.Equal(false, second["changed"]); Assert.Equal("none", second["action"]);
            Assert.Equal(serial, await Sh(c, $"sha1sum /etc/letsencrypt/live/{domain}/cert.pem"));

            var gone = await Run(c, new CertbotModule(), D.Of("cert_name", domain, "state", "absent"));
            Assert.Equal(true, gone["changed"]);
            Assert.Equal("", await Sh(c, $"ls /etc/letsencrypt/live/{domain} 2>/dev/null || true"));
        }
        finally { await c.ExecAsync($"certbot delete --non-interactive --cert-name {domain} >/dev/null 2>&1; true"); }
    }
}

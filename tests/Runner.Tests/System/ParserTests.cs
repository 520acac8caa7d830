using Runner.Engine.Values;
using Runner.Modules.Sys;

namespace Runner.Tests.SystemModules;

/// <summary>The system modules' parsers of apt, systemctl, certbot and checksum-file output (samples from Debian 12).</summary>
public class ParserTests
{
    [Fact]
    public void Apt_prepared_diff_is_the_plan_between_the_state_line_and_the_upgraded_line_as_apt_py_parse_diff()
    {
        const string plan = "The following NEW packages will be installed:\n  hello\n0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.";
        Assert.Equal(plan, AptModule.Prepared("Reading package lists...\nBuilding dependency tree...\nReading state information...\n" + plan + "\nInst hello (2.10-3)\nConf hello\n"));
        // no "Reading state information..." line (a fresh host): from the start
        Assert.Equal("Reading package lists...\n" + plan, AptModule.Prepared("Reading package lists...\n" + plan + "\nInst hello\n"));
        // no "upgraded" line: to the end
        Assert.Equal("Removing x", AptModule.Prepared("Reading state information...\nRemoving x\n"));
    }

    [Fact]
    public void Apt_cache_policy_gives_installed_and_candidate_and_skips_unknown_names()
    {
        var text = "hello:\n  Installed: (none)\n  Candidate: 2.10-3\n  Version table:\n     2.10-3 500\n" +
                   "tree:amd64:\n  Installed: 2.1.0-1\n  Candidate: 2.1.0-1\n";
        var p = AptState.ParsePolicy(text);
        Assert.Equal((null, "2.10-3"), p["hello"]);
        Assert.Equal(("2.1.0-1", "2.1.0-1"), p["tree"]);
        Assert.False(p.ContainsKey("nosuchpkg"));
    }

    [Fact]
    public void Package_specs_split_on_equals_and_versions_match_with_wildcards()
    {
        Assert.Equal(("hello", "2.10-3"), AptState.Split("hello=2.10-3"));
        Assert.Equal(("hello", null), AptState.Split("hello"));
        Assert.True(AptState.VersionMatches("2.10-3", "2.10*"));
        Assert.False(AptState.VersionMatches("2.11-1", "2.10*"));
        Assert.False(AptState.VersionMatches("2.10-3", "2.10"));
    }

    [Fact]
    public void Dpkg_query_lines_give_status_and_version()
    {
        var d = AptState.ParseDpkg("hello\tii \t2.10-3\ntree\trc \t2.1.0-1\n");
        Assert.Equal(("ii", "2.10-3"), d["hello"]);
        Assert.Equal("rc", d["tree"].Status);
    }

    [Fact]
    public void Systemctl_show_becomes_a_status_dict_with_multiline_exec_values()
    {
        var s = Runner.Modules.Facts.SystemdUnitFact.ParseShow("Id=ssh.service\nActiveState=active\nExecStart={ path=/usr/sbin/sshd ; argv[]=/usr/sbin/sshd -D ;\n ignore_errors=no }\nLoadState=loaded\n");
        Assert.Equal("ssh.service", s["Id"]);
        Assert.Equal("active", s["ActiveState"]);
        Assert.Equal("loaded", s["LoadState"]);
        Assert.StartsWith("{ path=/usr/sbin/sshd", (string)s["ExecStart"]!);
    }

    [Fact]
    public void Certbot_certificates_output_gives_names_domains_expiry_and_key_type()
    {
        var text = "Saving debug log to /var/log/letsencrypt/letsencrypt.log\n\n" +
                   "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\nFound the following certs:\n" +
                   "  Certificate Name: www.lab.test\n    Serial Number: 1a2b\n    Key Type: RSA\n    Domains: www.lab.test api.lab.test\n" +
                   "    Expiry Date: 2025-08-18 12:00:00+00:00 (VALID: 89 days)\n    Certificate Path: /etc/letsencrypt/live/www.lab.test/fullchain.pem\n" +
                   "    Private Key Path: /etc/letsencrypt/live/www.lab.test/privkey.pem\n";
        var c = Assert.Single(CertbotState.Parse(text));
        Assert.Equal("www.lab.test", c.Name);
        Assert.Equal(new[] { "www.lab.test", "api.lab.test" }, c.Domains);
        Assert.Equal("RSA", c.KeyType);
        Assert.Equal(new DateTimeOffset(2025, 8, 18, 12, 0, 0, TimeSpan.Zero), c.Expiry);
    }

    [Fact]
    public void Certbot_orders_only_when_missing_forced_renamed_or_due()
    {
        var now = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var cert = new CertbotCertificate("a.test", new() { "a.test" }, now.AddDays(60), "RSA", "", "");
        var args = new Dict { ["renew_before_days"] = 30L, ["force_renewal"] = false };
        Assert.Null(CertbotModule.Reason(args, cert, new() { "a.test" }, now));
        Assert.Equal("no certificate", CertbotModule.Reason(args, null, new() { "a.test" }, now));
        Assert.Equal("domains differ", CertbotModule.Reason(args, cert, new() { "a.test", "b.test" }, now));
        Assert.Equal("due for renewal", CertbotModule.Reason(args, cert with { Expiry = now.AddDays(10) }, new() { "a.test" }, now));
        Assert.Equal("force_renewal", CertbotModule.Reason(new Dict { ["force_renewal"] = true }, cert, new() { "a.test" }, now));
        Assert.Equal("key type differs", CertbotModule.Reason(new Dict { ["key_type"] = "ecdsa" }, cert, new() { "a.test" }, now));
    }

    [Fact]
    public void Checksum_option_and_checksum_files_parse_as_get_url_does()
    {
        Assert.Equal(("sha256", "ABC", null), Checksums.Parse("sha256:ABC"));
        Assert.NotNull(Checksums.Parse("abc").Error);
        Assert.Equal("Unsupported hash algorithm: crc32", Checksums.Parse("crc32:1").Error);
        var file = "aaa  other.tar.gz\nBBB *app.tar.gz\n";
        Assert.Equal("bbb", Checksums.FromFile(file, "app.tar.gz"));
        Assert.Null(Checksums.FromFile(file, "missing.tar.gz"));
        Assert.Equal("ccc", Checksums.FromFile("ccc\n", "anything"));
    }

    [Fact]
    public void Archive_formats_come_from_names_or_magic_bytes()
    {
        Assert.Equal("TgzArchive", ArchiveFormat.FromName("a.tar.gz")!.Handler);
        Assert.Equal("TarZstdArchive", ArchiveFormat.FromName("a.tar.zst")!.Handler);
        Assert.Equal("TarXzArchive", ArchiveFormat.FromName("a.txz")!.Handler);
        Assert.True(ArchiveFormat.FromName("a.ZIP")!.IsZip);
        Assert.Null(ArchiveFormat.FromName("a.bin"));
        Assert.Equal("ZipArchive", ArchiveFormat.FromMagic("504b030414000000")!.Handler);
        Assert.Equal("TarXzArchive", ArchiveFormat.FromMagic("fd377a585a000004")!.Handler);
    }

    [Fact]
    public void Usermod_options_cover_only_the_fields_that_differ()
    {
        var pw = new Runner.Modules.Facts.UserAccount("web", 1001, 1001, "Web", "/home/web", "/bin/sh", "!", new[] { "web", "www-data" }, "web");
        var same = new Dict { ["uid"] = 1001L, ["shell"] = "/bin/sh", ["comment"] = "Web", ["groups"] = new List<object?> { "www-data" }, ["append"] = false };
        Assert.Empty(UserModule.ModifyWords(same, pw, new() { "www-data" }));
        var diff = new Dict { ["shell"] = "/bin/bash", ["groups"] = new List<object?> { "www-data" }, ["append"] = true };
        Assert.Equal(new[] { "-a", "-G", "www-data", "-s", "/bin/bash" }, UserModule.ModifyWords(diff, pw with { Groups = new[] { "web" } }, new() { "www-data" }));
    }
    [Fact]
    public void The_user_probe_reads_shadows_hash_ageing_and_expiry()
    {
        var f = new Runner.Modules.Facts.UserFact("web");
        Assert.Contains("cut -d: -f2,4,5,8", f.Script);
        var sep = "\n--runner-section--\n";
        var u = f.Parse(new(0, "web:x:1500:1500::/home/web:/bin/sh" + sep + "!$6$x:0:90:22279" + sep + "web" + sep + "web\n", ""))!;
        Assert.Equal(("!$6$x", 0L, 90L, 22279L), (u.Hash, u.PasswordMin, u.PasswordMax, u.Expire));
        var unset = f.Parse(new(0, "web:x:1500:1500::/home/web:/bin/sh" + sep + "*:::" + sep + "web" + sep + "web\n", ""))!;
        Assert.Equal(("*", -1L, -1L, -1L), (unset.Hash, unset.PasswordMin, unset.PasswordMax, unset.Expire));
        var unreadable = f.Parse(new(0, "web:x:1500:1500::/home/web:/bin/sh" + sep + "" + sep + "web" + sep + "web\n", ""))!;
        Assert.Equal(("", -1L), (unreadable.Hash, unreadable.Expire));
    }

    [Fact]
    public void Expiry_dates_and_ageing_follow_ansibles_user_module()
    {
        Assert.Equal("2030-12-31", UserExpiry.ForCreate(1924991999));
        Assert.Equal("", UserExpiry.ForCreate(-1));
        Assert.Equal("", UserExpiry.ForCreate(-0.5)); // floored as time.gmtime
        Assert.Equal("1970-01-01", UserExpiry.ForCreate(0));
        Assert.Null(UserExpiry.ForModify(1924991999, 22279));
        Assert.Equal("2030-12-31", UserExpiry.ForModify(1924991999, -1));
        Assert.Equal("2030-12-31", UserExpiry.ForModify(1924991999, 22278));
        Assert.Equal("", UserExpiry.ForModify(-1, 22279));
        Assert.Null(UserExpiry.ForModify(-1, -1));
        Assert.NotNull(UserExpiry.Invalid(1e20));
        Assert.Null(UserExpiry.Invalid(1924991999));
        Assert.Equal(new[] { "-m", "1", "-M", "90" }, UserExpiry.ChageWords(1, 90, 0, 99999));
        Assert.Empty(UserExpiry.ChageWords(0, 99999, 0, 99999));
        Assert.Empty(UserExpiry.ChageWords(null, null, 0, 99999));
    }
}

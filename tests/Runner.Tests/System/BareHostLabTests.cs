using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Seed;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The system modules on a booted host without python3, curl and wget (the lab's group `bare`, as minimal images
/// come; ansible-playbook cannot run there at all). The playbook the seed test runs with both tools on two python
/// hosts (<see cref="SystemModulesPlaybook"/>: group, user, apt, package, file, get_url, unarchive, copy, systemd
/// with a handler, lineinfile) runs with Runner from a clean host: the first run changes every task (as
/// ansible-playbook's first run on its python twin does), the second changes nothing,
/// --check after it changes nothing (unarchive skipped, as ansible-playbook's with GNU tar), and the host
/// holds the group, user, packages, folder, running service, config line and unpacked binary.
/// </summary>
[Collection("nspawn")]
public sealed class BareHostLabTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-bare-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly string[] Tasks =
        { "group", "user", "apt from the lab repository", "package", "folder", "download", "unpack", "unit", "service", "config line" };

    /// <summary>Each task's and handler's status on the one host of a transcript, in order.</summary>
    private static List<string> Statuses(string transcript) =>
        SeedLab.Sequence(transcript).Where(l => l.StartsWith("  k3s-cluster: ") && !l.Contains(" ok=")).Select(l => l.Split(": ")[1]).ToList();

    [BareHostFact]
    public void System_modules_converge_on_a_host_without_python_curl_and_wget()
    {
        var host = NspawnLab.BareHost!.Value;
        Assert.Equal("", SeedLab.Ssh(host, "command -v python3 python curl wget"));
        var seedVars = Path.Combine(Path.GetDirectoryName(NspawnLab.InventoryPath)!, "seed-vars.yml");
        Assert.True(File.Exists(seedVars), $"{seedVars} is missing: run `sudo tests/lab/seed/up.sh` (the download's tarball)");
        SeedLab.Ssh(host, SystemModulesPlaybook.Undo);
        var pb = Path.Combine(_dir, "site.yml");
        File.WriteAllText(pb, SystemModulesPlaybook.Text);
        var extra = Path.Combine(_dir, "vars.json");
        File.WriteAllText(extra, PyStr.JsonDumps((Dict)YamlLoader.LoadFile(seedVars)!));
        var inv = Path.Combine(_dir, "inventory.yml");
        File.WriteAllText(inv, SeedLab.Inventory(host));
        (int Rc, string Out) Play(params string[] more) =>
            SeedLab.Runner(_dir, new[] { "-i", inv, pb, "-e", "@" + extra }.Concat(more).ToArray());

        var first = Play();
        Assert.True(first.Rc == 0, first.Out);
        // facts ok, every task and the handler changed
        Assert.Equal(new[] { "ok" }.Concat(Tasks.Select(_ => "changed")).Append("changed"), Statuses(first.Out));
        Assert.Contains("HANDLER [restart svc]", first.Out);

        var second = Play();
        Assert.True(second.Rc == 0, second.Out);
        Assert.Equal(Enumerable.Repeat("ok", Tasks.Length + 1), Statuses(second.Out));

        var before = SystemModulesPlaybook.State(host);
        var check = Play("--check");
        Assert.True(check.Rc == 0, check.Out);
        // unarchive skips under --check with GNU tar, as ansible-playbook's does ("does not support check mode when using gtar")
        Assert.Equal(new[] { "ok" }.Concat(Tasks.Select(t => t == "unpack" ? "skipped" : "ok")), Statuses(check.Out));
        Assert.Equal(before, SystemModulesPlaybook.State(host));

        Assert.Equal(string.Join('\n', "svc", "svc:service user:/usr/sbin/nologin", "install ok installed", "install ok installed",
            "svc svc 750", "active", "enabled", "listen=8080"), string.Join('\n', before.Split('\n').Take(8)));
        Assert.EndsWith("/static-web-server", before);
        Assert.Equal("", SeedLab.Ssh(host, "command -v python3 python curl wget"));
    }
}

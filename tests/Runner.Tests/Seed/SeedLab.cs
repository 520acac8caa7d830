using System.Diagnostics;
using System.Text;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Lab;
using Runner.Tests.SystemModules;

namespace Runner.Tests.Seed;

/// <summary>
/// The booted lab hosts the seed tests use (tests/lab/nspawn/up.sh with NSPAWN_HOSTS of at least 7):
/// host 1 is left to the module tests; the seed tests take hosts 2 to 5 and the Ansible comparison of system modules hosts 6 and 7, each fresh. Also runs the CLI and
/// ansible-playbook with the behaviour corpus' callback, and maps ACME names to lab hosts in pebble-challtestsrv.
/// </summary>
public static class SeedLab
{
    /// <summary>Booted hosts in inventory order: name, address and connection variables.</summary>
    public static List<(string Name, Dict Vars)> Hosts()
    {
        var all = (Dict)((Dict)YamlLoader.LoadFile(NspawnLab.InventoryPath)!)["all"]!;
        var common = all.Get("vars") as Dict ?? new Dict();
        return ((Dict)all["hosts"]!).Select(h =>
        {
            var v = new Dict(common);
            foreach (var (k, val) in (Dict)h.Value!) v[k] = val;
            return (h.Key, v);
        }).ToList();
    }

    public static string SharedDir => Path.GetFullPath(Path.Combine(LabEnvironment.RepoRoot, "..", "shared"));

    /// <summary>An inventory (YAML text) naming <paramref name="host"/> k3s-cluster in group k8s.</summary>
    public static string Inventory((string Name, Dict Vars) host) => $"""
        k8s:
          hosts:
            k3s-cluster:
              ansible_host: {host.Vars.Get("ansible_host")}
              ansible_user: root
              ansible_ssh_private_key_file: {host.Vars.Get("ansible_ssh_private_key_file")}
              ansible_ssh_common_args: "{host.Vars.Get("ansible_ssh_common_args")}"
        """;

    /// <summary>Makes the lab DNS answer <paramref name="name"/> with <paramref name="address"/> (pebble validates there).</summary>
    public static async Task MapName(string name, string address)
    {
        using var http = new HttpClient();
        // add-a appends to the name's addresses: clear them first so pebble validates on this host only
        (await http.PostAsync("http://127.0.0.1:8055/clear-a", new StringContent($"{{\"host\":\"{name}\"}}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var body = new StringContent($"{{\"host\":\"{name}\",\"addresses\":[\"{address}\"]}}", Encoding.UTF8, "application/json");
        (await http.PostAsync("http://127.0.0.1:8055/add-a", body)).EnsureSuccessStatusCode();
    }

    /// <summary>Runs the built `runner play` in <paramref name="cwd"/> with the transcript callback; returns rc and stdout.</summary>
    public static (int Rc, string Out) Runner(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(RunnerCli.File) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in RunnerCli.Prefix) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("play");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["RUNNER_STDOUT_CALLBACK"] = "transcript";
        psi.Environment["NO_COLOR"] = "1";
        // the seed's ansible.cfg caches facts in /tmp/ansible_facts: each tool and run gets a cache of its own
        psi.Environment["ANSIBLE_CACHE_PLUGIN_CONNECTION"] = Path.Combine(cwd, ".fact-cache");
        return Run(psi);
    }

    private static (int Rc, string Out) Run(ProcessStartInfo psi)
    {
        // a stdin of their own (closed at once): ansible-playbook refuses to start on an inherited non-blocking stdin
        psi.RedirectStandardInput = true;
        var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + (p.ExitCode != 0 ? "\nSTDERR:\n" + stderr.Result : ""));
    }

    /// <summary>Runs ansible-playbook in <paramref name="cwd"/> with the corpus callback (the transcript grammar).</summary>
    public static (int Rc, string Out) Ansible(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("ansible-playbook") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["ANSIBLE_STDOUT_CALLBACK"] = "corpus";
        psi.Environment["ANSIBLE_CALLBACK_PLUGINS"] = Path.Combine(SharedDir, "corpus", "cases", "_harness", "callback_plugins");
        psi.Environment["ANSIBLE_NOCOLOR"] = "1";
        psi.Environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0";
        psi.Environment["LC_ALL"] = "C.UTF-8";
        psi.Environment["ANSIBLE_CACHE_PLUGIN_CONNECTION"] = Path.Combine(cwd, ".fact-cache");
        return Run(psi);
    }

    /// <summary>True when ansible-playbook is installed.</summary>
    public static bool HasAnsible() => File.Exists("/usr/bin/ansible-playbook");

    /// <summary>The transcript lines that carry outcomes: task banners, host statuses and the recap.</summary>
    public static List<string> Sequence(string transcript) => transcript.Split('\n')
        .SkipWhile(l => !l.StartsWith("PLAY ["))
        .Where(l => l.StartsWith("TASK [") || l.StartsWith("HANDLER [") || l.StartsWith("PLAY [") || l == "RECAP" ||
                    System.Text.RegularExpressions.Regex.IsMatch(l, @"^  \S+( -> \S+)?: (ok|changed|skipped|failed|failed \(ignored\)|unreachable|ok=.*|item=.*|included .*)$"))
        .Select(l => l.TrimEnd())
        .ToList();

    /// <summary>Copies a folder recursively (byte for byte).</summary>
    public static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), true);
    }

    /// <summary>Runs a command on a lab host and returns its trimmed stdout.</summary>
    public static string Ssh((string Name, Dict Vars) host, string command)
    {
        var psi = new ProcessStartInfo("ssh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-i", host.Vars.Get("ansible_ssh_private_key_file")!.ToString()!, "-o", $"UserKnownHostsFile={host.Vars.Get("lab_known_hosts")}",
                     "-o", "BatchMode=yes", $"root@{host.Vars.Get("ansible_host")}", command })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return o.Trim();
    }
}

/// <summary>A fact that needs at least <see cref="Hosts"/> booted lab hosts (and optionally ansible-playbook).</summary>
public sealed class SeedFactAttribute : FactAttribute
{
    public SeedFactAttribute(int hosts = 5, bool ansible = false)
    {
        if (!NspawnLab.IsUp)
            Skip = $"The booted-Debian lab is not up ({NspawnLab.InventoryPath} is missing): run `sudo NSPAWN_HOSTS=7 tests/lab/all-up.sh`.";
        else if (SeedLab.Hosts().Count < hosts)
            Skip = $"These tests need {hosts} booted hosts: run `sudo NSPAWN_HOSTS=7 tests/lab/all-up.sh`.";
        else if (ansible && !SeedLab.HasAnsible())
            Skip = "ansible-playbook is not installed (apt-get install ansible).";
        else if (ansible && !Directory.Exists(Path.Combine(SeedLab.SharedDir, "corpus")))
            Skip = "../shared/corpus is absent.";
    }
}

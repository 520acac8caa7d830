using Runner.Engine.Connections;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// Gathers a host's facts with one batched sh script (<see cref="FactsScript"/>) over any
/// <see cref="IConnection"/>, and returns them as Ansible's <c>ansible_facts</c> has them (keys without
/// the <c>ansible_</c> prefix): architecture, os_family, distribution*, hostname, nodename, fqdn, kernel,
/// kernel_version, system, machine, user_id/uid/gid, env, default_ipv4, all_ipv4_addresses,
/// processor_vcpus, memtotal_mb, service_mgr, pkg_mgr, date_time.
/// Follows ansible-core 2.14's setup module (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/setup_module.html)
/// as observed with <c>ansible localhost -m setup</c> on Debian 12 (tests/ansible-recordings/).
/// </summary>
public static class FactsProbe
{
    /// <summary>
    /// Runs the probe on <paramref name="connection"/> and parses its output.
    /// Errors: <see cref="UnreachableException"/> from the connection; <see cref="InvalidOperationException"/>
    /// when the script fails or its output is cut short.
    /// </summary>
    public static async Task<Dict> GatherAsync(IConnection connection, ExecOptions? options = null, CancellationToken ct = default)
    {
        var r = await connection.ExecAsync(FactsScript.Text, (options ?? new ExecOptions()) with { Stdin = null }, ct);
        if (!r.Stdout.Contains("\nend=1"))
            throw new InvalidOperationException($"Gathering facts failed on {connection.Host} (rc={r.ExitCode}): {r.Stderr.Trim()}");
        return Parse(r.Stdout);
    }

    /// <summary>Turns the probe's <c>key=value</c> output into the facts dict (see the class summary for the keys).</summary>
    public static Dict Parse(string output)
    {
        var one = new Dictionary<string, string>(StringComparer.Ordinal);
        var many = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var (k, v) = (line[..eq], line[(eq + 1)..]);
            one[k] = v;
            if (!many.TryGetValue(k, out var l)) many[k] = l = new List<string>();
            l.Add(v);
        }
        string Get(string k) => one.TryGetValue(k, out var v) ? v : "";
        List<string> All(string k) => many.TryGetValue(k, out var l) ? l : new List<string>();

        var facts = new Dict();
        var machine = Get("machine");
        facts["architecture"] = machine == "i686" || machine == "i386" ? "i386" : machine;
        foreach (var (k, v) in DistributionFacts.From(one)) facts[k] = v;
        var node = Get("nodename");
        facts["hostname"] = node.Split('.')[0];
        facts["nodename"] = node;
        facts["fqdn"] = Get("fqdn");
        var fqdn = Get("fqdn");
        facts["domain"] = fqdn.Contains('.') ? fqdn[(fqdn.IndexOf('.') + 1)..] : "";
        facts["kernel"] = Get("kernel");
        facts["kernel_version"] = Get("kernel_version");
        facts["system"] = Get("system");
        facts["machine"] = machine;
        facts["user_id"] = Get("user_id");
        facts["user_uid"] = ParseLong(Get("user_uid"));
        facts["user_gid"] = ParseLong(Get("user_gid"));
        facts["env"] = ParseEnv(Get("env_b64"));
        foreach (var (k, v) in NetworkFacts.From(Get("route"), Get("route4"), All("addr"), All("if"), Get("iforder"))) facts[k] = v;
        facts["processor_vcpus"] = ParseLong(Get("vcpus"));
        facts["memtotal_mb"] = ParseLong(Get("memtotal_kb")) is long kb ? kb / 1024 : null;
        facts["service_mgr"] = ServiceManager(one);
        facts["pkg_mgr"] = PackageManager(All("pkg"), (string?)facts["os_family"]);
        facts["date_time"] = DateTimeFacts.From(Get("epoch"), Get("nanos"), Get("local"), Get("tz_jan"), Get("tz_jul"));
        return facts;
    }

    private static long? ParseLong(string s) => long.TryParse(s.Trim(), out var v) ? v : null;

    private static Dict ParseEnv(string b64)
    {
        var env = new Dict();
        if (b64.Length == 0) return env;
        byte[] bytes;
        try { bytes = Convert.FromBase64String(b64); } catch (FormatException) { return env; }
        foreach (var item in System.Text.Encoding.UTF8.GetString(bytes).Split('\0'))
        {
            var eq = item.IndexOf('=');
            if (eq > 0) env[item[..eq]] = item[(eq + 1)..];
        }
        return env;
    }

    /// <summary>
    /// Ansible's service_mgr: the name of PID 1 (/proc/1/comm) unless it is too generic (init, *sh),
    /// then systemd when /run/systemd/system exists, openrc, sysvinit when /etc/init.d exists, else "service".
    /// </summary>
    private static string ServiceManager(Dictionary<string, string> one)
    {
        var p1 = one.TryGetValue("proc1", out var v) ? v.Trim() : "";
        if (p1.Length > 0 && p1 != "init" && !p1.EndsWith("sh", StringComparison.Ordinal)) return p1;
        if (one.ContainsKey("systemd_booted")) return "systemd";
        if (one.ContainsKey("openrc")) return "openrc";
        if (one.ContainsKey("initd")) return "sysvinit";
        return "service";
    }

    /// <summary>Ansible's pkg_mgr: apt on the Debian family, dnf before yum, then zypper, apk, pacman; else "unknown".</summary>
    private static string PackageManager(List<string> found, string? family)
    {
        if (family == "Debian" && found.Contains("apt-get")) return "apt";
        foreach (var (exe, name) in new[] { ("dnf", "dnf"), ("yum", "yum"), ("zypper", "zypper"), ("apk", "apk"), ("pacman", "pacman"), ("apt-get", "apt") })
            if (found.Contains(exe)) return name;
        return "unknown";
    }
}

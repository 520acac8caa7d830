using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// ansible-core 2.14's Linux fact collectors by name (lib/ansible/module_utils/facts/default_collectors.py), each
/// turning the probe output into its facts (keys without the ansible_ prefix), with the fact ids that also name
/// it in gather_subset and the collectors it requires (required_facts). Run in Ansible's order.
/// </summary>
internal static class FactCollectors
{
    internal sealed record Collector(string Name, Func<ProbeOutput, Dict, Dict> Collect, string[] FactIds, string[] Requires);

    private static Collector C(string name, Func<ProbeOutput, Dict> collect, string[]? ids = null, string[]? requires = null) =>
        new(name, (p, _) => collect(p), ids ?? Array.Empty<string>(), requires ?? Array.Empty<string>());

    public static readonly IReadOnlyList<Collector> All = new[]
    {
        C("platform", PlatformFacts.From, new[] { "system", "kernel", "kernel_version", "machine", "python_version", "architecture", "machine_id" }),
        C("distribution", Distribution, new[] { "distribution_version", "distribution_release", "distribution_major_version", "os_family" }),
        C("lsb", LsbFacts.From),
        C("selinux", SelinuxFacts.From),
        C("apparmor", SimpleFacts.Apparmor),
        C("chroot", SimpleFacts.Chroot, new[] { "is_chroot" }),
        C("fips", SimpleFacts.Fips),
        C("python", PlatformFacts.PythonFacts),
        C("caps", p => CapsFacts.From(p.Ok("capsh")), new[] { "system_capabilities", "system_capabilities_enforced" }),
        new("pkg_mgr", (p, f) => new Dict { ["pkg_mgr"] = ServiceAndPackageManager.Package(p.Values("pkg"), f.Get("os_family") as string) }, Array.Empty<string>(), new[] { "distribution" }),
        C("service_mgr", p => new Dict { ["service_mgr"] = ServiceAndPackageManager.Service(p) }, requires: new[] { "platform", "distribution" }),
        C("cmdline", p => CmdlineFacts.From(p.Content("/proc/cmdline"))),
        C("date_time", p => new Dict { ["date_time"] = DateTimeFacts.From(p.Value("epoch"), p.Value("nanos"), p.Value("local"), p.Value("tz_jan"), p.Value("tz_jul")) }),
        C("env", p => new Dict { ["env"] = EnvFacts.Parse(p.Value("env_b64")) }),
        C("loadavg", SimpleFacts.LoadAvg),
        C("ssh_pub_keys", SimpleFacts.SshKeys, new[] { "ssh_host_pub_keys", "ssh_host_key_dsa_public", "ssh_host_key_rsa_public", "ssh_host_key_ecdsa_public", "ssh_host_key_ed25519_public" }),
        C("user", UserFacts.From, new[] { "user_id", "user_uid", "user_gid", "user_gecos", "user_dir", "user_shell", "real_user_id", "effective_user_id", "effective_group_ids" }),
        C("virtual", VirtualFacts.From, new[] { "virtualization_type", "virtualization_role", "virtualization_tech_guest", "virtualization_tech_host" }),
        new("hardware", (p, f) => Hardware(p, f), new[] { "processor", "processor_cores", "processor_count", "mounts", "devices" }, new[] { "platform" }),
        C("dns", p => DnsFacts.From(p.Content("/etc/resolv.conf"))),
        C("fibre_channel_wwn", SimpleFacts.FibreChannel),
        C("network", NetworkFacts.From, new[] { "interfaces", "default_ipv4", "default_ipv6", "all_ipv4_addresses", "all_ipv6_addresses" }, new[] { "distribution", "platform" }),
        C("iscsi", SimpleFacts.Iscsi),
        C("nvme", SimpleFacts.Nvme),
        C("local", LocalFacts.From),
        C("facter", OtherFacts.Facter),
        C("ohai", OtherFacts.Ohai),
    };

    private static Dict Distribution(ProbeOutput p)
    {
        var f = new Dict();
        foreach (var (k, v) in DistributionFacts.FileFacts(p)) f[k] = v;
        foreach (var (k, v) in DistributionFacts.From(p.LastValues)) f[k] = v;
        return f;
    }

    /// <summary>LinuxHardware.populate: cpu, memory, dmi, devices, uptime, lvm, mounts.</summary>
    private static Dict Hardware(ProbeOutput p, Dict collected)
    {
        var f = new Dict();
        var xen = p.Exists("/proc/xen") || p.Lines("/sys/hypervisor/type").FirstOrDefault()?.Trim() == "xen";
        var parts = new[]
        {
            CpuFacts.From(p.Lines("/proc/cpuinfo"), collected.Get("architecture") as string ?? "", xen, p.Value("nproc")),
            MemoryFacts.From(p.Lines("/proc/meminfo")), DmiFacts.From(p), DeviceFacts.From(p), SimpleFacts.Uptime(p),
            SimpleFacts.Lvm(p), MountFacts.From(p),
        };
        foreach (var part in parts)
            foreach (var (k, v) in part) f[k] = v;
        return f;
    }
}

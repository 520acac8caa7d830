using System.Text.RegularExpressions;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// virtualization_type, virtualization_role, virtualization_tech_guest and virtualization_tech_host, with the checks
/// and precedence of ansible-core 2.14's LinuxVirtual.get_virtual_facts (lib/ansible/module_utils/facts/virtual/linux.py):
/// /proc/1/cgroup, /proc/1/environ (container=), OpenVZ, /run/systemd/container, docker marker files, Xen, DMI
/// vendor/product names, VxID, /proc/cpuinfo model names, /proc/modules, dmidecode, /dev/kvm; "NA" when none
/// matches. (Ansible does not ask systemd-detect-virt, so neither does Runner: the values stay Ansible's.)
/// </summary>
internal static class VirtualFacts
{
    private const string DmiDir = "/sys/devices/virtual/dmi/id/";

    private sealed class State
    {
        public readonly Dict Facts = new();
        public readonly List<string> Guest = new();
        public readonly List<string> Host = new();
        public bool Found;

        public void AddGuest(string t) { if (!Guest.Contains(t)) Guest.Add(t); }
        public void AddHost(string t) { if (!Host.Contains(t)) Host.Add(t); }

        /// <summary>Records a guest technology; the first one found sets type and role.</summary>
        public void GuestOf(string tech, string? type = null, string role = "guest", bool setRole = true)
        {
            AddGuest(tech);
            if (Found) return;
            Facts["virtualization_type"] = type ?? tech;
            if (setRole) Facts["virtualization_role"] = role;
            Found = true;
        }
    }

    public static Dict From(ProbeOutput p)
    {
        var s = new State();
        foreach (var line in p.Lines("/proc/1/cgroup"))
        {
            if (Regex.IsMatch(line, @"/docker(/|-[0-9a-f]+\.scope)")) s.GuestOf("docker");
            if (line.Contains("/lxc/", StringComparison.Ordinal) || line.Contains("/machine.slice/machine-lxc", StringComparison.Ordinal)) s.GuestOf("lxc");
            if (line.Contains("/system.slice/containerd.service", StringComparison.Ordinal)) s.GuestOf("containerd");
        }
        foreach (var line in p.Lines("/proc/1/environ"))
        {
            if (line.Contains("container=lxc", StringComparison.Ordinal)) s.GuestOf("lxc");
            if (line.Contains("container=podman", StringComparison.Ordinal)) s.GuestOf("podman");
            if (Regex.IsMatch(line, "^container=.")) s.GuestOf("container");
        }
        if (p.Exists("/proc/vz") && !p.Exists("/proc/lve"))
        {
            s.Facts["virtualization_type"] = "openvz";
            if (p.Exists("/proc/bc")) { s.AddHost("openvz"); if (!s.Found) s.Facts["virtualization_role"] = "host"; }
            else { s.AddGuest("openvz"); if (!s.Found) s.Facts["virtualization_role"] = "guest"; }
            s.Found = true;
        }
        var systemdContainer = p.Content("/run/systemd/container");
        if (systemdContainer is not null) s.GuestOf(systemdContainer);
        if (p.Exists("/.dockerenv") || p.Exists("/.dockerinit")) s.GuestOf("docker");
        if (s.Guest.Intersect(new[] { "docker", "lxc", "podman", "openvz", "containerd" }).Any() || systemdContainer is not null) s.AddGuest("container");
        if (p.Exists("/proc/xen"))
        {
            if (p.Lines("/proc/xen/capabilities").Any(l => l.Contains("control_d", StringComparison.Ordinal)))
            {
                s.AddHost("xen");
                if (!s.Found) { s.Facts["virtualization_type"] = "xen"; s.Facts["virtualization_role"] = "host"; }
            }
            else if (!s.Found) { s.Facts["virtualization_type"] = "xen"; s.Facts["virtualization_role"] = "guest"; }
            s.Found = true;
        }
        if (!s.Found) s.Facts["virtualization_role"] = "guest";
        Dmi(p, s);
        if (!s.Found) s.Facts.Remove("virtualization_role");
        var vx = p.Value("vxid");
        if (Regex.IsMatch(vx, @"^VxID:\s+\d+"))
        {
            if (!s.Found) s.Facts["virtualization_type"] = "linux_vserver";
            if (Regex.IsMatch(vx, @"^VxID:\s+0")) { s.AddHost("linux_vserver"); if (!s.Found) s.Facts["virtualization_role"] = "host"; }
            else { s.AddGuest("linux_vserver"); if (!s.Found) s.Facts["virtualization_role"] = "guest"; }
            s.Found = true;
        }
        CpuInfo(p, s);
        Modules(p, s);
        var dmidecode = p.Ok("dmidecode:system-product-name");
        if (dmidecode is not null)
        {
            var vendor = string.Concat(dmidecode.Split('\n').Where(l => !l.StartsWith('#')).Select(l => l.Trim()));
            if (vendor.StartsWith("VMware", StringComparison.Ordinal)) s.GuestOf("VMware");
            if (dmidecode.Contains("BHYVE", StringComparison.Ordinal)) s.GuestOf("bhyve");
        }
        if (p.Exists("/dev/kvm"))
        {
            s.AddHost("kvm");
            if (!s.Found) { s.Facts["virtualization_type"] = "kvm"; s.Facts["virtualization_role"] = "host"; s.Found = true; }
        }
        if (!s.Found) { s.Facts["virtualization_type"] = "NA"; s.Facts["virtualization_role"] = "NA"; }
        s.Facts["virtualization_tech_guest"] = s.Guest.Select(t => (object?)t).ToList();
        s.Facts["virtualization_tech_host"] = s.Host.Select(t => (object?)t).ToList();
        return s.Facts;
    }

    private static void Dmi(ProbeOutput p, State s)
    {
        var product = p.Content(DmiDir + "product_name");
        var vendor = p.Content(DmiDir + "sys_vendor");
        var family = p.Content(DmiDir + "product_family");
        var bios = p.Content(DmiDir + "bios_vendor");
        void Guest(string tech) => s.GuestOf(tech, setRole: false);
        if (product is "KVM" or "KVM Server" or "Bochs" or "AHV") Guest("kvm");
        if (vendor == "oVirt") Guest("oVirt");
        if (vendor == "Red Hat")
        {
            if (family == "RHV") Guest("RHV");
            else if (product == "RHEV Hypervisor") Guest("RHEV");
        }
        if (product is "VMware Virtual Platform" or "VMware7,1") Guest("VMware");
        if (product is "OpenStack Compute" or "OpenStack Nova") Guest("openstack");
        if (bios == "Xen") Guest("xen");
        if (bios == "innotek GmbH") Guest("virtualbox");
        if (bios is "Amazon EC2" or "DigitalOcean" or "Hetzner") Guest("kvm");
        if (vendor is "QEMU" or "Amazon EC2" or "DigitalOcean" or "Google" or "Scaleway" or "Nutanix") Guest("kvm");
        if (vendor == "KubeVirt") Guest("KubeVirt");
        if (vendor == "Microsoft Corporation") Guest("VirtualPC");
        if (vendor == "Parallels Software International Inc.") Guest("parallels");
        if (vendor == "OpenStack Foundation") Guest("openstack");
    }

    private static void CpuInfo(ProbeOutput p, State s)
    {
        foreach (var line in p.Lines("/proc/cpuinfo"))
        {
            string? tech = null;
            if (Regex.IsMatch(line, "^model name.*QEMU Virtual CPU")) tech = "kvm";
            else if (Regex.IsMatch(line, "^vendor_id.*User Mode Linux") || Regex.IsMatch(line, "^model name.*UML")) tech = "uml";
            else if (Regex.IsMatch(line, "^machine.*CHRP IBM pSeries .emulated by qemu.")) tech = "kvm";
            else if (Regex.IsMatch(line, "^vendor_id.*PowerVM Lx86")) tech = "powervm_lx86";
            else if (Regex.IsMatch(line, "^vendor_id.*IBM/S390")) tech = "ibm_systemz";
            if (tech is null) continue;
            s.AddGuest(tech);
            if (!s.Found) { s.Facts["virtualization_type"] = tech; s.Facts["virtualization_role"] = "guest"; s.Found = true; }
        }
    }

    private static void Modules(ProbeOutput p, State s)
    {
        if (!p.Has("modules")) return;
        var modules = p.Value("modules").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (modules.Contains("kvm"))
        {
            s.AddHost("kvm");
            if (!s.Found) { s.Facts["virtualization_type"] = "kvm"; s.Facts["virtualization_role"] = "host"; }
            if (p.Has("vdsm")) { s.AddHost("RHEV"); if (!s.Found) s.Facts["virtualization_type"] = "RHEV"; }
            s.Found = true;
        }
        if (modules.Contains("vboxdrv"))
        {
            s.AddHost("virtualbox");
            if (!s.Found) { s.Facts["virtualization_type"] = "virtualbox"; s.Facts["virtualization_role"] = "host"; s.Found = true; }
        }
        if (modules.Contains("virtio"))
        {
            s.AddHost("kvm");
            if (!s.Found) { s.Facts["virtualization_type"] = "kvm"; s.Facts["virtualization_role"] = "guest"; s.Found = true; }
        }
    }
}

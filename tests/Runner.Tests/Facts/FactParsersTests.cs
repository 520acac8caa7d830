using Runner.Engine.Facts;
using Runner.Engine.Values;

namespace Runner.Tests.Facts;

/// <summary>The fact parsers on sample /proc, /sys and /etc text, with the values ansible-core 2.14's collectors give for them.</summary>
public class FactParsersTests
{
    private const string Rs = "\u001e";

    private static string File(string path, string content) => $"{Rs}F {path}\n{content}\n{Rs}E\n";

    private static string Cmd(string name, string output, int rc = 0) => $"{Rs}C {name} {rc}\n{output}\n{Rs}E\n";

    [Fact]
    public void Cpuinfo_two_sockets_with_hyperthreads()
    {
        var cpu = new List<string>();
        for (var i = 0; i < 8; i++)
            cpu.AddRange(new[] { $"processor\t: {i}", "vendor_id\t: GenuineIntel", "model name\t: Xeon", $"physical id\t: {i / 4}", "siblings\t: 4", $"core id\t: {i % 2}", "cpu cores\t: 2", "flags\t\t: fpu vme", "" });
        var f = CpuFacts.From(cpu, "x86_64", xen: false, nproc: "6");
        Assert.Equal(24, ((List<object?>)f["processor"]!).Count);
        Assert.Equal(2L, f["processor_count"]);
        Assert.Equal(2L, f["processor_cores"]);
        Assert.Equal(2L, f["processor_threads_per_core"]);
        Assert.Equal(8L, f["processor_vcpus"]);
        Assert.Equal(6L, f["processor_nproc"]);
    }

    [Fact]
    public void Meminfo_gives_mb_and_memory_mb()
    {
        var f = MemoryFacts.From(new[] { "MemTotal:       2048000 kB", "MemFree:         1024000 kB", "Buffers:           10240 kB", "Cached:           102400 kB", "SwapCached:            0 kB", "SwapTotal:       1048576 kB", "SwapFree:        1048576 kB" });
        Assert.Equal(2000L, f["memtotal_mb"]);
        Assert.Equal(1000L, f["memfree_mb"]);
        Assert.Equal(1024L, f["swaptotal_mb"]);
        var m = (Dict)f["memory_mb"]!;
        Assert.Equal(1000L, ((Dict)m["real"]!)["used"]);
        Assert.Equal(1110L, ((Dict)m["nocache"]!)["free"]);
        Assert.Equal(890L, ((Dict)m["nocache"]!)["used"]);
        Assert.Equal(0L, ((Dict)m["swap"]!)["used"]);
    }

    [Fact]
    public void Mounts_filter_dedupe_bind_and_statvfs()
    {
        var mtab = "overlay / overlay rw 0 0\n/dev/vda1 /srv ext4 ro 0 0\n/dev/vda1 /srv ext4 rw,relatime 0 0\n/dev/sdb /mnt/with\\040space xfs rw 0 0\nproc /proc proc rw 0 0\n";
        var probe = File("/etc/mtab", mtab) + "mtab=/etc/mtab\n"
            + Cmd("findmnt", "/srv  /dev/vda1[/data] ext4 rw\n/mnt/with space /dev/sdb xfs rw")
            + Cmd("lsblk", "/dev/vda1 1234-abcd\n/dev/sdb")
            + "statvfs=4096 4096 1000 400 300 500 200 /srv\nstatvfs=512 4096 10 5 5 8 8 /mnt/with\\040space\nend=1\n";
        var mounts = ((List<object?>)MountFacts.From(new ProbeOutput(probe))["mounts"]!).Cast<Dict>().ToList();
        Assert.Equal(new[] { "/srv", "/mnt/with space" }, mounts.Select(m => (string)m["mount"]!));
        var srv = mounts[0];
        Assert.Equal("rw,relatime,bind", srv["options"]);
        Assert.Equal(4096L * 1000, srv["size_total"]);
        Assert.Equal(4096L * 300, srv["size_available"]);
        Assert.Equal(700L, srv["block_used"]);
        Assert.Equal(300L, srv["inode_used"]);
        Assert.Equal("1234-abcd", srv["uuid"]);
        Assert.Equal("N/A", mounts[1]["uuid"]);
        Assert.Equal(5120L, mounts[1]["size_total"]);
    }

    [Fact]
    public void Resolv_conf_as_ansible_dns()
    {
        var d = (Dict)DnsFacts.From("# c\nnameserver 10.0.0.1\nnameserver 10.0.0.2\nsearch a.example b.example\ndomain example\noptions timeout:1 rotate\n")["dns"]!;
        Assert.Equal(new List<object?> { "10.0.0.1", "10.0.0.2" }, d["nameservers"]);
        Assert.Equal(new List<object?> { "a.example", "b.example" }, d["search"]);
        Assert.Equal("example", d["domain"]);
        Assert.Equal(new Dict { ["timeout"] = "1", ["rotate"] = true }, (Dict)d["options"]!);
    }

    [Fact]
    public void Cmdline_repeated_keys_and_quotes()
    {
        var f = CmdlineFacts.From("BOOT_IMAGE=/vmlinuz root=UUID=x console=tty0 console=ttyS0 quiet opt=\"a b\"");
        var c = (Dict)f["cmdline"]!;
        var p = (Dict)f["proc_cmdline"]!;
        Assert.Equal("UUID=x", c["root"]);
        Assert.Equal("ttyS0", c["console"]);
        Assert.Equal(new List<object?> { "tty0", "ttyS0" }, p["console"]);
        Assert.Equal(true, c["quiet"]);
        Assert.Equal("\"a b\"", c["opt"]);
    }

    [Fact]
    public void Capsh_current_line_split_like_ansible()
    {
        var f = CapsFacts.From("Current: =ep cap_sys_time,cap_bpf-ep\nBounding set =cap_chown");
        Assert.Equal("True", f["system_capabilities_enforced"]);
        Assert.Equal(new List<object?> { "ep cap_sys_time", "cap_bpf-ep" }, f["system_capabilities"]);
        Assert.Equal("False", CapsFacts.From("Current: =ep\n")["system_capabilities_enforced"]);
        Assert.Equal("N/A", CapsFacts.From(null)["system_capabilities"]);
    }

    [Fact]
    public void Lsb_release_output_and_file()
    {
        var a = (Dict)LsbFacts.From(new ProbeOutput(Cmd("lsb", "No LSB modules are available.\nDistributor ID:\tDebian\nDescription:\tDebian GNU/Linux 12 (bookworm)\nRelease:\t12\nCodename:\tbookworm")))["lsb"]!;
        Assert.Equal("Debian", a["id"]);
        Assert.Equal("12", a["major_release"]);
        var b = (Dict)LsbFacts.From(new ProbeOutput(File("/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_DESCRIPTION=\"Ubuntu 22.04.3 LTS\"")))["lsb"]!;
        Assert.Equal("22", b["major_release"]);
        Assert.Equal("Ubuntu 22.04.3 LTS", b["description"]);
    }

    [Fact]
    public void Virtualization_docker_kvm_host_and_none()
    {
        var docker = VirtualFacts.From(new ProbeOutput(File("/proc/1/cgroup", "0::/docker/0123abcd") + "exists=/.dockerenv\n"));
        Assert.Equal("docker", docker["virtualization_type"]);
        Assert.Equal("guest", docker["virtualization_role"]);
        Assert.Equal(new List<object?> { "docker", "container" }, docker["virtualization_tech_guest"]);
        var host = VirtualFacts.From(new ProbeOutput("modules=kvm_intel kvm irqbypass\n"));
        Assert.Equal("kvm", host["virtualization_type"]);
        Assert.Equal("host", host["virtualization_role"]);
        var qemu = VirtualFacts.From(new ProbeOutput("exists=/sys/devices/virtual/dmi/id/product_name\n" + File("/sys/devices/virtual/dmi/id/sys_vendor", "QEMU")));
        Assert.Equal("kvm", qemu["virtualization_type"]);
        Assert.Equal("guest", qemu["virtualization_role"]);
        var none = VirtualFacts.From(new ProbeOutput(""));
        Assert.Equal("NA", none["virtualization_type"]);
        Assert.Equal("NA", none["virtualization_role"]);
    }

    [Fact]
    public void Ip_addr_output_fills_interface_and_default_ipv4()
    {
        var ip = "2: eth0: <BROADCAST,UP> mtu 1500\n    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0\n    inet 192.168.1.11/24 brd 192.168.1.255 scope global secondary eth0:1\n    inet6 fe80::1/64 scope link\n";
        var probe = "route=8.8.8.8 via 192.168.1.1 dev eth0 src 192.168.1.10 uid 0\nroute6=\niforder=eth0 \n"
            + File("/sys/class/net/eth0/address", "52:54:00:00:00:01") + File("/sys/class/net/eth0/mtu", "1500") + File("/sys/class/net/eth0/operstate", "up")
            + File("/sys/class/net/eth0/type", "1") + File("/sys/class/net/eth0/flags", "0x1103")
            + Cmd("ip:eth0", ip.Replace("    inet 192.168.1.11/24 brd 192.168.1.255 scope global secondary eth0:1\n", "")) + Cmd("ip2:eth0", "    inet 192.168.1.11/24 brd 192.168.1.255 scope global secondary eth0:1");
        var f = NetworkFacts.From(new ProbeOutput(probe));
        var eth0 = (Dict)f["eth0"]!;
        Assert.Equal(true, eth0["active"]);
        Assert.Equal(true, eth0["promisc"]);
        Assert.Equal("192.168.1.0", ((Dict)eth0["ipv4"]!)["network"]);
        Assert.Single((List<object?>)eth0["ipv4_secondaries"]!);
        Assert.Equal("link", ((Dict)((List<object?>)eth0["ipv6"]!)[0]!)["scope"]);
        Assert.Equal(new List<object?> { "eth0", "eth0_1" }, f["interfaces"]);
        var d = (Dict)f["default_ipv4"]!;
        Assert.Equal("192.168.1.1", d["gateway"]);
        Assert.Equal("192.168.1.255", d["broadcast"]);
        Assert.Equal("52:54:00:00:00:01", d["macaddress"]);
        Assert.Equal(new List<object?> { "192.168.1.10", "192.168.1.11" }, f["all_ipv4_addresses"]);
        Assert.Equal(new List<object?> { "fe80::1" }, f["all_ipv6_addresses"]);
    }

    [Fact]
    public void Local_facts_json_ini_and_failures()
    {
        var probe = "fact_path=/etc/ansible/facts.d\n" + Cmd("local:a", "{\"x\": 1}") + Cmd("local:b", "[DEFAULT]\nd = 1\n[sec]\nKey = v") + Cmd("local:c", "not ini")
            + Cmd("local:d", "", rc: 3) + Cmd("localerr:d", "boom");
        var local = (Dict)LocalFacts.From(new ProbeOutput(probe))["local"]!;
        Assert.Equal(new Dict { ["x"] = 1L }, (Dict)local["a"]!);
        Assert.Equal(new Dict { ["key"] = "v", ["d"] = "1" }, (Dict)((Dict)local["b"]!)["sec"]!);
        Assert.Equal("error loading facts as JSON or ini - please check content: /etc/ansible/facts.d/c.fact", local["c"]);
        Assert.Equal("Failure executing fact script (/etc/ansible/facts.d/d.fact), rc: 3, err: boom", local["d"]);
    }

    [Fact]
    public void Block_devices_with_partitions()
    {
        var s = "/sys/devices/pci0000:00/0000:00:04.0/virtio2/block/vda";
        var probe = $"{Rs}D /sys/block\nvda\n{Rs}E\nblockdir=vda {s}\n{Rs}D {s}\nvda1\nqueue\nsize\n{Rs}E\n"
            + File(s + "/size", "2097152") + File(s + "/queue/logical_block_size", "512") + File(s + "/queue/scheduler", "[mq-deadline] none")
            + File(s + "/vda1/start", "2048") + File(s + "/vda1/size", "1024") + $"{Rs}D /dev/disk/by-uuid\nabcd\n{Rs}E\n{Rs}L /dev/disk/by-uuid/abcd ../../vda1\n"
            + Cmd("lspci", "0000:00:04.0 SCSI storage controller: Virtio block device");
        var f = DeviceFacts.From(new ProbeOutput(probe));
        var vda = (Dict)((Dict)f["devices"]!)["vda"]!;
        Assert.Equal("1.00 GB", vda["size"]);
        Assert.Equal("mq-deadline", vda["scheduler_mode"]);
        Assert.Equal("SCSI storage controller: Virtio block device", vda["host"]);
        Assert.Null(vda["vendor"]);
        var part = (Dict)((Dict)vda["partitions"]!)["vda1"]!;
        Assert.Equal("abcd", part["uuid"]);
        Assert.Equal("512.00 KB", part["size"]);
        Assert.Equal(new List<object?> { "abcd" }, ((Dict)part["links"]!)["uuids"]);
    }

    [Fact]
    public void Gather_subset_resolution()
    {
        Assert.Contains("hardware", GatherSubset.Resolve(new[] { "all" }));
        var min = GatherSubset.Resolve(new[] { "!all" });
        Assert.Equal(GatherSubset.Minimal.Order(), min.Order());
        var net = GatherSubset.Resolve(new[] { "!all", "!min", "network" });
        Assert.Equal(new[] { "distribution", "network", "platform" }, net.Order());
        Assert.DoesNotContain("hardware", GatherSubset.Resolve(new[] { "all", "!hardware" }));
        Assert.Contains("hardware", GatherSubset.Resolve(new[] { "!all", "processor" }));
        Assert.Throws<ArgumentException>(() => GatherSubset.Resolve(new[] { "bogus" }));
    }

    [Fact]
    public void Parse_keeps_only_the_subset_and_adds_meta_facts()
    {
        var f = FactsProbe.Parse("system=Linux\nmachine=x86_64\nend=1\n", new[] { "!all", "!min", "network" });
        Assert.False(f.ContainsKey("date_time"));
        Assert.Equal("Linux", f["system"]);
        Assert.Equal(new List<object?> { "!all", "!min", "network" }, f["gather_subset"]);
        Assert.Equal(true, f["module_setup"]);
        Assert.Equal("gather_subset", FactsProbe.OutputName("gather_subset"));
        Assert.Equal("ansible_local", FactsProbe.OutputName("local"));
    }
}

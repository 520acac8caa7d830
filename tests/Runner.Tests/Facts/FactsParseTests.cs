using Runner.Engine.Connections;
using Runner.Engine.Facts;
using Runner.Engine.Values;

namespace Runner.Tests.Facts;

/// <summary>Facts parsing for cases the recordings do not cover, with Ansible 2.14's documented outcomes.</summary>
public class FactsParseTests
{
    [Fact]
    public void Ubuntu_os_release_maps_to_Debian_family_and_version_id()
    {
        var f = FactsProbe.Parse("osr_ID=ubuntu\nosr_VERSION_ID=\"22.04\"\nosr_VERSION_CODENAME=jammy\nmachine=x86_64\nend=1\n");
        Assert.Equal("Ubuntu", f["distribution"]);
        Assert.Equal("Debian", f["os_family"]);
        Assert.Equal("22.04", f["distribution_version"]);
        Assert.Equal("22", f["distribution_major_version"]);
        Assert.Equal("jammy", f["distribution_release"]);
    }

    [Fact]
    public void Rocky_is_RedHat_family_and_dnf_wins_over_yum()
    {
        var f = FactsProbe.Parse("osr_ID=\"rocky\"\nosr_VERSION_ID=\"9.3\"\npkg=dnf\npkg=yum\nproc1=systemd\nend=1\n");
        Assert.Equal("Rocky", f["distribution"]);
        Assert.Equal("RedHat", f["os_family"]);
        Assert.Equal("dnf", f["pkg_mgr"]);
        Assert.Equal("systemd", f["service_mgr"]);
    }

    [Fact]
    public void Generic_pid1_falls_back_to_systemd_when_booted_with_it()
    {
        Assert.Equal("systemd", FactsProbe.Parse("proc1=init\nsystemd_booted=1\nend=1\n")["service_mgr"]);
        Assert.Equal("sysvinit", FactsProbe.Parse("proc1=bash\ninitd=1\nend=1\n")["service_mgr"]);
    }

    [Fact]
    public void Env_is_decoded_from_nul_separated_base64()
    {
        var b64 = Convert.ToBase64String("HOME=/root\0A=b=c\0"u8.ToArray());
        var env = (Dict)FactsProbe.Parse($"env_b64={b64}\nend=1\n")["env"]!;
        Assert.Equal("/root", env["HOME"]);
        Assert.Equal("b=c", env["A"]);
    }

    [Fact]
    public void Default_ipv4_without_ip_uses_proc_net_route_and_fib_trie()
    {
        // /proc/net/route stores addresses little-endian: 0100FA0A is 10.250.0.1, 00FAFA0A/00FFFFFF is 10.250.250.0/24
        const string R = "\u001e";
        var probe = $"iforder=eth0 lo \n{R}F /sys/class/net/eth0/address\naa:bb:cc:dd:ee:ff\n{R}E\n{R}F /sys/class/net/eth0/mtu\n1500\n{R}E\n"
            + $"{R}F /sys/class/net/eth0/type\n1\n{R}E\n{R}F /proc/net/route\nIface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
            + "eth0\t00000000\t0100FA0A\t0003\t0\t0\t0\t00000000\neth0\t00FAFA0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\n"
            + $"{R}E\n{R}F /proc/net/fib_trie\nMain:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 10.250.250.7\n        /32 host LOCAL\n{R}E\nend=1\n";
        var f = FactsProbe.Parse(probe);
        var d = (Dict)f["default_ipv4"]!;
        Assert.Equal("eth0", d["interface"]);
        Assert.Equal("10.250.0.1", d["gateway"]);
        Assert.Equal("10.250.250.7", d["address"]);
        Assert.Equal("255.255.255.0", d["netmask"]);
        Assert.Equal(1500L, d["mtu"]);
        Assert.Equal("ether", d["type"]);
        Assert.Equal(new List<object?> { "10.250.250.7" }, f["all_ipv4_addresses"]);
    }

    [Fact]
    public void Dst_name_is_the_summer_zone_name_west_and_east()
    {
        var ny = (Dict)FactsProbe.Parse("epoch=1700000000\nlocal=2023 11 14 17 13 20 -0500 EST Tuesday 2 46\ntz_jan=-0500 EST\ntz_jul=-0400 EDT\nend=1\n")["date_time"]!;
        Assert.Equal("EDT", ny["tz_dst"]);
        Assert.Equal("2023-11-14T22:13:20Z", ny["iso8601"]);
        Assert.Equal("17:13:20", ny["time"]);
        var berlin = (Dict)FactsProbe.Parse("epoch=1700000000\nlocal=2023 11 14 23 13 20 +0100 CET Tuesday 2 46\ntz_jan=+0100 CET\ntz_jul=+0200 CEST\nend=1\n")["date_time"]!;
        Assert.Equal("CEST", berlin["tz_dst"]);
    }

    [Fact]
    public async Task Probe_over_the_local_connection_matches_uname()
    {
        var facts = await FactsProbe.GatherAsync(new LocalConnection("localhost"));
        Assert.Equal(Environment.MachineName.Split('.')[0], facts["hostname"]);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), facts["kernel"]);
        Assert.Equal("Linux", facts["system"]);
        Assert.Equal((long)File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor")), facts["processor_vcpus"]);
    }
}

using System.Text.RegularExpressions;
using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// The platform facts (system, kernel, kernel_version, machine, architecture, userspace_bits,
/// userspace_architecture, fqdn, hostname, nodename, domain, machine_id, python_version) as ansible-core 2.14's
/// PlatformFactCollector reports them (lib/ansible/module_utils/facts/system/platform.py), from uname, the fqdn
/// lookup, the ELF class of the target's python3 (else /bin/sh) for the userspace bits, and the machine-id files;
/// and python/discovered_interpreter_python (system/python.py; interpreter discovery picks /usr/bin/python3 on
/// Debian, else python3 on PATH) when python3 exists.
/// </summary>
internal static class PlatformFacts
{
    public static Dict From(ProbeOutput p)
    {
        var f = new Dict();
        var machine = p.Value("machine");
        f["system"] = p.Value("system");
        f["kernel"] = p.Value("kernel");
        f["kernel_version"] = p.Value("kernel_version");
        f["machine"] = machine;
        if (Python(p) is { } py && py.Get("python_version") is string pv) f["python_version"] = pv;
        var fqdn = p.Value("fqdn");
        var node = p.Value("nodename");
        f["fqdn"] = fqdn;
        f["hostname"] = node.Split('.')[0];
        f["nodename"] = node;
        f["domain"] = string.Join('.', fqdn.Split('.').Skip(1));
        var bits = p.Value("elf_class") switch { "02" => "64", "01" => "32", _ => "" };
        f["userspace_bits"] = bits;
        if (machine == "x86_64" || Regex.IsMatch(machine, "i([3456]86|86pc)"))
        {
            f["architecture"] = machine == "x86_64" ? machine : "i386";
            if (bits == "64") f["userspace_architecture"] = "x86_64";
            else if (bits == "32") f["userspace_architecture"] = "i386";
        }
        else f["architecture"] = machine;
        var id = p.Content("/var/lib/dbus/machine-id") ?? p.Content("/etc/machine-id");
        if (id is not null) f["machine_id"] = id.Split('\n')[0];
        return f;
    }

    /// <summary>python (version, version_info, executable, has_sslcontext, type) when python3 answered; else nothing.</summary>
    public static Dict PythonFacts(ProbeOutput p)
    {
        var f = new Dict();
        if (Python(p) is not { } py) return f;
        py.Remove("python_version");
        f["python"] = py;
        return f;
    }

    /// <summary>The interpreter Ansible's discovery picks on a Debian-family target: /usr/bin/python3 when present.</summary>
    public static Dict Discovered(ProbeOutput p) =>
        p.Value("python3") is { Length: > 0 } path ? new Dict { ["discovered_interpreter_python"] = path } : new Dict();

    private static Dict? Python(ProbeOutput p)
    {
        return p.Ok("python") is { } json ? ProbeOutput.ParseJson(json, out _) as Dict : null;
    }
}

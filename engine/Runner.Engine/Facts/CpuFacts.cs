using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// processor, processor_count, processor_cores, processor_threads_per_core, processor_vcpus, processor_nproc from
/// /proc/cpuinfo as ansible-core 2.14's LinuxHardware.get_cpu_facts computes them
/// (lib/ansible/module_utils/facts/hardware/linux.py): the processor list holds every "processor", "vendor_id",
/// "model name", "Processor", "cpu", "Vendor" value in file order; sockets come from "physical id"/"cpu cores",
/// threads from "core id"/"siblings"; Xen paravirtual guests (no vme flag) count one core per processor.
/// processor_nproc is sched_getaffinity's size (here `nproc` without the OMP variables).
/// </summary>
internal static class CpuFacts
{
    private static readonly HashSet<string> ListKeys = new(StringComparer.Ordinal) { "model name", "Processor", "vendor_id", "cpu", "Vendor", "processor" };

    public static Dict From(IReadOnlyList<string> cpuinfo, string architecture, bool xen, string nproc)
    {
        var f = new Dict();
        if (cpuinfo.Count == 0) return f;
        var processor = new List<object?>();
        f["processor"] = processor;
        int i = 0, vendorIds = 0, modelNames = 0, processors = 0;
        var xenParavirt = false;
        string physid = "0", coreid = "0";
        var sockets = new Dictionary<string, long>(StringComparer.Ordinal);
        var cores = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in cpuinfo)
        {
            var colon = line.IndexOf(':');
            var key = (colon < 0 ? line : line[..colon]).Trim();
            var val = colon < 0 ? "" : line[(colon + 1)..].Trim();
            if (xen && key == "flags" && !val.Contains("vme", StringComparison.Ordinal)) xenParavirt = true;
            if (ListKeys.Contains(key))
            {
                processor.Add(val);
                if (key == "vendor_id") vendorIds++;
                if (key == "model name") modelNames++;
                if (key == "processor") processors++;
                i++;
            }
            else if (key == "physical id") { physid = val; sockets.TryAdd(physid, 1); }
            else if (key == "core id") { coreid = val; if (!sockets.ContainsKey(coreid)) cores[coreid] = 1; }
            else if (key == "cpu cores" && long.TryParse(val, out var cc)) sockets[physid] = cc;
            else if (key == "siblings" && long.TryParse(val, out var sib)) cores[coreid] = sib;
            else if (key == "# processors" && long.TryParse(val, out var np)) f["processor_cores"] = np;
            else if (key == "ncpus active" && int.TryParse(val, out var na)) i = na;
        }
        if (vendorIds > 0 && vendorIds == modelNames) i = vendorIds;
        if (architecture.StartsWith("armv", StringComparison.Ordinal) || architecture.StartsWith("aarch", StringComparison.Ordinal) || architecture.StartsWith("ppc", StringComparison.Ordinal))
            i = processors;
        if (architecture == "s390x") return f;
        if (xenParavirt)
        {
            f["processor_count"] = (long)i;
            f["processor_cores"] = (long)i;
            f["processor_threads_per_core"] = 1L;
            f["processor_vcpus"] = (long)i;
            return f;
        }
        f["processor_count"] = sockets.Count > 0 ? sockets.Count : (long)i;
        long perSocket = sockets.Count > 0 && sockets.Values.First() != 0 ? sockets.Values.First() : 1;
        f["processor_cores"] = perSocket;
        var threads = cores.Count > 0 ? FloorDiv(cores.Values.First(), perSocket) : FloorDiv(1, perSocket);
        f["processor_threads_per_core"] = threads;
        f["processor_vcpus"] = threads * (long)f["processor_count"]! * perSocket;
        f["processor_nproc"] = long.TryParse(nproc.Trim(), out var n) ? n : processors;
        return f;
    }

    private static long FloorDiv(long a, long b) => b == 0 ? 0 : (long)Math.Floor((double)a / b);
}

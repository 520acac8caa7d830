using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// The host's mounts as ansible.posix.mount's get_linux_mounts reads /proc/self/mountinfo: by mount point (as the
/// file spells it, octal escapes kept), each with its source, where a mount whose parent is listed gets the folder it
/// shows instead (a bind mount's source: its root, the parent's root left out and the parent's mount point put
/// before it), options and fstype. Null when the file cannot be read.
/// </summary>
public sealed class MountInfoFact : Fact<IReadOnlyDictionary<string, MountInfoFact.Mount>?>
{
    /// <summary>One mount: its mount point, source (device, or bind source), options and fstype.</summary>
    public sealed record Mount(string Dst, string Src, string Opts, string Fs);

    /// <inheritdoc/>
    public override string Key => "mountinfo";

    /// <inheritdoc/>
    public override string Script => "cat /proc/self/mountinfo 2>/dev/null || exit 3";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Mount>? Parse(CommandResult output) => output.ExitCode == 0 ? From(output.Stdout) : null;

    private sealed class Record
    {
        public long Id, ParentId;
        public string Root = "", Dst = "", Opts = "", Fs = "", Src = "";
    }

    /// <summary>Ansible's get_linux_mounts over mountinfo text (records in file order, later ones of a mount point win).</summary>
    public static IReadOnlyDictionary<string, Mount> From(string mountinfo)
    {
        var records = new Dictionary<long, Record>();
        foreach (var line in mountinfo.Split('\n'))
        {
            var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 7 || !long.TryParse(f[0], out var id) || !long.TryParse(f[1], out var parent)) continue;
            records[id] = new Record { Id = id, ParentId = parent, Root = f[3], Dst = f[4], Opts = f[5], Fs = f[^3], Src = f[^2] };
        }
        var mounts = new Dictionary<string, Mount>(StringComparer.Ordinal);
        foreach (var m in records.Values)
        {
            var src = m.Src;
            if (m.ParentId != 1 && records.TryGetValue(m.ParentId, out var p))
            {
                if (p.Root.Length > 1 && m.Root.StartsWith(p.Root + "/", StringComparison.Ordinal)) m.Root = m.Root[p.Root.Length..];
                if (p.Dst != "/") m.Root = p.Dst + m.Root;
                src = m.Root;
            }
            mounts[m.Dst] = new Mount(m.Dst, src, m.Opts, m.Fs);
        }
        return mounts;
    }
}

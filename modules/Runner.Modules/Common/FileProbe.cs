using System.Globalization;
using Runner.Engine.Connections;
using Runner.Engine.Modules;

namespace Runner.Modules.Common;

/// <summary>
/// What a path on the target is, read with one sh script (test, stat -c, readlink, sha1sum).
/// Type is "absent", "file", "directory", "link" (only when not following), or "other" (fifo, socket, device).
/// Mode holds the permission bits (0..0o7777); times are seconds since the epoch.
/// </summary>
internal sealed record FileState(string Path, string Type, int Mode = 0, long Uid = 0, long Gid = 0,
    string Owner = "", string Group = "", long Size = 0, double Mtime = 0, double Atime = 0, double Ctime = 0,
    long Inode = 0, long Nlink = 0, long Dev = 0, int RawMode = 0, string? LinkTarget = null, string? Sha1 = null,
    bool Readable = false, bool Writable = false, bool Executable = false, bool IsLink = false, string? LinkResolved = null,
    long Blocks = 0, long BlockSize = 0, long Rdev = 0)
{
    public bool Exists => Type != "absent";
}

/// <summary>Reads <see cref="FileState"/> of target paths through the connection (no Python on the target).</summary>
internal static class FileProbe
{
    /// <summary>
    /// Probes <paramref name="path"/>. With <paramref name="follow"/> a symlink is described by its target
    /// (IsLink still tells it was a link). With <paramref name="checksum"/> a readable regular file gets its digest
    /// (<paramref name="algorithm"/>: md5, sha1, sha224, sha256, sha384, sha512, run as the coreutils NAMEsum tool) in Sha1.
    /// </summary>
    /// <exception cref="InvalidOperationException">The probe script itself failed (message holds stderr).</exception>
    public static async Task<FileState> ProbeAsync(ModuleContext ctx, string path, bool follow, bool checksum, CancellationToken ct, string algorithm = "sha1")
    {
        var r = await ctx.ShAsync(Script(path, follow, checksum, algorithm), ct);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.Stderr.Trim());
        return Parse(path, r.Stdout);
    }

    /// <summary>The read-only sh script that describes <paramref name="path"/> (see <see cref="ProbeAsync"/>); exit 1 when stat fails.</summary>
    public static string Script(string path, bool follow, bool checksum, string algorithm = "sha1")
    {
        var q = ShellQuote.Quote(path);
        var l = follow ? "-L " : "";
        var script =
            $"p={q}\n" +
            "if [ ! -e \"$p\" ] && [ ! -L \"$p\" ]; then echo T=absent; exit 0; fi\n" +
            "if [ -L \"$p\" ]; then echo K=1; printf 'L=%s\\n' \"$(readlink -- \"$p\")\"; printf 'R=%s\\n' \"$(readlink -f -- \"$p\" 2>/dev/null)\"; fi\n" +
            $"stat {l}-c 'S=%f|%u|%g|%U|%G|%s|%.9Y|%.9X|%.9Z|%i|%h|%d|%b|%o|%t|%T' -- \"$p\" || exit 1\n" +
            "[ -r \"$p\" ] && echo A=r; [ -w \"$p\" ] && echo A=w; [ -x \"$p\" ] && echo A=x\n" +
            (checksum ? $"if [ {(follow ? "" : "! -L \"$p\" ] && [ ")}-f \"$p\" ] && [ -r \"$p\" ]; then printf 'C=%s\\n' \"$({algorithm}sum < \"$p\" | cut -d' ' -f1)\"; fi\n" : "") +
            "exit 0\n";
        return script;
    }

    /// <summary>The <see cref="FileState"/> of <paramref name="path"/> from <see cref="Script"/>'s stdout.</summary>
    public static FileState Parse(string path, string output)
    {
        string? link = null, resolved = null, sha = null, s = null;
        bool isLink = false, rd = false, wr = false, ex = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.Length < 2 || line[1] != '=') continue;
            var v = line[2..];
            switch (line[0])
            {
                case 'T': return new FileState(path, "absent");
                case 'K': isLink = true; break;
                case 'L': link = v; break;
                case 'R': resolved = v; break;
                case 'S': s = v; break;
                case 'C': sha = v; break;
                case 'A': rd |= v == "r"; wr |= v == "w"; ex |= v == "x"; break;
            }
        }
        if (s is null) return new FileState(path, "absent");
        var f = s.Split('|');
        var raw = int.Parse(f[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var type = (raw & 0xF000) switch { 0x8000 => "file", 0x4000 => "directory", 0xA000 => "link", _ => "other" };
        static double D(string t) => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new FileState(path, type, raw & 0xFFF, long.Parse(f[1]), long.Parse(f[2]), f[3], f[4], long.Parse(f[5]),
            D(f[6]), D(f[7]), D(f[8]), long.Parse(f[9]), long.Parse(f[10]), long.Parse(f[11]), raw, link, sha, rd, wr, ex,
            isLink, resolved, long.Parse(f[12]), long.Parse(f[13]),
            MakeDev(long.Parse(f[14], NumberStyles.HexNumber), long.Parse(f[15], NumberStyles.HexNumber)));
    }

    /// <summary>glibc makedev(major, minor), as Python's os.makedev (stat's device_type).</summary>
    private static long MakeDev(long major, long minor) =>
        (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
}

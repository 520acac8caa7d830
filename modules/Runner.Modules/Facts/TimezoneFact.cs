using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// What the timezone module reads on a Linux host. <see cref="Path"/> is the PATH searched; the tool paths are null
/// when absent (<see cref="Timedatectl"/> also when `timedatectl status` fails, <see cref="Status"/> is its output);
/// <see cref="ZoneFile"/>: /usr/share/zoneinfo/ZONE is a file; the texts of /etc/timezone, /etc/default/rcS and
/// /etc/adjtime are null when absent; <see cref="Localtime"/> is what /etc/localtime is ("link", "file" or "none"
/// for none or a broken link) with <see cref="LinkTarget"/> and, for a file, <see cref="LocaltimeSame"/> (same bytes as the zone's file).
/// </summary>
public sealed record TimezoneProbe(string Path, string? Timedatectl, string? Status, bool ZoneFile, string? TimezoneText,
    string Localtime, string LinkTarget, bool LocaltimeSame, string? Rcs, string? Adjtime, string? Ln, string? DpkgReconfigure, string? Hwclock);

/// <summary>
/// The timezone state of a Linux host (<see cref="TimezoneProbe"/>) in one probe: the tools, `timedatectl status`,
/// the zone's zoneinfo file, and the files community.general.timezone reads without timedatectl
/// (https://docs.ansible.com/ansible/latest/collections/community/general/timezone_module.html).
/// </summary>
public sealed class TimezoneFact : Fact<TimezoneProbe>
{
    /// <summary>Where the zone name lives without timedatectl.</summary>
    public const string TimezoneFile = "/etc/timezone";

    /// <summary>Where hwclock's UTC= setting lives without timedatectl (Debian).</summary>
    public const string RcsFile = "/etc/default/rcS";

    private readonly string? _zone;

    /// <summary>The state, checking the zoneinfo file of <paramref name="zone"/> (null: no zone asked for).</summary>
    public TimezoneFact(string? zone) => _zone = zone;

    /// <inheritdoc/>
    public override string Key => "timezone:" + (_zone ?? "");

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var zoneFile = ShellQuote.Quote("/usr/share/zoneinfo/" + (_zone ?? ""));
            string B64(string path) => $"if [ -e {path} ]; then echo present; base64 -w0 {path}; echo; fi; {TargetScript.Sep}";
            return new StringBuilder()
                .Append("PATH=$PATH:/sbin:/usr/sbin:/usr/local/sbin; echo \"$PATH\"; ").Append(TargetScript.Sep).Append("; ")
                .Append("for t in timedatectl ln dpkg-reconfigure hwclock; do command -v $t || echo; done; ").Append(TargetScript.Sep).Append("; ")
                .Append("t=$(command -v timedatectl) && { s=$(\"$t\" status 2>&1) && printf 'ok\\n%s\\n' \"$s\"; }; ").Append(TargetScript.Sep).Append("; ")
                .Append(_zone is null ? "" : $"[ -f {zoneFile} ] && echo yes; ").Append(TargetScript.Sep).Append("; ")
                .Append(B64(TimezoneFile)).Append("; ").Append(B64(RcsFile)).Append("; ").Append(B64("/etc/adjtime")).Append("; ")
                .Append("if [ -L /etc/localtime ]; then if [ -e /etc/localtime ]; then echo link; else echo broken; fi; readlink /etc/localtime; ")
                .Append("elif [ -e /etc/localtime ]; then echo file; ")
                .Append(_zone is null ? "" : $"a=$(sha256sum < /etc/localtime) && b=$(sha256sum < {zoneFile}) && [ \"$a\" = \"$b\" ] && echo same; ")
                .Append("else echo none; fi")
                .ToString();
        }
    }

    /// <inheritdoc/>
    public override TimezoneProbe Parse(CommandResult output)
    {
        var s = TargetScript.Sections(output.Stdout);
        string Sec(int i) => i < s.Length ? s[i] : "";
        string? Tool(string[] tools, int i) => i < tools.Length && tools[i].Length > 0 ? tools[i] : null;
        string? File(int i)
        {
            var lines = Sec(i).Split('\n');
            return lines[0] == "present" ? Encoding.UTF8.GetString(Convert.FromBase64String(lines.Length > 1 ? lines[1].Trim() : "")) : null;
        }
        var tools = Sec(1).Split('\n');
        var status = Sec(2);
        var timedatectlRuns = status.StartsWith("ok\n") || status == "ok";
        var localtime = Sec(7).Split('\n');
        return new TimezoneProbe(
            Path: Sec(0).Trim(),
            Timedatectl: timedatectlRuns ? Tool(tools, 0) : null,
            Status: timedatectlRuns ? status[Math.Min(3, status.Length)..] : null,
            ZoneFile: Sec(3).Trim() == "yes",
            TimezoneText: File(4), Rcs: File(5), Adjtime: File(6),
            Localtime: localtime[0] == "broken" ? "none" : localtime[0],
            LinkTarget: localtime.Length > 1 ? localtime[1] : "",
            LocaltimeSame: localtime.Length > 1 && localtime[1] == "same",
            Ln: Tool(tools, 1), DpkgReconfigure: Tool(tools, 2), Hwclock: Tool(tools, 3));
    }
}

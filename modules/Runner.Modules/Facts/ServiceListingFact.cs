using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>One listing command's output: stdout, exit code (-1 when unknown) and stderr.</summary>
public sealed record ToolOutput(string Stdout, int Rc, string Stderr);

/// <summary>
/// What service_facts lists on a Linux host: `service --status-all` (<see cref="Sysv"/>, null when `service` is
/// missing or chkconfig / rc-status is there; <see cref="InitD"/> whether /etc/init.d exists), and when PID 1 is
/// systemd the systemctl path and its `list-units` and `list-unit-files` outputs (null otherwise).
/// </summary>
public sealed record ServiceListing(ToolOutput? Sysv, bool InitD, string? Systemctl, ToolOutput? Units, ToolOutput? UnitFiles);

/// <summary>
/// The service listings ansible.builtin.service_facts 2.14 reads (lib/ansible/modules/service_facts.py), in one
/// probe, in Ansible's PATH and parsing locale: <see cref="ServiceListing"/>.
/// </summary>
public sealed class ServiceListingFact : Fact<ServiceListing>
{
    /// <summary>
    /// sh prelude: Ansible's PATH additions and parsing locale (the first of C.utf8, C.UTF-8, en_US.utf8, en_US.UTF-8,
    /// C, POSIX that `locale -a` lists), and run(): the command's stdout, then a section with "rc=N" and its stderr,
    /// then a separator (so each run gives two sections).
    /// </summary>
    internal static string Prelude => $$"""
        PATH=$PATH:/sbin:/usr/sbin:/usr/local/sbin:/usr/bin:/usr/local/bin
        avail=$(locale -a 2>/dev/null); loc=C
        for p in C.utf8 C.UTF-8 en_US.utf8 en_US.UTF-8 C POSIX; do
          case "
        $avail
        " in *"
        $p
        "*) loc=$p; break;; esac
        done
        LANG=$loc; LC_ALL=$loc; export LANG LC_ALL
        run() { { err=$("$@" 2>&1 >&3); rc=$?; } 3>&1; printf '\n%s\nrc=%s\n%s\n%s\n' {{TargetScript.Separator}} "$rc" "$err" {{TargetScript.Separator}}; }

        """;

    /// <inheritdoc/>
    public override string Key => "service-listing";

    /// <inheritdoc/>
    public override string Script => Prelude + $$"""
        svc=$(command -v service); chk=$(command -v chkconfig); rcs=$(command -v rc-status)
        if [ -n "$svc" ] && [ -z "$chk" ] && [ -z "$rcs" ]; then echo sysv; [ -e /etc/init.d ] && echo initd; {{TargetScript.Sep}}; run "$svc" --status-all; else {{TargetScript.Sep}}; fi
        sc=; case $(cat /proc/1/comm 2>/dev/null) in *systemd*) sc=$(command -v systemctl);; esac
        if [ -n "$sc" ]; then echo "$sc"; {{TargetScript.Sep}}; run "$sc" list-units --no-pager --type service --all; run "$sc" list-unit-files --no-pager --type service --all; fi
        """;

    /// <inheritdoc/>
    public override ServiceListing Parse(CommandResult output)
    {
        var s = TargetScript.Sections(output.Stdout);
        var i = 0;
        ToolOutput? sysv = null;
        var initd = false;
        if (s[i++].Split('\n') is var head && head[0] == "sysv" && i + 1 < s.Length)
        {
            sysv = Output(s[i], s[i + 1]);
            initd = head.Contains("initd");
            i += 2;
        }
        if (i < s.Length && s[i].Trim() is { Length: > 0 } systemctl && i + 4 < s.Length)
            return new ServiceListing(sysv, initd, systemctl, Output(s[i + 1], s[i + 2]), Output(s[i + 3], s[i + 4]));
        return new ServiceListing(sysv, initd, null, null, null);
    }

    /// <summary>A run()'s output from its stdout section and its "rc=N\nSTDERR" section.</summary>
    internal static ToolOutput Output(string stdout, string rcSection)
    {
        var first = rcSection.Split('\n')[0];
        var rc = first.StartsWith("rc=") && int.TryParse(first[3..], out var n) ? n : -1;
        var err = rcSection.Contains('\n') ? rcSection[(rcSection.IndexOf('\n') + 1)..] : "";
        return new ToolOutput(stdout, rc, err);
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.service_facts (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/service_facts_module.html)
/// on Linux, as 2.14's lib/ansible/modules/service_facts.py: in Ansible's parsing locale (the first of C.utf8, C.UTF-8,
/// en_US.utf8, en_US.UTF-8, C, POSIX that `locale -a` lists), `service --status-all` when `service` is there (and neither
/// chkconfig nor rc-status), then, when PID 1 is systemd, `systemctl list-units` / `list-unit-files` and
/// `systemctl show NAME --property=ActiveState` for the unit files list-units does not show (parsing: ServiceFactsParser).
/// Result: ansible_facts.services {NAME: {name, state, status, source}}, changed false, warnings as Ansible's; with no
/// service found: skipped with Ansible's message. Reads only, so it runs in check mode too.
/// Not done: upstart, chkconfig (Red Hat sysv), OpenRC, AIX SRC and OpenBSD rcctl.
/// </summary>
public sealed class ServiceFactsModule : IModule
{
    public string Name => "service_facts";

    public ModuleSpec Spec { get; } = ModuleSpec.Of();

    /// <summary>
    /// sh prelude: Ansible's PATH additions and parsing locale, and run(): the command's stdout, then a section with
    /// "rc=N" and its stderr, then a separator (so each run gives two sections).
    /// </summary>
    private static string Prelude => $$"""
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

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var script = Prelude + $$"""
            svc=$(command -v service); chk=$(command -v chkconfig); rcs=$(command -v rc-status)
            if [ -n "$svc" ] && [ -z "$chk" ] && [ -z "$rcs" ]; then echo sysv; [ -e /etc/init.d ] && echo initd; {{TargetScript.Sep}}; run "$svc" --status-all; else {{TargetScript.Sep}}; fi
            sc=; case $(cat /proc/1/comm 2>/dev/null) in *systemd*) sc=$(command -v systemctl);; esac
            if [ -n "$sc" ]; then echo "$sc"; {{TargetScript.Sep}}; run "$sc" list-units --no-pager --type service --all; run "$sc" list-unit-files --no-pager --type service --all; fi
            """;
        var s = TargetScript.Sections((await ctx.ShAsync(script, ct)).Stdout);
        var services = new Dict();
        var warnings = new List<object?>();
        var i = 0;
        if (s[i++].Split('\n') is var sysv && sysv[0] == "sysv")
        {
            var (stdout, rc, stderr) = (s[i], Rc(s[i + 1]), Err(s[i + 1]));
            i += 2;
            if (!(rc == 4 && !sysv.Contains("initd")))
            {
                if (rc != 0) warnings.Add($"Unable to query 'service' tool ({rc}): {stderr}");
                ServiceFactsParser.AddSysv(services, stdout);
            }
        }
        if (i < s.Length && s[i].Trim() is { Length: > 0 } systemctl && i + 4 < s.Length)
        {
            var (units, unitsRc, files, filesRc) = (s[i + 1], Rc(s[i + 2]), s[i + 3], Rc(s[i + 4]));
            if (unitsRc != 0) warnings.Add($"Could not list units from systemd: {Err(s[i + 2])}");
            else ServiceFactsParser.AddUnits(services, units);
            if (filesRc != 0) warnings.Add($"Could not get unit files data from systemd: {Err(s[i + 4])}");
            else
            {
                List<(string Name, string Status)> list;
                try { list = ServiceFactsParser.UnitFiles(files); }
                catch (FormatException e) { return Common.Results.Fail(e.Message); }
                var states = await ActiveStatesAsync(ctx, systemctl, list.Select(f => f.Name).Where(n => !services.ContainsKey(n)).Distinct().ToList(), ct);
                ServiceFactsParser.AddUnitFiles(services, list, n => states.GetValueOrDefault(n, "unknown"));
            }
        }
        var result = services.Count == 0
            ? new Dict { ["changed"] = false, ["skipped"] = true, ["msg"] = "Failed to find any services. This can be due to privileges or some other configuration issue." }
            : new Dict { ["changed"] = false, ["ansible_facts"] = new Dict { ["services"] = services } };
        if (warnings.Count > 0) result["warnings"] = warnings;
        return result;
    }

    /// <summary>`systemctl show NAME --property=ActiveState` for each unit, in one round trip.</summary>
    private static async Task<Dictionary<string, string>> ActiveStatesAsync(ModuleContext ctx, string systemctl, List<string> units, CancellationToken ct)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        if (units.Count == 0) return states;
        var script = Prelude + $"for u in {ShellQuote.Join(units)}; do run {ShellQuote.Quote(systemctl)} show --property=ActiveState -- \"$u\"; done";
        var s = TargetScript.Sections((await ctx.ShAsync(script, ct)).Stdout);
        for (var k = 0; k < units.Count && 2 * k + 1 < s.Length; k++)
            states[units[k]] = ServiceFactsParser.ActiveState(Rc(s[2 * k + 1]), s[2 * k].Length > 0 ? s[2 * k] + "\n" : "");
        return states;
    }

    private static int Rc(string section) =>
        section.Split('\n')[0] is var l && l.StartsWith("rc=") && int.TryParse(l[3..], out var rc) ? rc : -1;

    private static string Err(string section) => section.Contains('\n') ? section[(section.IndexOf('\n') + 1)..] : "";
}

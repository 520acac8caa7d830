using System.Text.RegularExpressions;
using Runner.Engine.Values;

namespace Runner.Modules.Sys;

/// <summary>
/// The parsing of ansible.builtin.service_facts 2.14 (lib/ansible/modules/service_facts.py,
/// https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/service_facts_module.html) for a Linux host:
/// `service --status-all` (ServiceScanService._list_sysvinit), `systemctl list-units --no-pager --type service --all`
/// and `systemctl list-unit-files --no-pager --type service --all` (SystemctlScanService). Each service is
/// {name, state, status, source} (sysv ones have no status); services are kept in the order Ansible adds them.
/// </summary>
internal static partial class ServiceFactsParser
{
    /// <summary>The load/active states that mark a unit whose list-units line starts with a status glyph.</summary>
    public static readonly string[] BadStates = { "not-found", "masked", "failed" };

    [GeneratedRegex(@"^\s*\[ (?<state>\+|\-) \]\s+(?<name>.+)$", RegexOptions.Multiline)]
    private static partial Regex SysvLine();

    private static string[] Fields(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<string> ServiceLines(string text) => text.Split('\n').Where(l => l.Contains(".service"));

    /// <summary>Adds the `service --status-all` entries: "[ + ] name" running, "[ - ] name" stopped ("[ ? ]" lines are not services).</summary>
    public static void AddSysv(Dict services, string stdout)
    {
        foreach (Match m in SysvLine().Matches(stdout))
        {
            var name = m.Groups["name"].Value.TrimEnd('\r');
            services[name] = new Dict { ["name"] = name, ["state"] = m.Groups["state"].Value == "+" ? "running" : "stopped", ["source"] = "sysv" };
        }
    }

    /// <summary>
    /// Adds the units of `systemctl list-units`: status is the bad state when a field is one (the glyph field is then
    /// dropped) else the ACTIVE column; state "running" when SUB is running, else "stopped". Lines too short to hold
    /// the columns are skipped (Ansible fails on them with an IndexError).
    /// </summary>
    public static void AddUnits(Dict services, string stdout)
    {
        foreach (var line in ServiceLines(stdout))
        {
            var fields = Fields(line);
            string status;
            if (BadStates.FirstOrDefault(b => fields.Contains(b)) is { } bad) { status = bad; fields = fields[1..]; }
            else if (fields.Length > 2) status = fields[2];
            else continue;
            if (fields.Length < 4) continue;
            var name = fields[0];
            services[name] = new Dict { ["name"] = name, ["state"] = fields[3] == "running" ? "running" : "stopped", ["status"] = status, ["source"] = "systemd" };
        }
    }

    /// <summary>
    /// The (unit, state) pairs of `systemctl list-unit-files` lines (UNIT FILE, STATE[, PRESET]); throws
    /// <see cref="FormatException"/> with Ansible's message on a line with fewer than two fields.
    /// </summary>
    public static List<(string Name, string Status)> UnitFiles(string stdout)
    {
        var list = new List<(string, string)>();
        foreach (var line in ServiceLines(stdout))
        {
            var f = Fields(line);
            if (f.Length < 2) throw new FormatException($"Malformed output discovered from systemd list-unit-files: {line}");
            list.Add((f[0], f[1]));
        }
        return list;
    }

    /// <summary>
    /// Merges the unit files: a unit already listed takes the unit file's status unless its status is a bad state;
    /// another one is added with the state <paramref name="activeState"/> gives for it (the `systemctl show NAME
    /// --property=ActiveState` value, "unknown" when that failed or printed nothing).
    /// </summary>
    public static void AddUnitFiles(Dict services, List<(string Name, string Status)> files, Func<string, string> activeState)
    {
        foreach (var (name, status) in files)
        {
            if (services.Get(name) is not Dict s)
                services[name] = new Dict { ["name"] = name, ["state"] = activeState(name), ["status"] = status, ["source"] = "systemd" };
            else if (!BadStates.Contains(s.Get("status") as string))
                s["status"] = status;
        }
    }

    /// <summary>The state from one `systemctl show NAME --property=ActiveState` run: its stdout without "ActiveState=", "unknown" on failure.</summary>
    public static string ActiveState(int rc, string stdout) =>
        rc == 0 && stdout.Length > 0 ? stdout.Replace("ActiveState=", "").TrimEnd() : "unknown";
}

using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// A systemd unit as `systemctl show` and `systemctl is-enabled` report it. <see cref="Status"/> holds every show
/// property (strings, as Ansible's parse_systemctl_show); <see cref="EnabledText"/> is is-enabled's output
/// ("enabled", "disabled", "masked", "static", "indirect", "alias", ... or empty) and <see cref="EnabledRc"/> its exit code.
/// </summary>
public sealed record SystemdUnit(Dict Status, string EnabledText, int EnabledRc)
{
    /// <summary>The unit's LoadState ("loaded", "not-found", "masked", ...), null when show printed none.</summary>
    public string? LoadState => Status.Get("LoadState") as string;

    /// <summary>Whether systemd knows the unit: a LoadState other than not-found.</summary>
    public bool Found => LoadState is { } ls && ls != "not-found";

    /// <summary>Whether the unit is masked (is-enabled says so).</summary>
    public bool Masked => EnabledText == "masked";

    /// <summary>Enabled as Ansible's systemd module decides it: is-enabled succeeds and the unit is not only indirect or an alias.</summary>
    public bool Enabled => EnabledRc == 0 && EnabledText is not ("indirect" or "alias");

    /// <summary>The ActiveState ("active", "inactive", "activating", "deactivating", "failed"), "" when unknown.</summary>
    public string ActiveState => Status.Get("ActiveState") as string ?? "";
}

/// <summary>
/// The state of one systemd unit (<see cref="SystemdUnit"/>) read in one probe: `systemctl show UNIT` and
/// `systemctl is-enabled UNIT`, with --user or --global for those scopes
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/systemd_service_module.html).
/// </summary>
public sealed class SystemdUnitFact : Fact<SystemdUnit>
{
    private readonly string _scope;
    private readonly string _unit;

    /// <summary>The unit named <paramref name="unit"/> in <paramref name="scope"/> ("system", "user" or "global").</summary>
    public SystemdUnitFact(string scope, string unit) => (_scope, _unit) = (scope, unit);

    /// <summary>The systemctl words for a scope: systemctl, plus --user or --global.</summary>
    public static string[] Systemctl(string scope) => scope switch
    {
        "user" => new[] { "systemctl", "--user" },
        "global" => new[] { "systemctl", "--global" },
        _ => new[] { "systemctl" },
    };

    /// <inheritdoc/>
    public override string Key => $"systemd-unit:{_scope}:{_unit}";

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var sc = ShellQuote.Join(Systemctl(_scope));
            var q = ShellQuote.Quote(_unit);
            return $"{sc} show {q} 2>&1; {TargetScript.Sep}; {sc} is-enabled {q} 2>/dev/null; echo \"rc=$?\"";
        }
    }

    /// <inheritdoc/>
    public override SystemdUnit Parse(CommandResult output)
    {
        var sec = TargetScript.Sections(output.Stdout);
        var lines = sec.Length > 1 ? sec[1].Split('\n').ToList() : new List<string> { "rc=1" };
        var rc = lines[^1].StartsWith("rc=") && int.TryParse(lines[^1][3..], out var n) ? n : 1;
        lines.RemoveAt(lines.Count - 1);
        return new SystemdUnit(ParseShow(sec[0]), string.Join("\n", lines).Trim(), rc);
    }

    /// <summary>Parses `systemctl show` output ("Key=Value" lines, values kept as strings) into a Dict, as Ansible's parse_systemctl_show (multi-line Exec* values joined).</summary>
    public static Dict ParseShow(string text)
    {
        var d = new Dict();
        string? multiKey = null;
        var multi = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (multiKey is not null)
            {
                multi.Add(line);
                if (line.TrimEnd().EndsWith('}')) { d[multiKey] = string.Join("\n", multi).Trim(); multiKey = null; multi.Clear(); }
                continue;
            }
            var i = line.IndexOf('=');
            if (i <= 0) continue;
            var key = line[..i];
            var value = line[(i + 1)..];
            if (key.StartsWith("Exec") && value.TrimStart().StartsWith('{') && !value.TrimEnd().EndsWith('}'))
            {
                multiKey = key; multi.Add(value); continue;
            }
            d[key] = value.Trim();
        }
        return d;
    }
}

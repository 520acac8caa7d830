using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.service_facts (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/service_facts_module.html)
/// on Linux, as 2.14's lib/ansible/modules/service_facts.py: `service --status-all` when `service` is there (and neither
/// chkconfig nor rc-status), then, when PID 1 is systemd, `systemctl list-units` / `list-unit-files`
/// (<see cref="ServiceListingFact"/>) and the ActiveState of the unit files list-units does not show
/// (<see cref="UnitActiveStatesFact"/>); parsing: ServiceFactsParser.
/// Result: ansible_facts.services {NAME: {name, state, status, source}}, changed false, warnings as Ansible's; with no
/// service found: skipped with Ansible's message. Reads only, so check mode gives the same result.
/// Not done: upstart, chkconfig (Red Hat sysv), OpenRC, AIX SRC and OpenBSD rcctl.
/// </summary>
public sealed class ServiceFactsModule : PlanningModule
{
    public override string Name => "service_facts";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of();

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var listing = await ctx.Facts.GetAsync(new ServiceListingFact(), ct);
        var services = new Dict();
        var plan = new Plan();
        if (listing.Sysv is { } sysv && !(sysv.Rc == 4 && !listing.InitD))
        {
            if (sysv.Rc != 0) plan.Warnings.Add($"Unable to query 'service' tool ({sysv.Rc}): {sysv.Stderr}");
            ServiceFactsParser.AddSysv(services, sysv.Stdout);
        }
        if (listing is { Systemctl: { } systemctl, Units: { } units, UnitFiles: { } files })
        {
            if (units.Rc != 0) plan.Warnings.Add($"Could not list units from systemd: {units.Stderr}");
            else ServiceFactsParser.AddUnits(services, units.Stdout);
            if (files.Rc != 0) plan.Warnings.Add($"Could not get unit files data from systemd: {files.Stderr}");
            else
            {
                List<(string Name, string Status)> list;
                try { list = ServiceFactsParser.UnitFiles(files.Stdout); }
                catch (FormatException e) { return Plan.Fail(e.Message); }
                var unlisted = list.Select(f => f.Name).Where(n => !services.ContainsKey(n)).Distinct().ToList();
                var states = unlisted.Count == 0 ? new Dictionary<string, string>()
                    : await ctx.Facts.GetAsync(new UnitActiveStatesFact(systemctl, unlisted), ct);
                ServiceFactsParser.AddUnitFiles(services, list, n => states.GetValueOrDefault(n, "unknown"));
            }
        }
        if (services.Count == 0)
        {
            plan.Result["skipped"] = true;
            plan.Result["msg"] = "Failed to find any services. This can be due to privileges or some other configuration issue.";
        }
        else plan.Result["ansible_facts"] = new Dict { ["services"] = services };
        return plan;
    }
}

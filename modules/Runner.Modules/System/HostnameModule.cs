using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.hostname (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/hostname_module.html)
/// on Linux with the systemd strategy (use=systemd or debian, or a systemd-managed host: `hostnamectl --pretty --static
/// set-hostname`, then `--transient set-hostname`) or Debian's file strategy (no systemd: /etc/hostname, the current
/// name being the permanent one). Result: {"changed", "name", "ansible_facts": {ansible_hostname, ansible_nodename,
/// ansible_fqdn, ansible_domain}}, diff {"before": "hostname = OLD\n", "after": "hostname = NEW\n"} when changed.
/// Failures as Ansible's: "Command failed rc=N, out=..., err=...", "name cannot be longer than 64 characters on
/// systemd servers, try a shorter name"; other `use` strategies are refused.
/// </summary>
public sealed class HostnameModule : PlanningModule
{
    public override string Name => "hostname";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("use", Choices: new[] { "alpine", "debian", "freebsd", "generic", "macos", "macosx", "darwin", "openbsd", "openrc", "redhat", "sles", "solaris", "systemd" }));

    private const string CommandFailed = "Command failed rc={rc}, out={stdout}, err={stderr}";

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var name = ctx.Args.Str("name")!;
        var use = ctx.Args.Str("use");
        if (use is not null and not ("systemd" or "debian"))
            return Plan.Fail($"use={use} is not supported by Runner (Linux strategies: systemd, debian)");
        var h = await ctx.Facts.GetAsync(new HostnameFact(), ct);
        var systemd = use is not null || h.Systemd;
        string current, permanent;
        var plan = new Plan();
        if (systemd)
        {
            if (h.Transient is null || h.Static is null)
                return Plan.Fail("Failed to find required executable \"hostnamectl\" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            foreach (var read in new[] { h.Transient, h.Static })
                if (read.Rc != 0) return Plan.Fail($"Command failed rc={read.Rc}, out=, err={read.Output}");
            (current, permanent) = (h.Transient.Output, h.Static.Output);
            if ((permanent != name || current != name) && name.Length > 64)
                return Plan.Fail("name cannot be longer than 64 characters on systemd servers, try a shorter name");
            if (permanent != name) plan.Add(new RunStep(Argv.Of("hostnamectl", "--pretty", "--static", "set-hostname", name)) { FailMessage = CommandFailed });
            if (current != name) plan.Add(new RunStep(Argv.Of("hostnamectl", "--transient", "set-hostname", name)) { FailMessage = CommandFailed });
        }
        else
        {
            current = permanent = h.File ?? "";
            if (permanent != name) plan.Add(new PutFileStep("/etc/hostname", Encoding.UTF8.GetBytes(name + "\n")));
        }
        var before = name != current ? current : permanent;
        if (plan.Steps.Count > 0) plan.Diff = new Dict { ["before"] = $"hostname = {before}\n", ["after"] = $"hostname = {name}\n" };
        plan.Then = async (_, token) =>
        {
            var fqdn = await ctx.Facts.GetAsync(new FqdnFact(), token);
            var dot = fqdn.IndexOf('.');
            return Plan.Ok(new Dict
            {
                ["name"] = name,
                ["ansible_facts"] = new Dict
                {
                    ["ansible_hostname"] = name.Split('.')[0], ["ansible_nodename"] = name,
                    ["ansible_fqdn"] = fqdn, ["ansible_domain"] = dot < 0 ? "" : fqdn[(dot + 1)..],
                },
            });
        };
        return plan;
    }
}

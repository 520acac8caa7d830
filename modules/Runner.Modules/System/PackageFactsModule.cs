using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.package_facts (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/package_facts_module.html)
/// for apt, as 2.14's lib/ansible/modules/package_facts.py: ansible_facts.packages maps each installed package's name
/// (arch-qualified when foreign, as python-apt's cache keys) to a one-item list of {name, version, arch, category (the
/// section), origin (the Release Origin of the version's first package file, "" for none), source: "apt"}, read with
/// <see cref="InstalledPackagesFact"/>. manager: auto or apt (a list, lower-cased; "auto" expands to every manager
/// name, as Ansible's); strategy first/all changes nothing with one manager. Reads only: check mode gives the same.
/// Unlike Ansible, python3-apt is not needed on the target (dpkg-query and apt-cache are). Failures with Ansible's
/// messages: "Unsupported package managers requested: X", "Could not detect a supported package manager from the
/// following list: [...] ..."; Ansible's other managers (rpm, portage, pkg, pacman, apk, pkg_info) are refused as
/// not supported by Runner when asked for by name.
/// </summary>
public sealed class PackageFactsModule : PlanningModule
{
    private static readonly string[] Managers = { "apt", "rpm", "portage", "pkg", "pacman", "apk", "pkg_info" };

    public override string Name => "package_facts";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("manager", OptionType.List, Default: new List<object?> { "auto" }, Elements: OptionType.Str),
        new OptionSpec("strategy", Default: "first", Choices: new[] { "first", "all" }));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var given = ctx.Args.StrList("manager");
        var managers = given.Select(m => m.ToLowerInvariant()).ToList();
        var auto = managers.Remove("auto");
        if (auto) managers.AddRange(Managers);
        var unsupported = managers.Where(m => !Managers.Contains(m)).Distinct().ToList();
        if (unsupported.Count > 0)
            return Plan.Fail(given.Contains("auto") ? "Could not auto detect a usable package manager, check warnings for details."
                : $"Unsupported package managers requested: {string.Join(", ", unsupported)}");
        var others = managers.Where(m => m != "apt" && given.Contains(m)).Distinct().ToList();
        if (others.Count > 0) return Plan.Fail($"package manager {string.Join(", ", others)} is not supported by Runner's package_facts (apt only)");

        var installed = managers.Contains("apt") ? await ctx.Facts.GetAsync(new InstalledPackagesFact(), ct) : null;
        if (installed is null)
            return Plan.Fail("Could not detect a supported package manager from the following list: " +
                $"[{string.Join(", ", managers.Distinct().Select(PyStr.ReprString))}], or the required Python library is not installed. Check warnings for details.");
        var packages = new Dict();
        foreach (var p in installed)
        {
            var entry = new Dict
            {
                ["name"] = p.Name, ["version"] = p.Version, ["arch"] = p.Arch, ["category"] = p.Section, ["origin"] = p.Origin, ["source"] = "apt",
            };
            if (packages.Get(p.Name) is List<object?> versions) versions.Add(entry);
            else packages[p.Name] = new List<object?> { entry };
        }
        return Plan.Ok(new Dict { ["ansible_facts"] = new Dict { ["packages"] = packages } });
    }
}

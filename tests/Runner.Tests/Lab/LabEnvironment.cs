using Runner.Engine.Connections;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Tests.Lab;

/// <summary>
/// The SSH lab brought up by tests/lab/up.sh: its inventory (tests/lab/.state/inventory.yml, or
/// RUNNER_LAB_INVENTORY) read into per-host variables (host vars over all.vars).
/// </summary>
public static class LabEnvironment
{
    /// <summary>The repository root (the folder holding Runner.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The lab inventory path.</summary>
    public static string InventoryPath =>
        Environment.GetEnvironmentVariable("RUNNER_LAB_INVENTORY") is { Length: > 0 } p
            ? p
            : Path.Combine(RepoRoot, "tests", "lab", ".state", "inventory.yml");

    /// <summary>True when the lab is up (its inventory exists).</summary>
    public static bool IsUp => File.Exists(InventoryPath);

    /// <summary>Every lab host: inventory name and merged variables.</summary>
    public static IReadOnlyList<(string Name, Dict Vars)> Hosts()
    {
        var root = (Dict)YamlLoader.LoadFile(InventoryPath)!;
        var all = (Dict)root["all"]!;
        var common = all.Get("vars") as Dict ?? new Dict();
        var hosts = (Dict)all["hosts"]!;
        return hosts.Select(h =>
        {
            var vars = new Dict(common);
            foreach (var (k, v) in h.Value as Dict ?? new Dict()) vars[k] = v;
            return (h.Key, vars);
        }).ToList();
    }

    /// <summary>The first lab host.</summary>
    public static (string Name, Dict Vars) First => Hosts()[0];

    /// <summary>A new connection to a lab host, optionally with changed settings.</summary>
    public static SshConnection Connect((string Name, Dict Vars) host, Func<SshSettings, SshSettings>? change = null)
    {
        var s = SshSettings.FromHostVars(host.Name, host.Vars);
        return new SshConnection(host.Name, change is null ? s : change(s));
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Runner.sln"))) return d.FullName;
        throw new InvalidOperationException("Runner.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs the SSH lab; skipped (with the way to bring it up) when the lab is not up.</summary>
public sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute()
    {
        if (!LabEnvironment.IsUp)
            Skip = $"The SSH lab is not up ({LabEnvironment.InventoryPath} is missing): run `sudo tests/lab/up.sh` first.";
    }
}

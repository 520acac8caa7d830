using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Lab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// The booted-Debian lab (tests/lab/nspawn/up.sh): its inventory (tests/lab/nspawn/.state/inventory.yml or
/// RUNNER_NSPAWN_INVENTORY), and a runner of modules over SSH against its first host, as the engine runs them.
/// </summary>
public static class NspawnLab
{
    /// <summary>The inventory written by tests/lab/nspawn/up.sh.</summary>
    public static string InventoryPath =>
        Environment.GetEnvironmentVariable("RUNNER_NSPAWN_INVENTORY") is { Length: > 0 } p
            ? p : Path.Combine(LabEnvironment.RepoRoot, "tests", "lab", "nspawn", ".state", "inventory.yml");

    /// <summary>True when the lab is up.</summary>
    public static bool IsUp => File.Exists(InventoryPath);

    /// <summary>The first booted host: name and merged variables.</summary>
    public static (string Name, Dict Vars) Host
    {
        get
        {
            var all = (Dict)((Dict)YamlLoader.LoadFile(InventoryPath)!)["all"]!;
            return WithVars(all, ((Dict)all["hosts"]!).First());
        }
    }

    /// <summary>The first host of the inventory's group `bare` (no python3, curl, wget; tests/lab/nspawn/up.sh) with its
    /// merged variables, or null when the lab is down or has no bare host.</summary>
    public static (string Name, Dict Vars)? BareHost
    {
        get
        {
            if (!IsUp) return null;
            var all = (Dict)((Dict)YamlLoader.LoadFile(InventoryPath)!)["all"]!;
            if ((all.Get("children") as Dict)?.Get("bare") is not Dict bare || bare.Get("hosts") is not Dict { Count: > 0 } hosts)
                return null;
            return WithVars(all, hosts.First());
        }
    }

    /// <summary>An inventory host's name and its variables over the inventory's `all` vars.</summary>
    private static (string Name, Dict Vars) WithVars(Dict all, KeyValuePair<string, object?> host)
    {
        var vars = new Dict(all.Get("vars") as Dict ?? new Dict());
        foreach (var (k, v) in (Dict)host.Value!) vars[k] = v;
        return (host.Key, vars);
    }

    /// <summary>A new SSH connection to the first booted host.</summary>
    public static SshConnection Connect() => Connect(Host);

    /// <summary>A new SSH connection to <paramref name="host"/> (a name and its inventory variables).</summary>
    public static SshConnection Connect((string Name, Dict Vars) host) =>
        new(host.Name, SshSettings.FromHostVars(host.Name, host.Vars));

    /// <summary>Theory data for module lab tests that run on each kind of booted host: "first" (<see cref="Host"/>,
    /// with python3 and curl) and, when the lab has one, "bare" (<see cref="BareHost"/>).</summary>
    public static TheoryData<string> HostKinds()
    {
        var kinds = new TheoryData<string> { "first" };
        if (BareHost is not null) kinds.Add("bare");
        return kinds;
    }

    /// <summary>The host of a <see cref="HostKinds"/> entry: its name and merged variables.</summary>
    public static (string Name, Dict Vars) Target(string kind) => kind == "bare" ? BareHost!.Value : Host;

    /// <summary>A new SSH connection to the host of a <see cref="HostKinds"/> entry.</summary>
    public static SshConnection Connect(string kind) => Connect(Target(kind));

    /// <summary>Validates args against the module's spec and runs it over <paramref name="c"/>.</summary>
    public static Task<Dict> Run(IConnection c, IModule module, Dict args, bool check = false, bool diff = false,
        PlannedState? planned = null)
    {
        var ctx = new ModuleContext
        {
            Connection = c, Args = ArgumentValidator.Validate(module.Spec, args, module.Name), CheckMode = check, DiffMode = diff,
            Templar = new Templar(), Variables = new DictionaryScope(new Dictionary<string, object?>()), Host = c.Host,
            Planned = planned ?? new PlannedState(),
        };
        return module.RunAsync(ctx, CancellationToken.None);
    }

    /// <summary>Runs a command on the host and returns its trimmed stdout.</summary>
    public static async Task<string> Sh(IConnection c, string script) => (await c.ExecAsync(script)).Stdout.Trim();

    /// <summary>A short unique suffix for names the tests create.</summary>
    public static string Unique() => Guid.NewGuid().ToString("N")[..6];
}

/// <summary>A fact that needs the booted-Debian lab; skipped with the way to bring it up otherwise.</summary>
public sealed class NspawnFactAttribute : FactAttribute
{
    public NspawnFactAttribute()
    {
        if (!NspawnLab.IsUp)
            Skip = $"The booted-Debian lab is not up ({NspawnLab.InventoryPath} is missing): run `sudo tests/lab/nspawn/up.sh` first.";
    }
}

/// <summary>A theory that needs the booted-Debian lab; skipped with the way to bring it up otherwise.</summary>
public sealed class NspawnTheoryAttribute : TheoryAttribute
{
    public NspawnTheoryAttribute()
    {
        if (!NspawnLab.IsUp)
            Skip = $"The booted-Debian lab is not up ({NspawnLab.InventoryPath} is missing): run `sudo tests/lab/nspawn/up.sh` first.";
    }
}

/// <summary>A fact that needs the booted-Debian lab's bare host (<see cref="NspawnLab.BareHost"/>); skipped otherwise.</summary>
public sealed class BareHostFactAttribute : FactAttribute
{
    public BareHostFactAttribute()
    {
        if (NspawnLab.BareHost is null)
            Skip = $"The booted-Debian lab has no bare host ({NspawnLab.InventoryPath} lacks group bare): run `sudo tests/lab/nspawn/up.sh rbare1`.";
    }
}

namespace Runner.Engine.Config;

/// <summary>
/// Settings from runner.cfg / ansible.cfg, found as Ansible finds ansible.cfg (docs: "Ansible Configuration
/// Settings"): the file named by RUNNER_CONFIG or ANSIBLE_CONFIG, else runner.cfg or ansible.cfg in the current
/// folder, else ~/.runner.cfg or ~/.ansible.cfg, else /etc/ansible/ansible.cfg. INI sections [defaults] and [ssh_connection]; relative paths
/// are taken from the file's folder. Keys read: inventory, roles_path, forks, remote_user, private_key_file,
/// host_key_checking, become, become_user, become_method, timeout, gathering, fact_caching,
/// fact_caching_connection, stdout_callback, ssh_args/pipelining (accepted, not needed).
/// </summary>
public sealed class RunnerConfig
{
    private readonly Dictionary<string, Dictionary<string, string>> _sections = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The file read, or null when none was found.</summary>
    public string? Path { get; private set; }

    /// <summary>Finds and reads the configuration file; an absent file gives an empty configuration.</summary>
    public static RunnerConfig Load()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("RUNNER_CONFIG"),
            Environment.GetEnvironmentVariable("ANSIBLE_CONFIG"),
            System.IO.Path.Combine(Directory.GetCurrentDirectory(), "runner.cfg"),
            System.IO.Path.Combine(Directory.GetCurrentDirectory(), "ansible.cfg"),
        };
        var home = Environment.GetEnvironmentVariable("HOME");
        if (home is not null)
        {
            candidates.Add(System.IO.Path.Combine(home, ".runner.cfg"));
            candidates.Add(System.IO.Path.Combine(home, ".ansible.cfg"));
        }
        candidates.Add("/etc/ansible/ansible.cfg");
        var cfg = new RunnerConfig();
        var found = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
        if (found is null) return cfg;
        cfg.Path = System.IO.Path.GetFullPath(found);
        cfg.Parse(File.ReadAllLines(found));
        return cfg;
    }

    /// <summary>Parses INI text (for tests).</summary>
    public static RunnerConfig FromText(string text, string? path = null)
    {
        var cfg = new RunnerConfig { Path = path };
        cfg.Parse(text.Split('\n'));
        return cfg;
    }

    private void Parse(IEnumerable<string> lines)
    {
        var section = "defaults";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';')) continue;
            if (line.StartsWith('[') && line.EndsWith(']')) { section = line[1..^1].Trim(); continue; }
            var eq = line.IndexOfAny(new[] { '=', ':' });
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (!_sections.TryGetValue(section, out var d)) _sections[section] = d = new(StringComparer.OrdinalIgnoreCase);
            d[key] = value;
        }
    }

    /// <summary>A raw value, or null.</summary>
    public string? Get(string section, string key) =>
        _sections.TryGetValue(section, out var d) && d.TryGetValue(key, out var v) ? v : null;

    /// <summary>A [defaults] value, with the matching ANSIBLE_/RUNNER_ environment variable taking precedence.</summary>
    public string? Default(string key)
    {
        var env = Environment.GetEnvironmentVariable("RUNNER_" + key.ToUpperInvariant())
                  ?? Environment.GetEnvironmentVariable("ANSIBLE_" + key.ToUpperInvariant())
                  ?? (EnvAliases.TryGetValue(key, out var alias) ? Environment.GetEnvironmentVariable(alias) : null);
        return env ?? Get("defaults", key);
    }

    /// <summary>Ansible's environment names for keys whose variable is not ANSIBLE_KEY.</summary>
    private static readonly Dictionary<string, string> EnvAliases = new()
    {
        ["fact_caching"] = "ANSIBLE_CACHE_PLUGIN",
        ["fact_caching_connection"] = "ANSIBLE_CACHE_PLUGIN_CONNECTION",
        ["fact_caching_timeout"] = "ANSIBLE_CACHE_PLUGIN_TIMEOUT",
    };

    /// <summary>A boolean [defaults] value (yes/true/1/on), or <paramref name="fallback"/>.</summary>
    public bool Bool(string key, bool fallback)
    {
        var v = Default(key);
        return v is null ? fallback : v.ToLowerInvariant() is "yes" or "true" or "1" or "on" or "y";
    }

    /// <summary>A path value made absolute against the config file's folder (colon-separated lists too).</summary>
    public List<string> Paths(string key)
    {
        var v = Default(key);
        if (string.IsNullOrEmpty(v)) return new List<string>();
        var baseDir = Path is null ? Directory.GetCurrentDirectory() : System.IO.Path.GetDirectoryName(Path)!;
        return v.Split(new[] { ':', ',' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.StartsWith('~') ? Environment.GetEnvironmentVariable("HOME") + p[1..] : p)
            .Select(p => System.IO.Path.IsPathRooted(p) ? p : System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, p)))
            .ToList();
    }
}

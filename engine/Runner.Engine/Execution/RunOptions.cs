using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>
/// The settings of one `runner play` run, with ansible-playbook's meaning
/// (https://docs.ansible.com/ansible/latest/cli/ansible-playbook.html).
/// </summary>
public sealed class RunOptions
{
    public List<string> Inventories { get; init; } = new();
    /// <summary>--limit (only the last one given counts, as in ansible-playbook).</summary>
    public string? Limit { get; init; }
    public List<string> Tags { get; init; } = new();
    public List<string> SkipTags { get; init; } = new();
    public bool Check { get; init; }
    public bool Diff { get; init; }
    public Dict ExtraVars { get; init; } = new();
    /// <summary>Hosts worked on at once (default 5; RUNNER_FORKS overrides).</summary>
    public int Forks { get; init; } = 5;
    public string? StartAtTask { get; init; }
    public bool ForceHandlers { get; init; }
    public bool? Become { get; init; }
    public string? BecomeUser { get; init; }
    public string? BecomeMethod { get; init; }
    public string? BecomePassword { get; init; }
    public string? RemoteUser { get; init; }
    public string? PrivateKey { get; init; }
    public string? Connection { get; init; }
    public int Verbosity { get; init; }
    public List<string> RolesPath { get; init; } = new();

    /// <summary>Folders holding ansible_collections/ (collections_path), for FQCN role names.</summary>
    public List<string> CollectionsPath { get; init; } = new();
    public string? ConfigFile { get; init; }
    /// <summary>host_key_checking from config (true unless turned off).</summary>
    public bool HostKeyChecking { get; init; } = true;
    /// <summary>Seconds to wait for a connection (config `timeout`).</summary>
    public int Timeout { get; init; } = 10;
    /// <summary>gathering=implicit|explicit|smart.</summary>
    public string Gathering { get; init; } = "implicit";
    /// <summary>A folder of JSON fact files (fact_caching=jsonfile), or null.</summary>
    public string? FactCacheDir { get; init; }
    /// <summary>Seconds cached facts stay valid (fact_caching_timeout; 0 = forever).</summary>
    public int FactCacheTimeout { get; init; } = 86400;
}

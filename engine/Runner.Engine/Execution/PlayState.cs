using Runner.Engine.Playbooks;
using Runner.Engine.Variables;

namespace Runner.Engine.Execution;

/// <summary>A host's standing within the current play.</summary>
public sealed class HostPlayState
{
    /// <summary>A task failed on the host (not ignored, not yet rescued).</summary>
    public bool Failed { get; set; }
    public bool Unreachable { get; set; }
    /// <summary>meta: end_host, or the play ended for it.</summary>
    public bool Ended { get; set; }
    /// <summary>Out of ansible_play_hosts for the rest of the play (meta: end_host; a failure cleared by clear_host_errors).</summary>
    public bool Removed { get; set; }
}

/// <summary>The state of one play while it runs: hosts, notified handlers, flags.</summary>
public sealed class PlayState
{
    public required Play Play { get; init; }
    public required PlayContext Context { get; init; }
    /// <summary>The hosts the play's pattern selects (after --limit), hosts failed in earlier plays included.</summary>
    public IReadOnlyList<string> Selected { get; init; } = Array.Empty<string>();
    public Dictionary<string, HostPlayState> Hosts { get; } = new();
    /// <summary>Handlers notified, with the hosts that notified them (in notification order).</summary>
    public Dictionary<TaskItem, List<string>> Notified { get; } = new(ReferenceEqualityComparer.Instance);
    public bool EndPlay { get; set; }

    public HostPlayState Host(string name) => Hosts.TryGetValue(name, out var s) ? s : Hosts[name] = new HostPlayState();

    /// <summary>Still running tasks: not failed, unreachable or ended.</summary>
    public bool IsActive(string host)
    {
        var s = Host(host);
        return !s.Failed && !s.Unreachable && !s.Ended && !EndPlay;
    }
}

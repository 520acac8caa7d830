namespace Runner.Engine.Execution;

/// <summary>
/// Decides whether a task runs under --tags/--skip-tags, with Ansible's special tags always, never,
/// all, tagged and untagged (lib/ansible/playbook/taggable.py, evaluate_tags; docs "Tags").
/// </summary>
public sealed class TagFilter
{
    private readonly HashSet<string> _only;
    private readonly HashSet<string> _skip;
    private static readonly HashSet<string> Untagged = new() { "untagged" };

    public TagFilter(IEnumerable<string> onlyTags, IEnumerable<string> skipTags)
    {
        _only = new HashSet<string>(Split(onlyTags));
        if (_only.Count == 0) _only.Add("all");
        _skip = new HashSet<string>(Split(skipTags));
    }

    private static IEnumerable<string> Split(IEnumerable<string> tags) =>
        tags.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>True when a task with these (own and inherited) tags should run.</summary>
    public bool ShouldRun(IReadOnlyCollection<string> taskTags)
    {
        var tags = taskTags.Count == 0 ? Untagged : new HashSet<string>(taskTags);
        var run = true;
        if (_only.Count > 0)
        {
            run = false;
            if (tags.Contains("always")) run = true;
            else if (_only.Contains("all") && !tags.Contains("never")) run = true;
            else if (tags.Overlaps(_only)) run = true;
            else if (_only.Contains("tagged") && !tags.SetEquals(Untagged) && !tags.Contains("never")) run = true;
        }
        if (run && _skip.Count > 0)
        {
            if (_skip.Contains("all"))
            {
                if (!tags.Contains("always") || _skip.Contains("always")) run = false;
            }
            else if (tags.Overlaps(_skip)) run = false;
            else if (_skip.Contains("tagged") && !tags.SetEquals(Untagged)) run = false;
        }
        return run;
    }
}

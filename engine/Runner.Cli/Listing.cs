using Runner.Engine.Errors;
using Runner.Engine.Execution;
using Runner.Engine.Inventory;
using Runner.Engine.Playbooks;

namespace Runner.Cli;

/// <summary>--list-hosts, --list-tasks and --list-tags, printed as ansible-playbook prints them.</summary>
public static class Listing
{
    public static int Print(List<Play> plays, InventoryData inventory, RunOptions options, PlayArguments a, TextWriter output)
    {
        var tags = new TagFilter(options.Tags, options.SkipTags);
        output.WriteLine();
        output.WriteLine($"playbook: {string.Join(", ", a.Playbooks)}");
        var limit = options.Limit is null ? null : HostPattern.SelectLimit(inventory, options.Limit).Select(h => h.Name).ToHashSet();
        var i = 0;
        foreach (var play in plays)
        {
            i++;
            output.WriteLine();
            output.WriteLine($"  play #{i} ({play.Hosts}): {play.Name}\tTAGS: [{string.Join(",", play.Tags)}]");
            if (a.ListHosts)
            {
                var hosts = HostPattern.Select(inventory, play.Hosts).Where(h => limit is null || limit.Contains(h.Name)).ToList();
                output.WriteLine($"    pattern: ['{play.Hosts}']");
                output.WriteLine($"    hosts ({hosts.Count}):");
                foreach (var h in hosts) output.WriteLine($"      {h.Name}");
            }
            var tasks = TaskTree.Flatten(play.PreTasks.Concat(play.Tasks).Concat(play.PostTasks)).Where(t => tags.ShouldRun(PlaybookExecutor.EffectiveTags(t, play))).ToList();
            if (a.ListTasks)
            {
                output.WriteLine("    tasks:");
                foreach (var t in tasks)
                    output.WriteLine($"      {t.DisplayName()}\tTAGS: [{string.Join(", ", PlaybookExecutor.EffectiveTags(t, play).OrderBy(x => x, StringComparer.Ordinal))}]");
            }
            if (a.ListTags)
            {
                var all = tasks.SelectMany(t => PlaybookExecutor.EffectiveTags(t, play)).Concat(play.Tags).Distinct().OrderBy(x => x, StringComparer.Ordinal);
                output.WriteLine($"      TASK TAGS: [{string.Join(", ", all)}]");
            }
        }
        return ExitCodes.Ok;
    }

}

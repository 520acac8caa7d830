namespace Runner.Engine.Playbooks;

/// <summary>Walks task trees.</summary>
public static class TaskTree
{
    /// <summary>Every task in document order, descending into block, rescue and always sections.</summary>
    public static IEnumerable<TaskItem> Flatten(IEnumerable<TaskNode> nodes)
    {
        foreach (var n in nodes)
        {
            if (n is TaskItem t) yield return t;
            else if (n is BlockItem b)
                foreach (var c in Flatten(b.Block.Concat(b.Rescue).Concat(b.Always))) yield return c;
        }
    }
}

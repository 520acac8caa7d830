using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Common;

internal static partial class FileAttrs
{
    /// <summary>
    /// <see cref="Compare"/> applied at once, for the modules not yet under the plan contract (get_url, unarchive): runs
    /// the steps (none in check mode) and returns whether anything differed and the error or null. Goes when they are ported.
    /// </summary>
    public static async Task<(bool Changed, string? Error)> ApplyAsync(ModuleContext ctx, FileState st,
        Dict? before, Dict? after, CancellationToken ct)
    {
        var (steps, error) = Compare(ctx.Args, st, before, after);
        if (steps.Count > 0 && !ctx.CheckMode)
        {
            var r = await ctx.ShAsync(string.Join(" && ", steps.Select(s => s.Describe())), ct);
            if (r.ExitCode != 0) return (false, r.Stderr.Trim());
        }
        return (steps.Count > 0, error);
    }
}

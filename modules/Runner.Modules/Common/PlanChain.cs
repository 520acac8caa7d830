using Runner.Engine.Modules;

namespace Runner.Modules.Common;

/// <summary>Transformations of a plan together with the plans its <see cref="Plan.Then"/> continuations will return.</summary>
internal static class PlanChain
{
    /// <summary>
    /// <paramref name="plan"/> with <paramref name="each"/> applied to it and to every plan of its chain as the chain
    /// unfolds; <paramref name="each"/> sees each plan's own continuation (null on the last plan) before it is wrapped.
    /// </summary>
    public static Plan Map(Plan plan, Func<Plan, Plan> each)
    {
        var p = each(plan);
        if (p.Then is { } then) p.Then = async (outcomes, ct) => Map(await then(outcomes, ct), each);
        return p;
    }

    /// <summary><paramref name="plan"/>'s chain continued by <paramref name="next"/> after its last plan, unless the chain fails first.</summary>
    public static Plan Append(Plan plan, Func<CancellationToken, Task<Plan>> next)
    {
        if (plan.Failure is not null) return plan;
        var then = plan.Then;
        plan.Then = then is null ? (_, ct) => next(ct) : async (outcomes, ct) => Append(await then(outcomes, ct), next);
        return plan;
    }

    /// <summary><paramref name="plan"/>'s chain with <paramref name="diff"/> as the diff of its last plan, when the chain does not fail.</summary>
    public static Plan DiffAtEnd(Plan plan, Engine.Values.Dict diff) => Map(plan, p =>
    {
        if (p.Failure is null && p.Then is null) p.Diff = diff;
        return p;
    });
}

using Runner.Engine.Errors;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Cloud.Common;

/// <summary>
/// API changes of the cloud modules as <see cref="CallStep"/>s: an API error (<see cref="CloudApiException"/>) fails
/// the task with the module's message for it.
/// </summary>
internal static class CloudSteps
{
    /// <summary>A step named <paramref name="what"/> running <paramref name="call"/>, whose Dict merges into the result.</summary>
    public static CallStep Call(string what, Func<CloudApiException, string> failure, Func<CancellationToken, Task<Dict?>> call) => new(what, async t =>
    {
        try { return await call(t); }
        catch (CloudApiException e) { throw new RunnerException(failure(e)); }
    });

    /// <summary>A step named <paramref name="what"/> running <paramref name="call"/>, adding nothing to the result.</summary>
    public static CallStep Call(string what, Func<CloudApiException, string> failure, Func<CancellationToken, Task> call) =>
        Call(what, failure, async t => { await call(t); return (Dict?)null; });

    /// <summary>A diff of a remote object: {"before", "after"}, an empty dict standing for "absent".</summary>
    public static Dict Diff(Dict? before, Dict? after) => new() { ["before"] = before ?? new Dict(), ["after"] = after ?? new Dict() };
}

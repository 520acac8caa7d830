using Runner.Engine.Errors;
using Runner.Engine.Templating;
using Runner.Engine.Templating.Lookups;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>
/// Expands a task's `loop:` or `with_X:` into its items, as Ansible's TaskExecutor._get_loop_items
/// (docs: "Loops"): `loop` is templated and must be a list; `with_X` is the lookup plugin X run over the
/// loop terms with wantlist (<see cref="LookupRegistry.Loop"/>), the same plugin lookup('X') uses.
/// Errors: <see cref="RunnerException"/> for a loop that is not a list; <see cref="TemplateError"/> from templating.
/// </summary>
public static class LoopItems
{
    /// <summary>The items, templated.</summary>
    public static List<object?> Expand(object? loop, string? with, Templar templar, IVariableScope scope, string? action = null)
    {
        if (with is null)
        {
            var value = templar.Template(loop, scope);
            return value switch
            {
                List<object?> l => l,
                _ => throw new RunnerException(
                    $"Invalid data passed to 'loop', it requires a list, got this instead: {PyStr.Str(value)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup."),
            };
        }
        if (!LookupRegistry.Exists(with))
            throw new RunnerException($"Unexpected failure in finding the lookup named '{with}' in the available lookup plugins", key: "with_" + with);
        return LookupRegistry.Loop(with, loop, templar, scope, action);
    }

    /// <summary>with_sequence's items for one term (see the sequence lookup).</summary>
    public static List<object?> Sequence(string spec) => SequenceLookup.Generate(spec).Cast<object?>().ToList();
}

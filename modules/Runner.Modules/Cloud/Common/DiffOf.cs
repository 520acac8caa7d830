using Runner.Engine.Values;

namespace Runner.Modules.Cloud.Common;

/// <summary>Ansible's diff for a remote object: {"before": ..., "after": ...} (an empty dict stands for "absent").</summary>
public static class DiffOf
{
    /// <summary>Adds "diff" to <paramref name="result"/> when diff or check mode is on.</summary>
    public static Dict With(Dict result, bool wanted, object? before, object? after)
    {
        if (wanted) result["diff"] = new Dict { ["before"] = before ?? new Dict(), ["after"] = after ?? new Dict() };
        return result;
    }
}

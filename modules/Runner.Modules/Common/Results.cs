using Runner.Engine.Values;

namespace Runner.Modules.Common;

/// <summary>Builders for Ansible result dicts (changed/failed/msg, see Ansible's "Return Values" doc page).</summary>
internal static class Results
{
    /// <summary>{"failed": true, "msg": msg, "changed": changed} plus the extra fields.</summary>
    public static Dict Fail(string msg, Dict? extra = null, bool changed = false)
    {
        var r = extra ?? new Dict();
        r["failed"] = true;
        r["msg"] = msg;
        if (!r.ContainsKey("changed")) r["changed"] = changed;
        return r;
    }

    /// <summary>{"changed": changed} plus the extra fields.</summary>
    public static Dict Ok(bool changed, Dict? extra = null)
    {
        var r = new Dict { ["changed"] = changed };
        if (extra is not null) foreach (var (k, v) in extra) r[k] = v;
        return r;
    }

    /// <summary>Whether a result marks a failure.</summary>
    public static bool IsFailed(Dict r) => r.Get("failed") is true;
}

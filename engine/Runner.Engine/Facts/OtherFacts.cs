using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// The facter and ohai collectors of ansible-core 2.14 (lib/ansible/module_utils/facts/other/facter.py, ohai.py):
/// the JSON of `facter --puppet --json` (else `facter --json`) or `ohai`, each top-level key prefixed facter_ / ohai_;
/// nothing when the tool is missing or its output is not JSON.
/// </summary>
internal static class OtherFacts
{
    public static Dict Facter(ProbeOutput p) => Prefixed(p.Ok("facter"), "facter_");

    public static Dict Ohai(ProbeOutput p) => Prefixed(p.Ok("ohai"), "ohai_");

    private static Dict Prefixed(string? json, string prefix)
    {
        var f = new Dict();
        if (json is null) return f;
        if (ProbeOutput.ParseJson(json, out _) is Dict d)
            foreach (var (k, v) in d) f[prefix + k] = v;
        return f;
    }
}

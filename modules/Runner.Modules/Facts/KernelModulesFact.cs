using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>The running kernel's release (uname -r), the text of /proc/modules and of /lib/modules/RELEASE/modules.builtin (null when unreadable).</summary>
public sealed record KernelModules(string Release, string? Loaded, string? Builtin)
{
    /// <summary>The builtin list's path.</summary>
    public string BuiltinPath => $"/lib/modules/{Release}/modules.builtin";
}

/// <summary>What modprobe's module_loaded reads: the loaded modules and the builtin ones of the running kernel.</summary>
public sealed class KernelModulesFact : Fact<KernelModules>
{
    /// <inheritdoc/>
    public override string Key => "kernel-modules";

    /// <inheritdoc/>
    public override string Script =>
        $"r=$(uname -r); printf '%s\\n' \"$r\"; {TargetScript.Sep}; if [ -r /proc/modules ]; then echo ok; cat /proc/modules; else echo missing; fi; " +
        $"{TargetScript.Sep}; f=/lib/modules/$r/modules.builtin; if [ -r \"$f\" ]; then echo ok; cat \"$f\"; else echo missing; fi";

    /// <inheritdoc/>
    public override KernelModules Parse(CommandResult output)
    {
        var s = TargetScript.Sections(output.Stdout);
        string? Text(int i) => i < s.Length && s[i].StartsWith("ok", StringComparison.Ordinal) ? s[i][Math.Min(3, s[i].Length)..] : null;
        return new KernelModules(s[0].Trim(), Text(1), Text(2));
    }
}

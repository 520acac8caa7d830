using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>Where programs are on the target as Ansible's get_bin_path finds them: the PATH searched and each name's path (null: not found).</summary>
public sealed record Executables(string SearchPath, IReadOnlyDictionary<string, string?> Found)
{
    /// <summary>The path of <paramref name="name"/>, or null.</summary>
    public string? Of(string name) => Found.GetValueOrDefault(name);

    /// <summary>Ansible's get_bin_path(required=True) failure for <paramref name="name"/>.</summary>
    public string Missing(string name) => $"Failed to find required executable \"{name}\" in paths: {SearchPath}";
}

/// <summary>
/// Programs on the target as module_utils/common/process.py get_bin_path looks them up: PATH, then /sbin, /usr/sbin
/// and /usr/local/sbin when they exist and PATH lacks them; the first regular executable file of the name wins.
/// </summary>
public sealed class ExecutablesFact : Fact<Executables>
{
    private readonly IReadOnlyList<string> _names;

    /// <summary>The programs named <paramref name="names"/> (plain names, no slash).</summary>
    public ExecutablesFact(params string[] names) => _names = names;

    /// <inheritdoc/>
    public override string Key => "executables:" + string.Join(",", _names);

    /// <inheritdoc/>
    public override string Script =>
        "p=$PATH; for d in /sbin /usr/sbin /usr/local/sbin; do case \":$p:\" in *\":$d:\"*) ;; *) [ -e $d ] && p=$p:$d;; esac; done; " +
        $"printf '%s\\n' \"$p\"; {TargetScript.Sep}; for n in {ShellQuote.Join(_names)}; do f=; IFS=:; for d in $p; do " +
        "[ -n \"$d\" ] && [ -f \"$d/$n\" ] && [ -x \"$d/$n\" ] && { f=$d/$n; break; }; done; unset IFS; printf '%s\\n' \"$f\"; done";

    /// <inheritdoc/>
    public override Executables Parse(CommandResult output)
    {
        var s = TargetScript.Sections(output.Stdout);
        var paths = (s.Length > 1 ? s[1] : "").Split('\n');
        return new Executables(s[0].Trim(), _names.Select((n, i) => (n, i < paths.Length && paths[i].Length > 0 ? paths[i] : null))
            .ToDictionary(x => x.n, x => x.Item2));
    }
}

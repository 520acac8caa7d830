using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// Where a program is on the target, searched as Ansible's get_bin_path (module_utils/common/process.py) does: the
/// PATH, then /sbin, /usr/sbin and /usr/local/sbin when PATH lacks them and they exist. <see cref="Found.Path"/> is null
/// when the program is not there; <see cref="Found.Searched"/> is the folder list Ansible names in its failure.
/// </summary>
public sealed class ExecutableFact : Fact<ExecutableFact.Found>
{
    /// <summary>The program's path (null: not found) and the folders searched, joined with ':'.</summary>
    public sealed record Found(string? Path, string Searched)
    {
        /// <summary>Ansible's failure for a required program that is missing.</summary>
        public string Missing(string name) => $"Failed to find required executable \"{name}\" in paths: {Searched}";
    }

    private readonly string _name;

    /// <summary>The program <paramref name="name"/> (a bare name: git, ufw, rsync).</summary>
    public ExecutableFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "executable:" + _name;

    /// <summary>
    /// sh that sets $p to the folders searched (':'-joined) and $b to the first regular executable file named
    /// <paramref name="name"/> in them, or to nothing: for facts that go on to run the program in the same round trip.
    /// </summary>
    public static string Lookup(string name) =>
        $"n={ShellQuote.Quote(name)}; p=$PATH; b=; " +
        "for d in /sbin /usr/sbin /usr/local/sbin; do case \":$p:\" in *\":$d:\"*) ;; *) [ -e \"$d\" ] && p=\"$p:$d\";; esac; done; " +
        "o=$IFS; IFS=:; for d in $p; do [ -n \"$d\" ] && [ -f \"$d/$n\" ] && [ -x \"$d/$n\" ] && { b=\"$d/$n\"; break; }; done; IFS=$o; ";

    /// <inheritdoc/>
    public override string Script => Lookup(_name) + "printf '%s\\n%s\\n' \"$p\" \"$b\"";

    /// <inheritdoc/>
    public override Found Parse(CommandResult output)
    {
        var lines = output.Stdout.Split('\n');
        var path = lines.Length > 1 && lines[1].StartsWith('/') ? lines[1].Trim() : null;
        return new Found(path, lines[0].Trim());
    }
}

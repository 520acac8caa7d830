using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// Where an executable is on the target as Ansible's get_bin_path finds it (module_utils/common/process.py): the
/// PATH entries, then /sbin, /usr/sbin and /usr/local/sbin when they exist and PATH lacks them; the first regular
/// executable file of that name. Not found: <see cref="BinPath.Missing"/> is Ansible's message,
/// 'Failed to find required executable "NAME" in paths: P1:P2:...'.
/// </summary>
public sealed class BinPathFact : Fact<BinPath>
{
    private readonly string _name;

    /// <summary>Where <paramref name="name"/> (a bare program name) is.</summary>
    public BinPathFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "bin:" + _name;

    /// <inheritdoc/>
    public override string Script => Lookup(_name) + "printf 'found %s\\n' \"$b\"";

    /// <summary>
    /// sh that sets $b to where <paramref name="name"/> is, or prints "missing PATHS" (the paths searched, ':'-joined)
    /// and exits 0; for facts that go on to use the program.
    /// </summary>
    public static string Lookup(string name) =>
        $"n={ShellQuote.Quote(name)}; ps=$PATH; b=; " +
        "for s in /sbin /usr/sbin /usr/local/sbin; do case \":$PATH:\" in *\":$s:\"*) ;; *) [ -e \"$s\" ] && ps=\"$ps:$s\";; esac; done; " +
        "o=$IFS; IFS=:; for d in $ps; do [ -n \"$d\" ] && [ -f \"$d/$n\" ] && [ -x \"$d/$n\" ] && { b=\"$d/$n\"; break; }; done; IFS=$o; " +
        "[ -n \"$b\" ] || { printf 'missing %s\\n' \"$ps\"; exit 0; }; ";

    /// <summary>Ansible's message for <paramref name="name"/> missing from <paramref name="paths"/>.</summary>
    public static string MissingMessage(string name, string paths) => $"Failed to find required executable \"{name}\" in paths: {paths}";

    /// <inheritdoc/>
    public override BinPath Parse(CommandResult output)
    {
        var line = output.Stdout.TrimEnd('\n');
        if (line.StartsWith("found ", StringComparison.Ordinal)) return new BinPath(line[6..], null);
        var paths = line.StartsWith("missing ", StringComparison.Ordinal) ? line[8..] : "";
        return new BinPath(null, MissingMessage(_name, paths));
    }
}

/// <summary>An executable's path, or Ansible's message when it is missing.</summary>
public sealed record BinPath(string? Path, string? Missing);

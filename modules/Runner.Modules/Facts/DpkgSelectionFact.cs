using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// A package's dpkg selection (install, hold, deinstall, purge) from `dpkg --get-selections NAME`, "not present"
/// when dpkg lists nothing for it, as ansible.builtin.dpkg_selections says.
/// </summary>
/// <exception cref="InvalidOperationException">From <see cref="Parse"/>: dpkg failed (message: its stderr).</exception>
internal sealed class DpkgSelectionFact : Fact<string>
{
    private readonly string _name;

    /// <summary>The selection of package <paramref name="name"/>.</summary>
    public DpkgSelectionFact(string name) => _name = name;

    /// <inheritdoc/>
    public override string Key => "dpkg-selection:" + _name;

    /// <inheritdoc/>
    public override string Script => "dpkg --get-selections " + ShellQuote.Quote(_name);

    /// <inheritdoc/>
    public override string Parse(CommandResult output)
    {
        if (output.ExitCode != 0) throw new InvalidOperationException(output.Stderr.Trim());
        var words = output.Stdout.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? "not present" : words.Length > 1 ? words[1] : "";
    }
}

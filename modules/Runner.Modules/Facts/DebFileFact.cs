using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// A .deb file on the target: whether it exists, the package and version it holds (dpkg-deb -f), and that package's
/// dpkg status and installed version (null when dpkg does not know it). <see cref="Error"/> is dpkg-deb's stderr
/// when it cannot read the file.
/// </summary>
public sealed record DebFile(bool Exists, string? Error, string Package, string Version, string? Status, string? InstalledVersion);

/// <summary>The .deb at a target path, read with test, dpkg-deb and dpkg-query.</summary>
public sealed class DebFileFact : Fact<DebFile>
{
    private readonly string _path;

    /// <summary>The .deb file at <paramref name="path"/>.</summary>
    public DebFileFact(string path) => _path = path;

    /// <inheritdoc/>
    public override string Key => "deb:" + _path;

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var q = ShellQuote.Quote(_path);
            return $"test -f {q} || {{ echo missing; exit 0; }}; p=$(dpkg-deb -f {q} Package) && v=$(dpkg-deb -f {q} Version) || exit 3; " +
                   "echo \"$p\"; echo \"$v\"; dpkg-query -W -f '${db:Status-Abbrev}\\t${Version}' \"$p\" 2>/dev/null; echo";
        }
    }

    /// <inheritdoc/>
    public override DebFile Parse(CommandResult output)
    {
        var lines = output.Stdout.Split('\n');
        if (lines[0] == "missing") return new DebFile(false, null, "", "", null, null);
        if (output.ExitCode != 0 || lines.Length < 3) return new DebFile(true, output.Stderr, "", "", null, null);
        var inst = lines[2].Split('\t');
        return inst.Length == 2 ? new DebFile(true, null, lines[0], lines[1], inst[0], inst[1]) : new DebFile(true, null, lines[0], lines[1], null, null);
    }
}

using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Common;

namespace Runner.Modules.Facts;

/// <summary>
/// Whether a Python glob pattern (*, ?, [...]) matches an existing path on the target, as glob.glob(pattern) being
/// non-empty; a relative pattern is taken from <c>cwd</c> (the login folder when null). False also when cwd cannot
/// be entered. For command's creates/removes.
/// </summary>
public sealed class GlobMatchFact : Fact<bool>
{
    private readonly string _pattern;
    private readonly string? _cwd;

    /// <summary>Whether <paramref name="pattern"/> matches, relative to <paramref name="cwd"/>.</summary>
    public GlobMatchFact(string pattern, string? cwd = null) => (_pattern, _cwd) = (pattern, cwd);

    /// <inheritdoc/>
    public override string Key => $"glob:{_cwd}:{_pattern}";

    /// <inheritdoc/>
    public override string Script =>
        (_cwd is null ? "" : $"cd -- {ShellQuote.Quote(_cwd)} 2>/dev/null || exit 2\n") + ShellGlob.ExistsScript(_pattern);

    /// <inheritdoc/>
    public override bool Parse(CommandResult output) => output.ExitCode == 0;
}

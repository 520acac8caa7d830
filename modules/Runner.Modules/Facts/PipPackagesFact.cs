using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// The Python distributions a pip executable sees installed (`pip list --format=freeze`), by normalized name
/// (lower case, '_' as '-'), or null when the executable is not found.
/// </summary>
public sealed class PipPackagesFact : Fact<IReadOnlySet<string>?>
{
    private readonly string _pip;

    /// <summary>The packages of the pip executable <paramref name="pip"/> (a name on PATH or a path).</summary>
    public PipPackagesFact(string pip) => _pip = pip;

    /// <inheritdoc/>
    public override string Key => "pip:" + _pip;

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var q = ShellQuote.Quote(_pip);
            return $"command -v {q} >/dev/null 2>&1 || {{ echo 'missing pip' >&2; exit 127; }}; {q} list --format=freeze 2>/dev/null";
        }
    }

    /// <inheritdoc/>
    public override IReadOnlySet<string>? Parse(CommandResult output) =>
        output.ExitCode == 127 ? null
        : output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Normalize(l.Split("==")[0])).ToHashSet();

    /// <summary>A distribution name as pip compares it: trimmed, lower case, '_' as '-'.</summary>
    public static string Normalize(string name) => name.Trim().ToLowerInvariant().Replace('_', '-');
}

using Runner.Engine.Results;

namespace Runner.Engine.Galaxy;

/// <summary>Where ansible-galaxy's messages go: display lines on stdout, "[WARNING]: " lines (wrapped as Ansible
/// wraps them) and the final "ERROR! " line on stderr.</summary>
public sealed class GalaxyOutput(TextWriter stdout, TextWriter stderr)
{
    /// <summary>A display line (stdout).</summary>
    public void Line(string text) => stdout.WriteLine(text);

    /// <summary>A warning (stderr).</summary>
    public void Warning(string text) => stderr.WriteLine(WarningText.Format(text));

    /// <summary>The "ERROR! MSG" line that ends a failed command (stderr).</summary>
    public void Error(string text) => stderr.WriteLine($"ERROR! {text}");
}

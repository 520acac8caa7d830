using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// The HTTP client the target has on its PATH: "curl", else "wget", else "none" (minimal images: the controller then
/// makes the request). For uri, get_url and unarchive, which Ansible runs on the target with Python's urllib.
/// </summary>
public sealed class HttpToolFact : Fact<string>
{
    /// <inheritdoc/>
    public override string Key => "http-tool";

    /// <inheritdoc/>
    public override string Script =>
        "if command -v curl >/dev/null 2>&1; then echo curl; elif command -v wget >/dev/null 2>&1; then echo wget; else echo none; fi";

    /// <inheritdoc/>
    public override string Parse(CommandResult output) => output.Stdout.Trim() is "curl" or "wget" ? output.Stdout.Trim() : "none";
}

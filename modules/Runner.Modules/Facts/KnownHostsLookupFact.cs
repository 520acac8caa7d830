using System.Security.Cryptography;
using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// `ssh-keygen -F HOST` over a known_hosts file on the target, or over a given text (a key line, piped to
/// /dev/stdin: Ansible's sanity check of a key against its host): whether the file exists, the exit code, stdout
/// ("# Host H found: line N" lines and the matching lines) and stderr.
/// </summary>
internal sealed class KnownHostsLookupFact : Fact<KnownHostsLookupFact.Lookup>
{
    /// <summary>The lookup's outcome; <see cref="Exists"/> false: the file is not there (nothing was run).</summary>
    public sealed record Lookup(bool Exists, int Rc, string Stdout, string Stderr);

    private readonly string _host;
    private readonly string? _path;
    private readonly string? _text;

    private KnownHostsLookupFact(string host, string? path, string? text) => (_host, _path, _text) = (host, path, text);

    /// <summary>HOST looked up in the file at <paramref name="path"/>.</summary>
    public static KnownHostsLookupFact InFile(string host, string path) => new(host, path, null);

    /// <summary>HOST looked up in <paramref name="text"/>.</summary>
    public static KnownHostsLookupFact InText(string host, string text) => new(host, null, text);

    /// <inheritdoc/>
    public override string Key => _path is not null ? $"known_hosts:{_host}:{_path}"
        : $"known_hosts:{_host}:text:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_text!)))[..16]}";

    /// <inheritdoc/>
    public override string Script => _path is not null
        ? $"p={ShellQuote.Quote(_path)}; [ -e \"$p\" ] || {{ echo '--absent--'; exit 0; }}; ssh-keygen -F {ShellQuote.Quote(_host)} -f \"$p\""
        : $"printf '%s' {ShellQuote.Quote(_text!)} | ssh-keygen -F {ShellQuote.Quote(_host)} -f /dev/stdin";

    /// <inheritdoc/>
    public override Lookup Parse(CommandResult output) => output.Stdout == "--absent--\n"
        ? new Lookup(false, 0, "", "")
        : new Lookup(true, output.ExitCode, output.Stdout, output.Stderr);
}

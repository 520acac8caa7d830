using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Sys;

namespace Runner.Modules.Facts;

/// <summary>
/// A certbot lineage as `certbot certificates --cert-name NAME --config-dir DIR` reports it (from the renewal config
/// and the certificate files under DIR): null <see cref="Installed"/> false when certbot is not on the host;
/// <see cref="Certificate"/> null when there is no lineage of that name.
/// </summary>
public sealed record CertbotLineage(bool Installed, CertbotCertificate? Certificate);

/// <summary>The certbot lineage named NAME in a config folder (<see cref="CertbotLineage"/>), parsed by <see cref="CertbotState"/>.</summary>
public sealed class CertbotCertificateFact : Fact<CertbotLineage>
{
    private readonly string _name;
    private readonly string _configDir;

    /// <summary>The lineage <paramref name="name"/> under <paramref name="configDir"/> (certbot's --config-dir).</summary>
    public CertbotCertificateFact(string name, string configDir) => (_name, _configDir) = (name, configDir);

    /// <inheritdoc/>
    public override string Key => $"certbot:{_configDir}:{_name}";

    /// <inheritdoc/>
    public override string Script => "command -v certbot >/dev/null || { echo no-certbot; exit 0; }; " +
        Argv(_name, _configDir) + " 2>&1";

    /// <summary>The `certbot certificates` command line for the lineage.</summary>
    private static string Argv(string name, string configDir) =>
        Runner.Engine.Modules.Argv.Of("certbot", "certificates", "--cert-name", name, "--config-dir", configDir).ToString();

    /// <inheritdoc/>
    public override CertbotLineage Parse(CommandResult output) =>
        output.Stdout.Trim() == "no-certbot"
            ? new CertbotLineage(false, null)
            : new CertbotLineage(true, CertbotState.Parse(output.Stdout).FirstOrDefault(c => c.Name == _name));
}

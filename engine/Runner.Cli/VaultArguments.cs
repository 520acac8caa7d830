using Runner.Cli.Parsing;
using Runner.Engine.Config;
using Runner.Engine.Results;
using Runner.Engine.Vault;

namespace Runner.Cli;

/// <summary>
/// The vault options every command that reads YAML takes, as Ansible's opt_help.add_vault_options spells them:
/// --vault-id LABEL@SOURCE (repeatable), --ask-vault-password / --ask-vault-pass, exclusive with
/// --vault-password-file / --vault-pass-file FILE (repeatable).
/// </summary>
public sealed class VaultArguments
{
    private readonly AnsibleOption<List<string>> _ids;
    private readonly AnsibleOption<bool> _ask;
    private readonly AnsibleOption<List<string>> _files;

    private VaultArguments(CliDefinition d)
    {
        _ids = d.Add(Opt.Text("VAULT_IDS", "the vault identity to use", "--vault-id"));
        _ask = d.Add(Opt.Flag("ask for vault password", "--ask-vault-password", "--ask-vault-pass"));
        _files = d.Add(Opt.Text("VAULT_PASSWORD_FILES", "vault password file", "--vault-password-file", "--vault-pass-file"));
        d.Excludes(_ask, _files);
    }

    /// <summary>Adds the vault options to <paramref name="d"/>.</summary>
    public static VaultArguments AddTo(CliDefinition d) => new(d);

    /// <summary>The vault options of a parsed command line.</summary>
    public VaultOptions Read(CliParse p)
    {
        var o = new VaultOptions { AskVaultPass = p.Flag(_ask) };
        o.VaultIds.AddRange(p.All(_ids));
        o.PasswordFiles.AddRange(p.All(_files));
        return o;
    }

    /// <summary>
    /// Reads the secrets for a playbook-like command (configuration included, no automatic prompt) and makes them
    /// <see cref="VaultKeyring.Current"/>. Warnings go to stderr. A vault id holding ';' is taken as it is, as
    /// ansible-playbook takes it (measured: `ansible-playbook --vault-id 'a;b@pw' p.yml` runs; only ansible-vault
    /// refuses it, see <see cref="VaultCommand"/>).
    /// </summary>
    public static VaultKeyring Activate(VaultOptions o, RunnerConfig cfg)
    {
        var keyring = Setup().Build(o.WithConfig(cfg));
        VaultKeyring.Current = keyring;
        return keyring;
    }

    /// <summary>The secrets reader with the terminal prompt and stderr warnings.</summary>
    public static VaultSecretsSetup Setup() => new()
    {
        Prompt = TerminalPrompt.ReadSecret,
        Warn = w => Console.Error.WriteLine(WarningText.Format(w)),
    };
}

using Runner.Engine.Config;

namespace Runner.Engine.Vault;

/// <summary>
/// Where a command's vault secrets come from, as Ansible's vault options (--vault-id, repeatable;
/// --vault-password-file, repeatable; --ask-vault-pass) and settings (vault_identity_list /
/// ANSIBLE_VAULT_IDENTITY_LIST, vault_password_file / ANSIBLE_VAULT_PASSWORD_FILE, vault_identity,
/// vault_encrypt_identity, ask_vault_pass) give them.
/// </summary>
public sealed class VaultOptions
{
    /// <summary>--vault-id values: "label@source", or "source" alone (a file, a script, or "prompt").</summary>
    public List<string> VaultIds { get; } = new();

    /// <summary>--vault-password-file values.</summary>
    public List<string> PasswordFiles { get; } = new();

    /// <summary>--ask-vault-pass.</summary>
    public bool AskVaultPass { get; set; }

    /// <summary>--encrypt-vault-id (vault commands).</summary>
    public string? EncryptVaultId { get; set; }

    /// <summary>Configured vault ids put before the command line's (DEFAULT_VAULT_IDENTITY_LIST).</summary>
    public List<string> ConfiguredIds { get; } = new();

    /// <summary>Configured password file added after the command line's (DEFAULT_VAULT_PASSWORD_FILE).</summary>
    public string? ConfiguredPasswordFile { get; set; }

    /// <summary>The label of secrets given without one (DEFAULT_VAULT_IDENTITY, "default").</summary>
    public string DefaultIdentity { get; set; } = VaultEnvelope.DefaultId;

    /// <summary>Fills the configured parts from runner.cfg / ansible.cfg and the environment.</summary>
    public VaultOptions WithConfig(RunnerConfig cfg)
    {
        var list = cfg.Default("vault_identity_list");
        if (!string.IsNullOrWhiteSpace(list))
            ConfiguredIds.AddRange(list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        ConfiguredPasswordFile = cfg.Paths("vault_password_file").FirstOrDefault();
        DefaultIdentity = cfg.Default("vault_identity") ?? DefaultIdentity;
        EncryptVaultId ??= cfg.Default("vault_encrypt_identity");
        AskVaultPass |= cfg.Bool("ask_vault_pass", false);
        return this;
    }
}

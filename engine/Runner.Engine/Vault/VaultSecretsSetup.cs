namespace Runner.Engine.Vault;

/// <summary>
/// Builds a command's <see cref="VaultKeyring"/> as Ansible's CLI.build_vault_ids and CLI.setup_vault_secrets
/// (lib/ansible/cli/__init__.py) do: configured ids first, then --vault-id values, then each password file as
/// "default@FILE", then a prompt when --ask-vault-pass is given (or, with <c>autoPrompt</c>, when nothing else is).
/// A source that fails warns "Error getting vault password file (LABEL): ..." and is skipped; when no secret was
/// found at all, that error is raised. A prompt that fails is an error at once.
/// </summary>
public sealed class VaultSecretsSetup
{
    /// <summary>Asks the terminal for a password without echo; null at end of input.</summary>
    public required Func<string, string?> Prompt { get; init; }

    /// <summary>Receives warnings (the text after "[WARNING]: ").</summary>
    public required Action<string> Warn { get; init; }

    /// <summary>
    /// The secrets. <paramref name="createNewPassword"/> selects the "New vault password" prompts with confirmation
    /// (create, encrypt, rekey's new secret); <paramref name="autoPrompt"/> prompts when no source is given
    /// (ansible-vault does, ansible-playbook does not).
    /// </summary>
    public VaultKeyring Build(VaultOptions o, bool createNewPassword = false, bool autoPrompt = false) =>
        Build(o.ConfiguredIds.Concat(o.VaultIds).ToList(), o.PasswordFiles.ToList(), o.ConfiguredPasswordFile, o.AskVaultPass,
            o.DefaultIdentity, createNewPassword, autoPrompt);

    /// <summary>The secrets from explicit lists (rekey's new secret uses this).</summary>
    public VaultKeyring Build(List<string> vaultIds, List<string> passwordFiles, string? configuredPasswordFile, bool askVaultPass,
        string defaultIdentity, bool createNewPassword, bool autoPrompt)
    {
        if (configuredPasswordFile is not null) passwordFiles.Add(configuredPasswordFile);
        var slugs = vaultIds.ToList();
        slugs.AddRange(passwordFiles.Select(f => $"{defaultIdentity}@{f}"));
        if (askVaultPass || (slugs.Count == 0 && autoPrompt)) slugs.Add($"{defaultIdentity}@prompt_ask_vault_pass");

        var keyring = new VaultKeyring();
        VaultError? last = null;
        var found = false;
        foreach (var slug in slugs)
        {
            var at = slug.IndexOf('@');
            var label = at < 0 ? null : slug[..at];
            var source = at < 0 ? slug : slug[(at + 1)..];
            if (source is "prompt" or "prompt_ask_vault_pass")
            {
                var id = string.IsNullOrEmpty(label) ? defaultIdentity : label;
                try { keyring.Add(id, AskPassword(id, source == "prompt_ask_vault_pass", createNewPassword)); }
                catch (VaultError e) { Warn($"Error in vault password prompt ({label}): {e.Message}"); throw; }
                found = true;
                continue;
            }
            try { keyring.Add(string.IsNullOrEmpty(label) ? defaultIdentity : label, VaultSecretSource.Load(source, label, keyring)); }
            catch (VaultError e)
            {
                Warn($"Error getting vault password file ({label}): {e.Message}");
                last = e;
                continue;
            }
            found = true;
        }
        if (last is not null && !found) throw last;
        return keyring;
    }

    private byte[] AskPassword(string id, bool oldFormat, bool createNew)
    {
        var prompts = (createNew, oldFormat) switch
        {
            (true, true) => new[] { "New Vault password: ", "Confirm New Vault password: " },
            (true, false) => new[] { $"New vault password ({id}): ", $"Confirm new vault password ({id}): " },
            (false, true) => new[] { "Vault password: " },
            _ => new[] { $"Vault password ({id}): " },
        };
        var answers = new List<string>();
        foreach (var p in prompts)
        {
            var answer = Prompt(p) ?? throw new VaultError($"EOFError (ctrl-d) on prompt for ({id})");
            if (answer.Length == 0) throw new VaultError("Invalid vault password was provided");
            answers.Add(answer.Trim());
        }
        if (answers.Any(a => a != answers[0])) throw new VaultError("Passwords do not match");
        return VaultSecretSource.FromText(answers[0]);
    }
}

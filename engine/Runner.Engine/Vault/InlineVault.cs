using Runner.Engine.Errors;

namespace Runner.Engine.Vault;

/// <summary>
/// A <c>!vault |</c> tagged YAML scalar (Ansible's AnsibleVaultEncryptedUnicode): the block's text is an envelope,
/// decrypted with <see cref="VaultKeyring.Current"/> when the YAML is loaded. Ansible decrypts on first use instead;
/// Runner decrypts at load, so a vaulted value that a run never uses still needs its secret.
/// Errors: the vault's message with the value's position, exit 1.
/// </summary>
public static class InlineVault
{
    /// <summary>The plaintext of the tagged value at <paramref name="at"/>.</summary>
    public static string Decrypt(string vaulttext, SourceLocation at)
    {
        try { return VaultKeyring.Current.DecryptText(vaulttext.Trim() + "\n", null); }
        catch (VaultError e) { throw new RunnerException(e.Message, at, exitCode: ExitCodes.Error, inner: e); }
    }
}

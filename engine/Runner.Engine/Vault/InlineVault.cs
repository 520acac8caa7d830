using Runner.Engine.Errors;

namespace Runner.Engine.Vault;

/// <summary>
/// A <c>!vault |</c> tagged YAML scalar (Ansible's AnsibleVaultEncryptedUnicode): the block's text is an envelope,
/// decrypted with <see cref="VaultKeyring.Current"/> when the YAML is loaded. As in Ansible, a value that cannot be
/// decrypted (no secret, a wrong one) fails only where it is used: it loads as a <see cref="LockedVaultValue"/>, and
/// templating it fails that task with the vault's message ("Attempting to decrypt but no vault secrets found").
/// </summary>
public static class InlineVault
{
    /// <summary>The plaintext of the tagged value at <paramref name="at"/>, or the locked value when it cannot be decrypted.</summary>
    public static object Decrypt(string vaulttext, SourceLocation at)
    {
        try { return VaultKeyring.Current.DecryptText(vaulttext.Trim() + "\n", null); }
        catch (VaultError e) { return new LockedVaultValue(e.Message, at); }
    }
}

/// <summary>
/// An inline vaulted value the run's secrets cannot decrypt: <see cref="Message"/> is the vault's error, raised as a
/// template error by whatever uses the value (Ansible decrypts AnsibleVaultEncryptedUnicode on first use).
/// </summary>
public sealed record LockedVaultValue(string Message, SourceLocation At)
{
    /// <summary>Never the ciphertext or a secret: the value's place.</summary>
    public override string ToString() => $"<vaulted value at {At}>";
}

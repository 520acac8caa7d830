using System.Text;

namespace Runner.Engine.Vault;

/// <summary>
/// The vault secrets of a run, in order: (vault id, password bytes) pairs as Ansible's VaultLib holds them.
/// Decrypting tries the secrets whose id matches the envelope's id first, then every other secret
/// (DEFAULT_VAULT_ID_MATCH false, Ansible's default); the first whose HMAC matches wins.
/// <see cref="Current"/> is the keyring of the running command (an AsyncLocal, so parallel tests do not mix);
/// the YAML loader, inventory, copy/template and the unvault lookup read it.
/// </summary>
public sealed class VaultKeyring
{
    private static readonly AsyncLocal<VaultKeyring?> Ambient = new();

    /// <summary>The secrets (id, password) in precedence order.</summary>
    public List<(string Id, byte[] Secret)> Secrets { get; } = new();

    /// <summary>The keyring of this command; an empty one when none was set.</summary>
    public static VaultKeyring Current
    {
        get => Ambient.Value ?? Empty;
        set => Ambient.Value = value;
    }

    private static readonly VaultKeyring Empty = new();

    /// <summary>Receives the warning Ansible prints (display.warning formatted: "\n[WARNING]: \nMSG") before a format error.</summary>
    public static event Action<string>? FormatWarning;

    /// <summary>Adds a secret under <paramref name="id"/>.</summary>
    public VaultKeyring Add(string id, byte[] secret) { Secrets.Add((id, secret)); return this; }

    /// <summary>Adds a UTF-8 password under <paramref name="id"/> (tests and prompts).</summary>
    public VaultKeyring Add(string id, string password) => Add(id, Encoding.UTF8.GetBytes(password));

    /// <summary>Decrypts vaulted text (an envelope); see <see cref="DecryptWithId"/>.</summary>
    public byte[] Decrypt(string vaulttext, string? fileName = null) => DecryptWithId(vaulttext, fileName).Plaintext;

    /// <summary>
    /// Decrypts vaulted text and says which secret did it (Ansible's decrypt_and_get_vault_id).
    /// Errors (<see cref="VaultError"/>, exit 1, Ansible's words): "input is not vault encrypted data. FILE is not a vault
    /// encrypted file", "Attempting to decrypt but no vault secrets found", "Decryption failed (no vault secrets were
    /// found that could decrypt) on FILE", "AES cipher could not be found".
    /// </summary>
    public (byte[] Plaintext, string IdUsed, byte[] SecretUsed) DecryptWithId(string vaulttext, string? fileName = null)
    {
        if (!VaultEnvelope.IsEncrypted(vaulttext))
            throw new VaultError("input is not vault encrypted data. " + (fileName is null ? "" : $"{fileName} is not a vault encrypted file"));
        var envelope = VaultEnvelope.Parse(vaulttext, fileName);
        if (envelope.Cipher != "AES256") throw new VaultError($"{envelope.Cipher} cipher could not be found");
        if (Secrets.Count == 0) throw new VaultError("Attempting to decrypt but no vault secrets found");
        foreach (var (id, secret) in Candidates(envelope.VaultId))
        {
            byte[]? plain;
            try { plain = VaultAes256.Decrypt(envelope.Payload, secret); }
            catch (VaultFormatError e)
            {
                FormatWarning?.Invoke($"There was a vault format error{(fileName is null ? "" : " in " + fileName)}: {e.Message}");
                throw;
            }
            if (plain is not null) return (plain, id, secret);
        }
        throw new VaultError("Decryption failed (no vault secrets were found that could decrypt)" + (fileName is null ? "" : $" on {fileName}"));
    }

    /// <summary>Decrypts to text (UTF-8), as vaulted YAML and templates are read.</summary>
    public string DecryptText(string vaulttext, string? fileName = null) => Encoding.UTF8.GetString(Decrypt(vaulttext, fileName));

    private IEnumerable<(string Id, byte[] Secret)> Candidates(string? envelopeId)
    {
        if (envelopeId is not null)
            foreach (var s in Secrets.Where(s => s.Id == envelopeId)) yield return s;
        foreach (var s in Secrets.Where(s => s.Id != envelopeId)) yield return s;
    }

    /// <summary>
    /// The secret to encrypt with (Ansible's match_encrypt_secret): the first one whose id is
    /// <paramref name="encryptVaultId"/> when given, else the first. Errors: "Did not find a match for
    /// --encrypt-vault-id=ID in the known vault-ids ['a', 'b']".
    /// </summary>
    public (string Id, byte[] Secret) EncryptSecret(string? encryptVaultId)
    {
        if (!string.IsNullOrEmpty(encryptVaultId))
        {
            foreach (var s in Secrets) if (s.Id == encryptVaultId) return s;
            throw new VaultError($"Did not find a match for --encrypt-vault-id={encryptVaultId} in the known vault-ids [{string.Join(", ", Secrets.Select(s => $"'{s.Id}'"))}]");
        }
        if (Secrets.Count == 0) throw new VaultError("A vault password must be specified to encrypt data");
        return Secrets[0];
    }

    /// <summary>Encrypts into envelope text with the given secret and id (1.2 header when the id is not "default").
    /// Errors: "input is already encrypted".</summary>
    public static string Encrypt(byte[] plaintext, byte[] secret, string? vaultId)
    {
        if (VaultEnvelope.IsEncrypted(plaintext)) throw new VaultError("input is already encrypted");
        return VaultEnvelope.Format(VaultAes256.Encrypt(plaintext, secret), vaultId);
    }

    /// <summary>
    /// The bytes of a file, decrypted when the file is vaulted (DataLoader._decrypt_if_vault_data): the plaintext,
    /// or the file's bytes unchanged. <paramref name="wasVaulted"/> says which.
    /// </summary>
    public byte[] DecryptIfVaulted(byte[] data, string? fileName, out bool wasVaulted)
    {
        wasVaulted = VaultEnvelope.IsEncrypted(data);
        return wasVaulted ? Decrypt(Encoding.ASCII.GetString(data), fileName) : data;
    }
}

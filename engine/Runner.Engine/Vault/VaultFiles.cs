using System.Text;

namespace Runner.Engine.Vault;

/// <summary>
/// Reading controller-side files that may be vaulted, as Ansible's DataLoader.get_real_file(path, decrypt) does for
/// copy/template sources and the file/unvault lookups: a vaulted file's plaintext is kept in memory only (Ansible
/// writes it to a temp file; Runner never does), decrypted with <see cref="VaultKeyring.Current"/>.
/// </summary>
public static class VaultFiles
{
    /// <summary>The file's bytes, decrypted when vaulted and <paramref name="decrypt"/> is set.</summary>
    public static async Task<byte[]> ReadBytesAsync(string path, bool decrypt, CancellationToken ct)
    {
        var bytes = await File.ReadAllBytesAsync(path, ct);
        return decrypt ? VaultKeyring.Current.DecryptIfVaulted(bytes, path, out _) : bytes;
    }

    /// <summary>The file's UTF-8 text, decrypted when vaulted.</summary>
    public static string ReadText(string path) =>
        new UTF8Encoding(false).GetString(VaultKeyring.Current.DecryptIfVaulted(File.ReadAllBytes(path), path, out _)).TrimStart('\uFEFF');

    /// <summary>The file's UTF-8 text, decrypted when vaulted.</summary>
    public static async Task<string> ReadTextAsync(string path, CancellationToken ct) =>
        new UTF8Encoding(false).GetString(await ReadBytesAsync(path, true, ct)).TrimStart('\uFEFF');
}

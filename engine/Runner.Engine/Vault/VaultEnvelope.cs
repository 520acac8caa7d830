using System.Text;

namespace Runner.Engine.Vault;

/// <summary>
/// The text around vaulted data, as Ansible's format_vaulttext_envelope / parse_vaulttext_envelope write and read it:
/// a header line <c>$ANSIBLE_VAULT;1.1;AES256</c> (or <c>$ANSIBLE_VAULT;1.2;AES256;LABEL</c> when a vault id other than
/// "default" is used), then the hexlified payload cut into 80-column lines, each ending with "\n".
/// </summary>
public sealed record VaultEnvelope(string Version, string Cipher, string? VaultId, string Payload)
{
    /// <summary>The header's first field.</summary>
    public const string Header = "$ANSIBLE_VAULT";

    /// <summary>The vault id Ansible uses when none is given (DEFAULT_VAULT_IDENTITY).</summary>
    public const string DefaultId = "default";

    /// <summary>Whether <paramref name="data"/> is pure ASCII and starts with the vault header (Ansible's is_encrypted).</summary>
    public static bool IsEncrypted(ReadOnlySpan<byte> data)
    {
        foreach (var b in data) if (b > 127) return false;
        return data.StartsWith("$ANSIBLE_VAULT"u8);
    }

    /// <summary>Whether the text starts with the vault header and is pure ASCII.</summary>
    public static bool IsEncrypted(string text) => text.StartsWith(Header, StringComparison.Ordinal) && text.All(c => c < 128);

    /// <summary>
    /// Splits vaulted text into header fields and payload (the lines after the header joined, whitespace dropped).
    /// A 1.1 header gives <see cref="VaultId"/> = <paramref name="defaultId"/>.
    /// Errors: <see cref="VaultError"/> "Vault envelope format error[ in FILE]: ...".
    /// </summary>
    public static VaultEnvelope Parse(string text, string? fileName = null, string defaultId = DefaultId)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var header = lines[0].Trim().Split(';');
        if (header.Length < 3)
            throw new VaultError($"Vault envelope format error{(fileName is null ? "" : " in " + fileName)}: list index out of range");
        var id = header.Length >= 4 ? header[3].Trim() : defaultId;
        var payload = string.Concat(lines.Skip(1).Select(l => l.Trim()));
        return new VaultEnvelope(header[1].Trim(), header[2].Trim(), id, payload);
    }

    /// <summary>
    /// The envelope text for a payload: version 1.2 with the id when <paramref name="vaultId"/> is set and not
    /// "default", else 1.1; payload lines of 80 characters; a final newline.
    /// </summary>
    public static string Format(string payload, string? vaultId, string cipher = "AES256")
    {
        var withId = !string.IsNullOrEmpty(vaultId) && vaultId != DefaultId;
        var sb = new StringBuilder(Header).Append(withId ? ";1.2;" : ";1.1;").Append(cipher);
        if (withId) sb.Append(';').Append(vaultId);
        sb.Append('\n');
        for (var i = 0; i < payload.Length; i += 80) sb.Append(payload, i, Math.Min(80, payload.Length - i)).Append('\n');
        return sb.ToString();
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Runner.Engine.Vault;

/// <summary>
/// The AES256 vault cipher, as Ansible's VaultAES256 (lib/ansible/parsing/vault/__init__.py) computes it:
/// PBKDF2-HMAC-SHA256 over the password with a 32-byte random salt, 10000 iterations, 80 bytes out
/// = AES-256 key (32) + HMAC-SHA256 key (32) + CTR initial counter (16); the plaintext PKCS7-padded to 16 bytes
/// and encrypted with AES-256-CTR; an HMAC-SHA256 of the ciphertext. The payload is
/// hexlify(hexlify(salt) + "\n" + hexlify(hmac) + "\n" + hexlify(ciphertext)), lowercase hex as Python's hexlify.
/// </summary>
public static class VaultAes256
{
    private const int Iterations = 10000;
    private const int KeyLength = 32;
    private const int BlockLength = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> into the hexlified payload (no header); <paramref name="salt"/> for tests.</summary>
    public static string Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> password, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(32);
        var (aesKey, hmacKey, iv) = DeriveKeys(password, salt);
        var padded = Pad(plaintext);
        var cipher = AesCtr.Transform(aesKey, iv, padded);
        CryptographicOperations.ZeroMemory(padded);
        var mac = HMACSHA256.HashData(hmacKey, cipher);
        var inner = Hex(salt) + "\n" + Hex(mac) + "\n" + Hex(cipher);
        return Hex(Encoding.ASCII.GetBytes(inner));
    }

    /// <summary>
    /// Decrypts a payload with one password: null when the HMAC does not match (a wrong password),
    /// the plaintext otherwise. Errors: <see cref="VaultError"/> for a payload that is not Ansible's hex layout.
    /// </summary>
    public static byte[]? Decrypt(string payload, ReadOnlySpan<byte> password)
    {
        var (salt, mac, cipher) = ParsePayload(payload);
        var (aesKey, hmacKey, iv) = DeriveKeys(password, salt);
        var expected = HMACSHA256.HashData(hmacKey, cipher);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac)) return null;
        var padded = AesCtr.Transform(aesKey, iv, cipher);
        return Unpad(padded);
    }

    private static (byte[] Salt, byte[] Mac, byte[] Cipher) ParsePayload(string payload)
    {
        string inner;
        try { inner = Encoding.ASCII.GetString(Convert.FromHexString(payload)); }
        catch (FormatException e) { throw new VaultFormatError($"Vault format unhexlify error: {HexError(payload, e)}"); }
        var parts = inner.Split('\n', 3);
        if (parts.Length < 3) throw new VaultFormatError($"Vault vaulttext format error: not enough values to unpack (expected 3, got {parts.Length})");
        // Ansible unhexlifies the salt, then the ciphertext, then (when checking it) the HMAC
        var salt = Unhex(parts[0]);
        var cipher = Unhex(parts[2]);
        return (salt, Unhex(parts[1]), cipher);
    }

    private static byte[] Unhex(string s)
    {
        try { return Convert.FromHexString(s); }
        catch (FormatException e) { throw new VaultFormatError($"Vault format unhexlify error: {HexError(s, e)}"); }
    }

    private static string HexError(string s, Exception e) => s.Length % 2 == 1 ? "Odd-length string" : "Non-hexadecimal digit found";

    private static (byte[] AesKey, byte[] HmacKey, byte[] Iv) DeriveKeys(ReadOnlySpan<byte> password, byte[] salt)
    {
        var derived = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 2 * KeyLength + BlockLength);
        return (derived[..KeyLength], derived[KeyLength..(2 * KeyLength)], derived[(2 * KeyLength)..]);
    }

    private static byte[] Pad(ReadOnlySpan<byte> data)
    {
        var n = BlockLength - data.Length % BlockLength;
        var padded = new byte[data.Length + n];
        data.CopyTo(padded);
        padded.AsSpan(data.Length).Fill((byte)n);
        return padded;
    }

    private static byte[] Unpad(byte[] padded)
    {
        var n = padded.Length == 0 ? 0 : padded[^1];
        if (n is < 1 or > BlockLength || n > padded.Length || padded.AsSpan(padded.Length - n).ContainsAnyExcept((byte)n))
            throw new VaultError("Invalid padding bytes.");
        return padded[..^n];
    }

    /// <summary>Lowercase hex, as Python's binascii.hexlify.</summary>
    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexStringLower(b);
}

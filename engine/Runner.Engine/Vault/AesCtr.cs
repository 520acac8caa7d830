using System.Security.Cryptography;

namespace Runner.Engine.Vault;

/// <summary>
/// AES-CTR built on AES-ECB (.NET has no CTR mode): each 16-byte counter block, starting at the initial counter
/// and incremented as one 128-bit big-endian number (as OpenSSL's and the cryptography package's CTR mode do),
/// is encrypted and XORed into the data. Encrypting and decrypting are the same operation.
/// </summary>
internal static class AesCtr
{
    /// <summary>XORs <paramref name="data"/> with the key stream of <paramref name="key"/> from counter <paramref name="iv"/>.</summary>
    public static byte[] Transform(byte[] key, byte[] iv, ReadOnlySpan<byte> data)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var blocks = (data.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        var counter = (byte[])iv.Clone();
        for (var b = 0; b < blocks; b++)
        {
            counter.CopyTo(counters, b * 16);
            for (var i = 15; i >= 0 && ++counter[i] == 0; i--) { }
        }
        var stream = aes.EncryptEcb(counters, PaddingMode.None);
        var output = new byte[data.Length];
        for (var i = 0; i < data.Length; i++) output[i] = (byte)(data[i] ^ stream[i]);
        CryptographicOperations.ZeroMemory(stream);
        return output;
    }
}

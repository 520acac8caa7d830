using System.Security.Cryptography;
using System.Text;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// SHA-crypt password hashes ("$5$" / "$6$") implemented from Ulrich Drepper's published specification
/// "Unix crypt using SHA-256 and SHA-512" (https://www.akkadia.org/drepper/SHA-crypt.txt).
/// Default rounds follow passlib as ansible-core 2.14 uses it (measured: "$6$rounds=656000$salt$...");
/// 5000 rounds are implicit (no "rounds=" field).
/// </summary>
internal static class ShaCrypt
{
    private const string B64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string RandomSalt(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => B64[RandomNumberGenerator.GetInt32(64)]));

    public static string Sha512Crypt(string pw, string salt, int? rounds) => Crypt(pw, salt, rounds ?? 656000, true);
    public static string Sha256Crypt(string pw, string salt, int? rounds) => Crypt(pw, salt, rounds ?? 535000, false);

    private static byte[] H(bool sha512, params byte[][] parts)
    {
        using var h = sha512 ? (HashAlgorithm)SHA512.Create() : SHA256.Create();
        foreach (var p in parts) h.TransformBlock(p, 0, p.Length, null, 0);
        h.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        return h.Hash!;
    }

    private static string Crypt(string password, string saltText, int rounds, bool sha512)
    {
        rounds = Math.Clamp(rounds, 1000, 999_999_999);
        var p = Encoding.UTF8.GetBytes(password);
        var s = Encoding.UTF8.GetBytes(saltText.Length > 16 ? saltText[..16] : saltText);
        var n = sha512 ? 64 : 32;

        var b = H(sha512, p, s, p);
        var a = new List<byte>(p); a.AddRange(s);
        for (var len = p.Length; len > 0; len -= n) a.AddRange(b.Take(Math.Min(n, len)));
        for (var len = p.Length; len > 0; len >>= 1) a.AddRange((len & 1) != 0 ? b : p);
        var ad = H(sha512, a.ToArray());

        var dpParts = Enumerable.Repeat(p, p.Length).ToArray();
        var dp = H(sha512, dpParts);
        var pSeq = Seq(dp, p.Length);
        var dsParts = Enumerable.Repeat(s, 16 + ad[0]).ToArray();
        var ds = H(sha512, dsParts);
        var sSeq = Seq(ds, s.Length);

        var c = ad;
        for (var i = 0; i < rounds; i++)
        {
            var parts = new List<byte[]>(4);
            parts.Add((i & 1) != 0 ? pSeq : c);
            if (i % 3 != 0) parts.Add(sSeq);
            if (i % 7 != 0) parts.Add(pSeq);
            parts.Add((i & 1) != 0 ? c : pSeq);
            c = H(sha512, parts.ToArray());
        }

        var sb = new StringBuilder(sha512 ? "$6$" : "$5$");
        if (rounds != 5000) sb.Append("rounds=").Append(rounds).Append('$');
        sb.Append(Encoding.UTF8.GetString(s)).Append('$');
        if (sha512)
        {
            int[][] order =
            {
                new[] { 0, 21, 42 }, new[] { 22, 43, 1 }, new[] { 44, 2, 23 }, new[] { 3, 24, 45 }, new[] { 25, 46, 4 },
                new[] { 47, 5, 26 }, new[] { 6, 27, 48 }, new[] { 28, 49, 7 }, new[] { 50, 8, 29 }, new[] { 9, 30, 51 },
                new[] { 31, 52, 10 }, new[] { 53, 11, 32 }, new[] { 12, 33, 54 }, new[] { 34, 55, 13 }, new[] { 56, 14, 35 },
                new[] { 15, 36, 57 }, new[] { 37, 58, 16 }, new[] { 59, 17, 38 }, new[] { 18, 39, 60 }, new[] { 40, 61, 19 },
                new[] { 62, 20, 41 },
            };
            foreach (var o in order) Enc(sb, c[o[0]], c[o[1]], c[o[2]], 4);
            Enc(sb, 0, 0, c[63], 2);
        }
        else
        {
            int[][] order =
            {
                new[] { 0, 10, 20 }, new[] { 21, 1, 11 }, new[] { 12, 22, 2 }, new[] { 3, 13, 23 }, new[] { 24, 4, 14 },
                new[] { 15, 25, 5 }, new[] { 6, 16, 26 }, new[] { 27, 7, 17 }, new[] { 18, 28, 8 }, new[] { 9, 19, 29 },
            };
            foreach (var o in order) Enc(sb, c[o[0]], c[o[1]], c[o[2]], 4);
            Enc(sb, 0, c[31], c[30], 3);
        }
        return sb.ToString();
    }

    private static byte[] Seq(byte[] digest, int len)
    {
        var r = new byte[len];
        for (var i = 0; i < len; i++) r[i] = digest[i % digest.Length];
        return r;
    }

    private static void Enc(StringBuilder sb, byte b2, byte b1, byte b0, int n)
    {
        var w = (b2 << 16) | (b1 << 8) | b0;
        for (var i = 0; i < n; i++) { sb.Append(B64[w & 0x3f]); w >>= 6; }
    }
}

using System.Security.Cryptography;

namespace Runner.Modules.Common;

/// <summary>Lower-case hex digests, as Ansible's checksum (sha1) and md5 helpers return them.</summary>
internal static class Hashes
{
    public static string Sha1(byte[] b) => Convert.ToHexStringLower(SHA1.HashData(b));
    public static string Md5(byte[] b) => Convert.ToHexStringLower(MD5.HashData(b));
}

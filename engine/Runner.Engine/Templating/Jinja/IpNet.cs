using System.Globalization;
using System.Numerics;
using System.Text;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// An IPv4 or IPv6 address with a prefix length, as python-netaddr 0.8.0's IPNetwork (the library behind
/// ansible.utils' ip filters): <see cref="Value"/> keeps the host bits ("10.0.0.5/24" stays 10.0.0.5), and
/// <see cref="ToString"/> is "address/prefix". Parsing follows netaddr exactly, not RFC strictness:
/// <see cref="TryParseNetwork"/> is IPNetwork(text) (strict inet_pton addresses, partial IPv4 "10.1" expanded to
/// 10.1.0.0, a prefix as Python int() or as a netmask/hostmask); <see cref="TryParseAddress"/> is IPAddress(text)
/// (inet_aton for IPv4: "10.1" is 10.0.0.1, hex and octal parts). IPv6 text is glibc inet_ntop's.
/// Neither IPNetwork2 nor System.Net.IPAddress parse or print these forms the same way, hence this type.
/// </summary>
internal readonly record struct IpNet(int Version, UInt128 Value, int Prefix)
{
    public int Width => Version == 4 ? 32 : 128;
    public UInt128 MaxInt => Version == 4 ? uint.MaxValue : UInt128.MaxValue;
    public UInt128 HostmaskInt => Ones(Width - Prefix);
    public UInt128 NetmaskInt => MaxInt ^ HostmaskInt;
    public UInt128 First => Value & NetmaskInt;
    public UInt128 Last => Value | HostmaskInt;
    public BigInteger Size => BigInteger.One << (Width - Prefix);
    public IpNet Ip => this with { Prefix = Width };
    public IpNet Cidr => this with { Value = First };
    public UInt128 Network => First;

    /// <summary>netaddr's broadcast: none for IPv4 /31 and /32 (IPv6 /127 and /128 have one).</summary>
    public UInt128? Broadcast => Version == 4 && Width - Prefix <= 1 ? null : Last;

    public override string ToString() => $"{Format(Version, Value)}/{Prefix}";

    public string IpText => Format(Version, Value);

    /// <summary>netaddr's IPNetwork-in-IPNetwork: same version, same network bits, prefix no shorter.</summary>
    public bool Within(IpNet outer) =>
        Version == outer.Version && Prefix >= outer.Prefix && Shr(Value, Width - outer.Prefix) == Shr(outer.Value, Width - outer.Prefix);

    public static UInt128 Ones(int bits) => bits >= 128 ? UInt128.MaxValue : bits <= 0 ? UInt128.Zero : (UInt128.One << bits) - 1;
    public static UInt128 Shr(UInt128 v, int bits) => bits >= 128 ? UInt128.Zero : v >> bits;

    public static IpNet Host(int version, UInt128 value) => new(version, value, version == 4 ? 32 : 128);

    /// <summary>netaddr's IPNetwork(text): IPv4 first, then IPv6; false when neither parses.</summary>
    public static bool TryParseNetwork(string text, out IpNet net) => TryParseNetwork(text, 4, out net) || TryParseNetwork(text, 6, out net);

    private static bool TryParseNetwork(string text, int version, out IpNet net)
    {
        net = default;
        var slash = text.IndexOf('/');
        var addr = slash >= 0 ? text[..slash] : text;
        var width = version == 4 ? 32 : 128;
        UInt128 value;
        if (version == 4)
        {
            if (!TryPton4(addr, out var v4) && !TryPton4(ExpandPartial(addr), out v4)) return false;
            value = v4;
        }
        else if (!TryPton6(addr, out value)) return false;
        var prefix = width;
        if (slash >= 0)
        {
            var p = text[(slash + 1)..];
            if (TryPyInt(p, out var n)) { if (n < 0 || n > width) return false; prefix = (int)n; }
            else if (!TryMaskPrefix(p, version, out prefix)) return false;
        }
        net = new IpNet(version, value, prefix);
        return true;
    }

    private static bool TryMaskPrefix(string text, int version, out int prefix)
    {
        prefix = 0;
        UInt128 mask;
        if (version == 4) { if (!TryPton4(text, out var m4)) return false; mask = m4; }
        else if (!TryPton6(text, out mask)) return false;
        var max = version == 4 ? (UInt128)uint.MaxValue : UInt128.MaxValue;
        var width = version == 4 ? 32 : 128;
        if (IsPowerOfTwoPlusOne(mask ^ max)) { prefix = width - BitCount(mask ^ max); return true; }
        if (IsPowerOfTwoPlusOne(mask)) { prefix = width - BitCount(mask); return true; }
        return false;
    }

    /// <summary>netaddr's is_netmask/is_hostmask test: value + 1 is a power of two (or overflows to 2^width).</summary>
    public static bool IsPowerOfTwoPlusOne(UInt128 v) => v == UInt128.MaxValue || ((v + 1) & v) == 0;

    private static int BitCount(UInt128 v) => (int)UInt128.PopCount(v);

    /// <summary>IPAddress.is_netmask() of an address.</summary>
    public bool IsNetmask => IsPowerOfTwoPlusOne(Value ^ MaxInt);

    /// <summary>IPAddress.is_hostmask() of an address.</summary>
    public bool IsHostmask => IsPowerOfTwoPlusOne(Value);

    /// <summary>netaddr's IPAddress(text): IPv4 by inet_aton, else IPv6 by inet_pton.</summary>
    public static bool TryParseAddress(string text, out IpNet ip)
    {
        ip = default;
        if (text.Length == 0) return false;
        if (TryAton4(text, out var v4)) { ip = Host(4, v4); return true; }
        if (TryPton6(text, out var v6)) { ip = Host(6, v6); return true; }
        return false;
    }

    /// <summary>Python int(text) in base 10: whitespace, sign, single underscores between digits.</summary>
    public static bool TryPyInt(string text, out BigInteger n)
    {
        n = 0;
        var t = text.Trim();
        var neg = false;
        if (t.Length > 0 && t[0] is '+' or '-') { neg = t[0] == '-'; t = t[1..]; }
        if (t.Length == 0 || t[0] == '_' || t[^1] == '_' || t.Contains("__")) return false;
        foreach (var c in t)
        {
            if (c == '_') continue;
            if (!char.IsAsciiDigit(c)) return false;
            n = n * 10 + (c - '0');
        }
        if (neg) n = -n;
        return true;
    }

    private static string ExpandPartial(string addr)
    {
        if (addr.Contains(':')) return "";
        var parts = addr.Split('.');
        if (parts.Length > 4) return "";
        var tokens = new List<string>();
        foreach (var p in parts)
        {
            if (!TryPyInt(p, out var n)) return "";
            tokens.Add(n.ToString(CultureInfo.InvariantCulture));
        }
        while (tokens.Count < 4) tokens.Add("0");
        return string.Join('.', tokens);
    }

    /// <summary>glibc inet_pton(AF_INET): four decimal octets, no leading zeros.</summary>
    private static bool TryPton4(string s, out uint value)
    {
        value = 0;
        var parts = s.Split('.');
        if (parts.Length != 4) return false;
        foreach (var p in parts)
        {
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')) return false;
            var n = int.Parse(p, CultureInfo.InvariantCulture);
            if (n > 255) return false;
            value = (value << 8) | (uint)n;
        }
        return true;
    }

    /// <summary>glibc inet_aton: 1 to 4 parts in C base notation (0x hex, 0 octal); trailing whitespace ends it.</summary>
    private static bool TryAton4(string s, out UInt128 value)
    {
        value = 0;
        var parts = new List<ulong>();
        var i = 0;
        while (true)
        {
            if (i >= s.Length || !char.IsAsciiDigit(s[i])) return false;
            ulong v = 0;
            var b = 10;
            if (s[i] == '0')
            {
                i++;
                if (i < s.Length && s[i] is 'x' or 'X') { b = 16; i++; } else b = 8;
            }
            for (; i < s.Length; i++)
            {
                var c = s[i];
                int d;
                if (char.IsAsciiDigit(c)) { if (b == 8 && c >= '8') return false; d = c - '0'; }
                else if (b == 16 && char.IsAsciiHexDigit(c)) d = char.ToLowerInvariant(c) - 'a' + 10;
                else break;
                v = v * (ulong)b + (ulong)d;
                if (v > uint.MaxValue) return false;
            }
            if (i < s.Length && s[i] == '.')
            {
                if (parts.Count >= 3 || v > 0xff) return false;
                parts.Add(v);
                i++;
                continue;
            }
            if (i < s.Length && !char.IsWhiteSpace(s[i])) return false;
            parts.Add(v);
            break;
        }
        var last = parts[^1];
        var limit = parts.Count switch { 1 => uint.MaxValue, 2 => 0xffffffUL, 3 => 0xffffUL, _ => 0xffUL };
        if (last > limit) return false;
        ulong acc = 0;
        for (var k = 0; k < parts.Count - 1; k++) acc |= parts[k] << (24 - 8 * k);
        value = acc | last;
        return true;
    }

    /// <summary>glibc inet_pton(AF_INET6): hex groups, one "::", an optional trailing dotted IPv4.</summary>
    private static bool TryPton6(string s, out UInt128 value)
    {
        value = 0;
        if (s.Length == 0) return false;
        var words = new List<ushort>();
        var gap = -1;
        var i = 0;
        if (s.StartsWith("::")) { gap = 0; i = 2; }
        else if (s[0] == ':') return false;
        while (i < s.Length)
        {
            var j = i;
            while (j < s.Length && s[j] != ':') j++;
            var tok = s[i..j];
            if (tok.Contains('.'))
            {
                if (j != s.Length || !TryPton4(tok, out var v4)) return false;
                words.Add((ushort)(v4 >> 16));
                words.Add((ushort)(v4 & 0xffff));
                i = j;
                break;
            }
            if (tok.Length is 0 or > 4 || !tok.All(char.IsAsciiHexDigit)) return false;
            words.Add(ushort.Parse(tok, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            if (j == s.Length) { i = j; break; }
            // a colon follows: "::" marks the gap, a single one separates
            if (j + 1 < s.Length && s[j + 1] == ':')
            {
                if (gap >= 0) return false;
                gap = words.Count;
                i = j + 2;
            }
            else
            {
                if (j + 1 == s.Length) return false;
                i = j + 1;
            }
            if (words.Count > 8) return false;
        }
        if (words.Count > 8 || (gap < 0 && words.Count != 8) || (gap >= 0 && words.Count > 7)) return false;
        var all = new ushort[8];
        if (gap < 0) words.CopyTo(all);
        else
        {
            for (var k = 0; k < gap; k++) all[k] = words[k];
            var tail = words.Count - gap;
            for (var k = 0; k < tail; k++) all[8 - tail + k] = words[gap + k];
        }
        foreach (var w in all) value = (value << 16) | w;
        return true;
    }

    /// <summary>Dotted quad for IPv4; glibc inet_ntop for IPv6 (longest zero run of 2+ words as "::", ::ffff:a.b.c.d).</summary>
    public static string Format(int version, UInt128 v)
    {
        if (version == 4) return $"{(v >> 24) & 0xff}.{(v >> 16) & 0xff}.{(v >> 8) & 0xff}.{v & 0xff}";
        var w = new int[8];
        for (var k = 0; k < 8; k++) w[k] = (int)((v >> (112 - 16 * k)) & 0xffff);
        int bestBase = -1, bestLen = 0;
        for (var k = 0; k < 8;)
        {
            if (w[k] != 0) { k++; continue; }
            var start = k;
            while (k < 8 && w[k] == 0) k++;
            if (k - start > bestLen) { bestBase = start; bestLen = k - start; }
        }
        if (bestLen < 2) bestBase = -1;
        var sb = new StringBuilder();
        for (var k = 0; k < 8; k++)
        {
            if (bestBase >= 0 && k >= bestBase && k < bestBase + bestLen)
            {
                if (k == bestBase) sb.Append(':');
                continue;
            }
            if (k != 0) sb.Append(':');
            if (k == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff)))
            {
                sb.Append(Format(4, v & uint.MaxValue));
                return sb.ToString();
            }
            sb.Append(w[k].ToString("x", CultureInfo.InvariantCulture));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) sb.Append(':');
        return sb.ToString();
    }

    /// <summary>IPAddress.reverse_dns: "4.3.2.1.in-addr.arpa." or the nibbles of IPv6 under "ip6.arpa.".</summary>
    public string ReverseDns()
    {
        if (Version == 4) return $"{Value & 0xff}.{(Value >> 8) & 0xff}.{(Value >> 16) & 0xff}.{(Value >> 24) & 0xff}.in-addr.arpa.";
        var hex = Value.ToString("x32", CultureInfo.InvariantCulture);
        return string.Join('.', hex.Reverse()) + ".ip6.arpa.";
    }
}

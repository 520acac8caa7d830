using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Python's random.Random(seed) (MT19937, init_by_array; str seeds hashed as version 2: bytes + sha512(bytes)),
/// with randrange and choice as _randbelow/getrandbits compute them, so a seeded random filter gives Python's result.
/// </summary>
internal sealed class PyRandom
{
    private readonly uint[] _mt = new uint[624];
    private int _i = 625;

    public PyRandom(object? seed)
    {
        BigInteger a = seed switch
        {
            string s => new BigInteger(Encoding.UTF8.GetBytes(s).Concat(SHA512.HashData(Encoding.UTF8.GetBytes(s))).ToArray(), isUnsigned: true, isBigEndian: true),
            long l => BigInteger.Abs(l),
            int n => BigInteger.Abs(n),
            bool b => b ? 1 : 0,
            _ => throw new TemplateError($"unsupported seed type {PyOps.TypeName(seed)}"),
        };
        var key = new List<uint>();
        while (a > 0) { key.Add((uint)(a & 0xffffffff)); a >>= 32; }
        if (key.Count == 0) key.Add(0);
        InitByArray(key);
    }

    private void InitGenrand(uint s)
    {
        _mt[0] = s;
        for (var i = 1; i < 624; i++) _mt[i] = 1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i;
        _i = 624;
    }

    private void InitByArray(List<uint> key)
    {
        InitGenrand(19650218u);
        int i = 1, j = 0;
        for (var k = Math.Max(624, key.Count); k > 0; k--)
        {
            _mt[i] = (_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
            i++; j++;
            if (i >= 624) { _mt[0] = _mt[623]; i = 1; }
            if (j >= key.Count) j = 0;
        }
        for (var k = 623; k > 0; k--)
        {
            _mt[i] = (_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= 624) { _mt[0] = _mt[623]; i = 1; }
        }
        _mt[0] = 0x80000000u;
    }

    private uint Next()
    {
        if (_i >= 624)
        {
            for (var k = 0; k < 624; k++)
            {
                var y = (_mt[k] & 0x80000000u) | (_mt[(k + 1) % 624] & 0x7fffffffu);
                _mt[k] = _mt[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0);
            }
            _i = 0;
        }
        var x = _mt[_i++];
        x ^= x >> 11; x ^= (x << 7) & 0x9d2c5680u; x ^= (x << 15) & 0xefc60000u; x ^= x >> 18;
        return x;
    }

    private ulong GetRandBits(int k)
    {
        if (k <= 32) return Next() >> (32 - k);
        var lo = (ulong)Next(); var hi = (ulong)(Next() >> (64 - k));
        return (hi << 32) | lo;
    }

    private long RandBelow(long n)
    {
        if (n <= 0) return 0;
        var k = 64 - BitOperations.LeadingZeroCount((ulong)n);
        var r = GetRandBits(k);
        while (r >= (ulong)n) r = GetRandBits(k);
        return (long)r;
    }

    public long RandRange(long start, long stop, long step)
    {
        var width = stop - start;
        if (step == 1) return width > 0 ? start + RandBelow(width) : throw new TemplateError($"empty range for randrange() ({start}, {stop}, {width})");
        var n = step > 0 ? (width + step - 1) / step : (width + step + 1) / step;
        if (n <= 0) throw new TemplateError("empty range for randrange()");
        return start + step * RandBelow(n);
    }

    public object? Choice(List<object?> seq) => seq.Count == 0 ? throw new TemplateError("Cannot choose from an empty sequence") : seq[(int)RandBelow(seq.Count)];
}

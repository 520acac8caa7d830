using System.Globalization;
using System.Text.RegularExpressions;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// ansible.utils' hwaddr/macaddr (plugin_utils/base/ipaddr_utils.py hwaddr, on netaddr 0.8.0's EUI-48 formats:
/// six 1-2 digit hex words split by ':' or '-', three 1-4 digit words split by ':', '-' or '.', two 5-6 digit words,
/// 11-12 bare digits). Queries: '' (the value itself), bool, int, bare, cisco, eui48/win, linux, pgsql/postgresql/psql,
/// unix. Not a MAC address: None for '' and bool, else "ALIAS: not a hardware address: VALUE". EUI-64 is not supported.
/// </summary>
internal static class MacAddr
{
    private static readonly Regex[] Formats = new[]
    {
        Words(@"[0-9A-F]{1,2}", ":", 6), Words(@"[0-9A-F]{1,2}", "-", 6),
        Words(@"[0-9A-F]{1,4}", ":", 3), Words(@"[0-9A-F]{1,4}", "-", 3), Words(@"[0-9A-F]{1,4}", @"\.", 3),
        Words(@"[0-9A-F]{5,6}", "-", 2), Words(@"[0-9A-F]{5,6}", ":", 2),
        new Regex("^([0-9A-F]{12})$", RegexOptions.IgnoreCase), new Regex("^([0-9A-F]{11})$", RegexOptions.IgnoreCase),
    };

    private static Regex Words(string word, string sep, int n) =>
        new("^" + string.Join(sep, Enumerable.Repeat($"({word})", n)) + "$", RegexOptions.IgnoreCase);

    /// <summary>The 48-bit value of a MAC address string, or null when no EUI-48 format matches.</summary>
    public static ulong? Parse(string text)
    {
        foreach (var re in Formats)
        {
            var m = re.Match(text);
            if (!m.Success) continue;
            var bits = 48 / (m.Groups.Count - 1);
            ulong v = 0;
            for (var g = 1; g < m.Groups.Count; g++)
                v = (v << bits) | ulong.Parse(m.Groups[g].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return v;
        }
        return null;
    }

    /// <summary>hwaddr(value, query, alias).</summary>
    public static object? Run(string value, string query, string alias)
    {
        var v = Parse(value);
        if (v is null && query != "" && query != "bool") throw new TemplateError($"{alias}: not a hardware address: {value}");
        return query switch
        {
            "" => v is null ? null : value,
            "bool" => v is null ? null : true,
            "int" => (long)v!.Value,
            "bare" => v!.Value.ToString("X12", CultureInfo.InvariantCulture),
            "cisco" => Join(v!.Value, 16, ".", "x4"),
            "eui48" or "win" => Join(v!.Value, 8, "-", "X2"),
            "linux" => Join(v!.Value, 8, ":", "x2"),
            "pgsql" or "postgresql" or "psql" => Join(v!.Value, 24, ":", "x6"),
            "unix" => Join(v!.Value, 8, ":", "x"),
            _ => throw new TemplateError($"{alias}: unknown filter type: {query}"),
        };
    }

    private static string Join(ulong v, int wordBits, string sep, string fmt)
    {
        var words = new List<string>();
        for (var shift = 48 - wordBits; shift >= 0; shift -= wordBits)
            words.Add(((v >> shift) & ((1UL << wordBits) - 1)).ToString(fmt, CultureInfo.InvariantCulture));
        return string.Join(sep, words);
    }
}

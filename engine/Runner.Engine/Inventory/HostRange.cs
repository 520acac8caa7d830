using System.Globalization;
using System.Text.RegularExpressions;
using Runner.Engine.Errors;

namespace Runner.Engine.Inventory;

/// <summary>
/// Host name patterns of inventory files, as Ansible's <c>expand_hostname_range</c> and <c>parse_address</c>
/// (https://docs.ansible.com/ansible/2.14/inventory_guide/intro_inventory.html#adding-ranges-of-hosts):
/// <c>web[01:10]</c> (zero padded when the start has a leading 0), <c>web[1:10:2]</c> (step),
/// <c>db-[a:c]</c> (letters), several ranges in one name, and an optional <c>:port</c> suffix.
/// </summary>
public static class HostRange
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static readonly Regex HostPort = new(@"^((?:[^:\[\]]|\[[^\]]*\])+):(\d+)$", RegexOptions.Compiled);
    private static readonly Regex Ipv6Port = new(@"^\[([0-9A-Fa-f:.]+(?:%\w+)?)\]:(\d+)$", RegexOptions.Compiled);

    /// <summary>Splits <c>name:port</c> / <c>[ipv6]:port</c>; port is null when absent (a bare IPv6 address has no port).</summary>
    public static (string Pattern, long? Port) SplitPort(string hostPattern)
    {
        var m = Ipv6Port.Match(hostPattern);
        if (m.Success) return (m.Groups[1].Value, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        m = HostPort.Match(hostPattern);
        if (m.Success) return (m.Groups[1].Value, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return (hostPattern, null);
    }

    /// <summary>
    /// Expands every <c>[begin:end(:step)]</c> range of <paramref name="pattern"/> (left to right), returning the names in order.
    /// A pattern without '[' is returned as is. Errors (RunnerException, exit 4) as Ansible words them.
    /// </summary>
    public static List<string> Expand(string pattern, SourceLocation? where = null)
    {
        var result = new List<string>();
        if (!pattern.Contains('[')) { result.Add(pattern); return result; }
        var open = pattern.IndexOf('[');
        var close = pattern.IndexOf(']');
        if (close < 0) throw Error("host range must be begin:end or begin:end:step", where);
        // Ansible replaces the first '[' and the first ']' with '|' and splits; a ']' before '[' breaks that too.
        if (close < open) throw Error("host range must be begin:end or begin:end:step", where);
        var head = pattern[..open];
        var range = pattern[(open + 1)..close];
        var tail = pattern[(close + 1)..];
        var bounds = range.Split(':');
        if (bounds.Length is not (2 or 3)) throw Error("host range must be begin:end or begin:end:step", where);
        var beg = bounds[0].Length == 0 ? "0" : bounds[0];
        var end = bounds[1];
        var stepText = bounds.Length == 3 ? bounds[2] : "1";
        if (end.Length == 0) throw Error("host range must specify end value", where);
        if (!int.TryParse(stepText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var step) || step == 0)
            throw Error($"invalid host range step '{stepText}'", where);
        Func<string, string> fill = s => s;
        if (beg[0] == '0' && beg.Length > 1)
        {
            if (beg.Length != end.Length) throw Error("host range must specify equal-length begin and end formats", where);
            var width = beg.Length;
            fill = s => s.PadLeft(width, '0');
        }
        var seq = new List<string>();
        var iBeg = Letters.IndexOf(beg, StringComparison.Ordinal);
        var iEnd = Letters.IndexOf(end, StringComparison.Ordinal);
        if (iBeg >= 0 && iEnd >= 0)
        {
            if (iBeg > iEnd) throw Error("host range must have begin <= end", where);
            if (step < 0) throw Error($"invalid host range step '{stepText}'", where);
            for (var i = iBeg; i <= iEnd; i += step) seq.Add(Letters[i].ToString());
        }
        else
        {
            if (!long.TryParse(beg, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b) ||
                !long.TryParse(end, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e))
                throw Error($"invalid host range '[{range}]': begin and end must be both numbers or both letters", where);
            if (step > 0) for (var i = b; i <= e; i += step) seq.Add(i.ToString(CultureInfo.InvariantCulture));
            else for (var i = b; i > e + 1; i += step) seq.Add(i.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var s in seq)
        {
            var name = head + fill(s) + tail;
            if (name.Contains('[')) result.AddRange(Expand(name, where));
            else result.Add(name);
        }
        return result;
    }

    private static RunnerException Error(string msg, SourceLocation? where) =>
        new(msg, where, exitCode: ExitCodes.ParserError);
}

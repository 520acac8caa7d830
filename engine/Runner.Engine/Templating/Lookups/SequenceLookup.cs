using System.Globalization;
using System.Text.RegularExpressions;
using Runner.Engine.Playbooks;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// sequence (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/sequence_lookup.html): numbers as
/// strings from "start=1 end=5 stride=2 format=%02d" (count= instead of end: end = start + count*stride - 1) or the
/// shortcut "[start-]end[/stride][:format]"; numbers are Python int(x, 0) (0x.., 0o..). Errors as Ansible's:
/// "to count backwards make stride negative", "must specify count or end in with_sequence", "bad formatting string: F".
/// </summary>
internal sealed class SequenceLookup : LookupPlugin
{
    private static readonly Regex Shortcut = new(
        @"^((0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(/(0?x?[0-9a-f]+))?(:(.+))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public override IReadOnlyList<string> Names { get; } = new[] { "sequence" };

    public override List<object?> Run(List<object?> terms, LookupCall call) =>
        terms.SelectMany(t => Generate(PyOps.Str(t))).Cast<object?>().ToList();

    public static List<string> Generate(string term)
    {
        long start = 1, stride = 1;
        long? end = null, count = null;
        var format = "%d";
        var m = Shortcut.Match(term);
        if (m.Success)
        {
            if (m.Groups[2].Success) start = Int("start", m.Groups[2].Value);
            end = Int("end", m.Groups[3].Value);
            if (m.Groups[5].Success) stride = Int("stride", m.Groups[5].Value);
            if (m.Groups[7].Success) format = m.Groups[7].Value;
        }
        else
        {
            var kv = KeyValueParser.Parse(term, true);
            foreach (var (k, v) in kv)
            {
                var s = PyOps.Str(v);
                switch (k)
                {
                    case "start": start = Int(k, s); break;
                    case "end": end = Int(k, s); break;
                    case "count": count = Int(k, s); break;
                    case "stride": stride = Int(k, s); break;
                    case "format": format = s; break;
                    default: throw new TemplateError($"unrecognized arguments to with_sequence: ['{k}']");
                }
            }
        }
        if (count is null && end is null) throw new TemplateError("must specify count or end in with_sequence");
        if (count is not null && end is not null) throw new TemplateError("can't specify both count and end in with_sequence");
        if (count is not null)
        {
            if (count != 0) end = start + count * stride - 1;
            else { start = 0; end = 0; stride = 0; }
        }
        if (stride > 0 && end < start) throw new TemplateError("to count backwards make stride negative");
        if (stride < 0 && end > start) throw new TemplateError("to count forward don't make stride negative");
        if (format.Count(c => c == '%') != 1) throw new TemplateError($"bad formatting string: {format}");
        var items = new List<string>();
        if (stride == 0) return items;
        var stop = end!.Value + (stride >= 0 ? 1 : -1);
        for (var i = start; stride > 0 ? i < stop : i > stop; i += stride) items.Add(Printf(format, i));
        return items;
    }

    /// <summary>Python int(s, 0): decimal, 0x hex, 0o octal, 0b binary.</summary>
    private static long Int(string name, string s)
    {
        var t = s.Trim().ToLowerInvariant();
        var neg = t.StartsWith('-');
        if (neg) t = t[1..];
        try
        {
            var v = t.StartsWith("0x") ? Convert.ToInt64(t[2..], 16) : t.StartsWith("0o") ? Convert.ToInt64(t[2..], 8)
                : t.StartsWith("0b") ? Convert.ToInt64(t[2..], 2)
                : t.Length > 1 && t.StartsWith('0') ? throw new FormatException()
                : long.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture);
            return neg ? -v : v;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new TemplateError($"can't parse {name}={s} as integer");
        }
    }

    /// <summary>Python's "FORMAT" % i for one %d/%i/%x/%X/%o/%s with flags and width.</summary>
    private static string Printf(string format, long value) =>
        Regex.Replace(format, @"%([-0 +#]*)(\d*)([diuxXos])", m =>
        {
            var flags = m.Groups[1].Value;
            var text = m.Groups[3].Value switch
            {
                "x" => Math.Abs(value).ToString("x"),
                "X" => Math.Abs(value).ToString("X"),
                "o" => Convert.ToString(Math.Abs(value), 8),
                _ => Math.Abs(value).ToString(CultureInfo.InvariantCulture),
            };
            if (value < 0) text = "-" + text;
            else if (flags.Contains('+')) text = "+" + text;
            var width = m.Groups[2].Value.Length > 0 ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            if (flags.Contains('-')) return text.PadRight(width);
            if (flags.Contains('0') && text.Length < width)
                return text[0] is '-' or '+' ? text[0] + text[1..].PadLeft(width - 1, '0') : text.PadLeft(width, '0');
            return text.PadLeft(width);
        });
}

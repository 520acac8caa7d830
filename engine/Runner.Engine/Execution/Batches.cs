using System.Globalization;
using Runner.Engine.Values;

namespace Runner.Engine.Execution;

/// <summary>Splits a play's hosts into serial batches (docs: "Controlling playbook execution", serial: N, "30%", or a list).</summary>
public static class Batches
{
    /// <summary>The batches in order; one batch with every host when serial is not set.</summary>
    public static List<List<string>> Split(List<string> hosts, object? serial)
    {
        if (serial is null || hosts.Count == 0) return new List<List<string>> { hosts };
        var sizes = (serial is List<object?> l ? l : new List<object?> { serial }).Select(s => Size(s, hosts.Count)).ToList();
        var result = new List<List<string>>();
        var i = 0;
        var k = 0;
        while (i < hosts.Count)
        {
            var size = Math.Max(1, sizes[Math.Min(k, sizes.Count - 1)]);
            result.Add(hosts.Skip(i).Take(size).ToList());
            i += size;
            k++;
        }
        return result;
    }

    private static int Size(object? s, int total)
    {
        var text = PyStr.Str(s).Trim();
        if (text.EndsWith('%'))
        {
            var pct = double.Parse(text[..^1], CultureInfo.InvariantCulture);
            return Math.Max(1, (int)(total * pct / 100.0));
        }
        var n = int.Parse(text, CultureInfo.InvariantCulture);
        return n <= 0 ? total : n;
    }
}

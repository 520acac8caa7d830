using System.Globalization;

namespace Runner.Engine.Facts;

/// <summary>ansible-core's bytes_to_human (lib/ansible/module_utils/common/text/formatters.py): "%.2f UNIT".</summary>
internal static class BytesToHuman
{
    private static readonly (string Suffix, double Limit)[] Ranges =
    {
        ("Y", Math.Pow(2, 80)), ("Z", Math.Pow(2, 70)), ("E", Math.Pow(2, 60)), ("P", Math.Pow(2, 50)), ("T", Math.Pow(2, 40)),
        ("G", Math.Pow(2, 30)), ("M", Math.Pow(2, 20)), ("K", 1024), ("B", 1),
    };

    public static string Format(double size)
    {
        var (suffix, limit) = Ranges.FirstOrDefault(r => size >= r.Limit);
        if (suffix is null) (suffix, limit) = Ranges[^1];
        var unit = limit != 1 ? suffix + "B" : "Bytes";
        return (size / limit).ToString("F2", CultureInfo.InvariantCulture) + " " + unit;
    }
}

using System.Text.RegularExpressions;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Ansible's `version` (alias `version_compare`) test, as ansible-core 2.14's plugins/test/core.py version_compare:
/// operators ==, =, eq, &lt;, lt, &lt;=, le, &gt;, gt, &gt;=, ge, !=, &lt;&gt;, ne; versions compared as LooseVersion (default),
/// StrictVersion (strict=true or version_type strict) or SemanticVersion (version_type semver/semantic), the classes of
/// ansible.module_utils.compat.version and ansible.utils.version. Errors are AnsibleFilterError with Ansible's texts
/// ("Invalid operator type (X). Must be one of ...", "Version comparison failed: ...").
/// </summary>
internal static class VersionTest
{
    private static readonly string[] Operators = { "==", "=", "eq", "<", "lt", "<=", "le", ">", "gt", ">=", "ge", "!=", "<>", "ne" };
    private static readonly string[] Types = { "loose", "strict", "semver", "semantic", "pep440" };

    /// <summary>Whether <paramref name="value"/> OP <paramref name="version"/> holds.</summary>
    /// <exception cref="TemplateError">A bad operator or type, an empty version, or versions that do not compare.</exception>
    public static bool Compare(object? value, object? version, object? op, object? strict, object? versionType)
    {
        if (strict is not null && versionType is not null) throw Error("Cannot specify both 'strict' and 'version_type'");
        if (!PyOps.Truthy(value)) throw Error("Input version value cannot be empty");
        if (!PyOps.Truthy(version)) throw Error("Version parameter to compare against cannot be empty");
        var type = PyOps.Truthy(strict) ? "strict" : versionType is null ? "loose" : PyOps.Str(versionType);
        if (!Types.Contains(type)) throw Error($"Invalid version type ({type}). Must be one of {string.Join(", ", Types.Select(t => $"'{t}'"))}");
        var o = op is null ? "eq" : PyOps.Str(op);
        if (!Operators.Contains(o)) throw Error($"Invalid operator type ({o}). Must be one of {string.Join(", ", Operators.Select(t => $"'{t}'"))}");
        if (type == "pep440") throw Error("Version comparison failed: Runner does not implement version_type pep440");
        int c;
        try
        {
            var (a, b) = (PyOps.Str(value), PyOps.Str(version));
            c = type switch { "strict" => Strict(a, b), "loose" => Loose(a, b, o), _ => Semantic(a, b) };
        }
        catch (FormatException e) { throw Error("Version comparison failed: " + e.Message); }
        return o switch
        {
            "<" or "lt" => c < 0, "<=" or "le" => c <= 0, ">" or "gt" => c > 0, ">=" or "ge" => c >= 0,
            "!=" or "<>" or "ne" => c != 0, _ => c == 0,
        };
    }

    private static TemplateError Error(string message) => new(message) { AnsibleClass = "ansible.errors.AnsibleFilterError" };

    /// <summary>LooseVersion: numbers and letter runs (anything but dots kept); Python list order, where an int met by a
    /// str at the first difference raises TypeError.</summary>
    private static int Loose(string a, string b, string op)
    {
        static List<object> Parts(string s) => Regex.Split(s, @"(\d+|[a-z]+|\.)")
            .Where(p => p.Length > 0 && p != ".").Select(p => long.TryParse(p, out var n) && p.All(char.IsAsciiDigit) ? (object)n : p).ToList();
        var (x, y) = (Parts(a), Parts(b));
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            if (Equals(x[i], y[i])) continue;
            return (x[i], y[i]) switch
            {
                (long l, long r) => l.CompareTo(r),
                (string l, string r) => Math.Sign(string.CompareOrdinal(l, r)),
                // __eq__ and __ne__ compare with < too (LooseVersion._cmp)
                _ => throw new FormatException($"'{PyOp(op)}' not supported between instances of '{Kind(x[i])}' and '{Kind(y[i])}'"),
            };
        }
        return x.Count.CompareTo(y.Count);
    }

    private static string PyOp(string op) => op switch { "<=" or "le" => "<=", ">" or "gt" => ">", ">=" or "ge" => ">=", _ => "<" };

    private static string Kind(object o) => o is long ? "int" : "str";

    private static readonly Regex StrictRe = new(@"^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$");

    /// <summary>StrictVersion: N.N[.N][{a|b}N]; a missing patch is 0; a pre-release sorts before its release.</summary>
    private static int Strict(string a, string b)
    {
        static (long[] Version, (char, long)? Pre) Parse(string s)
        {
            var m = StrictRe.Match(s);
            if (!m.Success) throw new FormatException($"invalid version number '{s}'");
            var v = new[] { long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), m.Groups[4].Success ? long.Parse(m.Groups[4].Value) : 0 };
            return (v, m.Groups[5].Success ? (m.Groups[5].Value[0], long.Parse(m.Groups[6].Value)) : null);
        }
        var (x, y) = (Parse(a), Parse(b));
        for (var i = 0; i < 3; i++)
            if (x.Version[i] != y.Version[i]) return x.Version[i].CompareTo(y.Version[i]);
        return (x.Pre, y.Pre) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            var (l, r) => l.Value.Item1 != r.Value.Item1 ? l.Value.Item1.CompareTo(r.Value.Item1) : l.Value.Item2.CompareTo(r.Value.Item2),
        };
    }

    private static readonly Regex SemverRe = new(
        @"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)" +
        @"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?" +
        @"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$");

    /// <summary>SemanticVersion (semver.org 2.0.0): major.minor.patch, a pre-release sorts before its release and compares
    /// by identifiers (numbers below words), build metadata is ignored.</summary>
    private static int Semantic(string a, string b)
    {
        static (long[] Core, string[] Pre) Parse(string s)
        {
            var m = SemverRe.Match(s);
            if (!m.Success) throw new FormatException($"invalid semantic version '{s}'");
            return (new[] { long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value) },
                m.Groups[4].Success ? m.Groups[4].Value.Split('.') : Array.Empty<string>());
        }
        var (x, y) = (Parse(a), Parse(b));
        for (var i = 0; i < 3; i++)
            if (x.Core[i] != y.Core[i]) return x.Core[i].CompareTo(y.Core[i]);
        if (x.Pre.Length == 0 || y.Pre.Length == 0) return x.Pre.Length == y.Pre.Length ? 0 : x.Pre.Length == 0 ? 1 : -1;
        for (var i = 0; i < Math.Min(x.Pre.Length, y.Pre.Length); i++)
        {
            var (l, r) = (x.Pre[i], y.Pre[i]);
            if (l == r) continue;
            var (ln, rn) = (l.All(char.IsAsciiDigit), r.All(char.IsAsciiDigit));
            if (ln && rn) return long.Parse(l).CompareTo(long.Parse(r));
            if (ln != rn) return ln ? -1 : 1;
            return Math.Sign(string.CompareOrdinal(l, r));
        }
        return x.Pre.Length.CompareTo(y.Pre.Length);
    }
}

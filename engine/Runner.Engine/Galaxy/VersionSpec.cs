namespace Runner.Engine.Galaxy;

/// <summary>
/// Collection version requirements as ansible-galaxy 2.14 compares them (lib/ansible/galaxy/dependency_resolution/
/// versioning.py meets_requirements): "*" matches anything; otherwise comma-separated clauses "OP VERSION" with OP
/// one of ==, !=, &gt;=, &gt;, &lt;=, &lt; (none, or "=", is ==), every clause must hold. Versions compare by their
/// dot-separated numeric parts (a part that is not a number compares as text).
/// </summary>
public static class VersionSpec
{
    /// <summary>True when <paramref name="version"/> satisfies <paramref name="requirement"/>.</summary>
    public static bool Meets(string version, string requirement)
    {
        if (requirement == "*") return true;
        foreach (var raw in requirement.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var op = new[] { "==", "!=", ">=", "<=", ">", "<", "=" }.FirstOrDefault(o => raw.StartsWith(o, StringComparison.Ordinal)) ?? "==";
            var want = raw.StartsWith(op, StringComparison.Ordinal) ? raw[op.Length..].Trim() : raw;
            if (want == "*") continue;
            var c = Compare(version, want);
            var ok = op switch { "!=" => c != 0, ">=" => c >= 0, "<=" => c <= 0, ">" => c > 0, "<" => c < 0, _ => c == 0 };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>An exact version pin ("1.2.3" or "==1.2.3"), or null for a range or "*".</summary>
    public static string? Pinned(string requirement)
    {
        var r = requirement.Trim();
        if (r.StartsWith("==")) r = r[2..].Trim();
        return r.Length > 0 && char.IsDigit(r[0]) && !r.Contains(',') ? r : null;
    }

    /// <summary>Orders two versions by their dot-separated parts.</summary>
    public static int Compare(string a, string b)
    {
        var pa = a.Split('.', '-', '+');
        var pb = b.Split('.', '-', '+');
        for (var i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            var x = i < pa.Length ? pa[i] : "0";
            var y = i < pb.Length ? pb[i] : "0";
            var c = long.TryParse(x, out var nx) && long.TryParse(y, out var ny) ? nx.CompareTo(ny) : string.CompareOrdinal(x, y);
            if (c != 0) return c;
        }
        return 0;
    }
}

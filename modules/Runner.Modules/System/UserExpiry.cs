using System.Globalization;

namespace Runner.Modules.Sys;

/// <summary>
/// The user module's account expiry and password ageing on Linux, as ansible.builtin.user 2.14 handles them
/// (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/user_module.html, options expires,
/// password_expire_max, password_expire_min). expires is seconds since the epoch: a negative value (floored) removes
/// the expiry (useradd/usermod -e ''), any other becomes its UTC date (-e YYYY-MM-DD); an existing account is only
/// changed when shadow's expiry day (days since the epoch, -1 when unset) is unset or falls on another UTC date,
/// and a negative value only changes an account that has an expiry. The ageing bounds are set with chage -m/-M when
/// they differ from shadow's (an empty shadow field counts as -1).
/// </summary>
public static class UserExpiry
{
    /// <summary>The epoch second <paramref name="expires"/> names, floored as Python's time.gmtime does; null when out of range.</summary>
    private static DateTimeOffset? Instant(double expires)
    {
        var s = Math.Floor(expires);
        if (double.IsNaN(s) || s < -62135596800d || s > 253402300799d) return null;
        return DateTimeOffset.FromUnixTimeSeconds((long)s);
    }

    /// <summary>
    /// The failure message for an expires value the module cannot turn into a date, or null when it can
    /// (Ansible's "Invalid value for 'expires' None: ..." from time.gmtime).
    /// </summary>
    public static string? Invalid(double expires) =>
        Instant(expires) is null ? "Invalid value for 'expires' None: timestamp out of range for platform time_t" : null;

    /// <summary>The value of useradd's -e for a new account: "" for a negative expires, otherwise the UTC date.</summary>
    public static string ForCreate(double expires) => Math.Floor(expires) < 0 ? "" : Date(expires);

    /// <summary>
    /// The value of usermod's -e that makes an account whose shadow expiry is <paramref name="currentDays"/> (days since
    /// the epoch, negative when unset) match <paramref name="expires"/>, or null when it already does.
    /// </summary>
    public static string? ForModify(double expires, long currentDays)
    {
        if (Math.Floor(expires) < 0) return currentDays >= 0 ? "" : null;
        if (currentDays < 0) return Date(expires);
        var current = DateTimeOffset.UnixEpoch.AddDays(currentDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var wanted = Date(expires);
        return current == wanted ? null : wanted;
    }

    /// <summary>
    /// chage's options that set the password ageing bounds the task gives (-m min, -M max) where they differ from the
    /// account's (<paramref name="min"/>, <paramref name="max"/>: shadow's fields, -1 when empty); empty when none differ.
    /// </summary>
    public static List<string> ChageWords(long? wantMin, long? wantMax, long min, long max)
    {
        var w = new List<string>();
        if (wantMin is { } m && m != min) { w.Add("-m"); w.Add(m.ToString(CultureInfo.InvariantCulture)); }
        if (wantMax is { } x && x != max) { w.Add("-M"); w.Add(x.ToString(CultureInfo.InvariantCulture)); }
        return w;
    }

    private static string Date(double expires) => Instant(expires)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

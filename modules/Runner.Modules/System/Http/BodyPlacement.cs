using Runner.Engine.Connections;
using Runner.Engine.Modules;

namespace Runner.Modules.Sys.Http;

/// <summary>
/// The steps that put a downloaded body at its destination, or drop it: on the curl path the body file beside dest is
/// renamed over it (Ansible's atomic_move: an existing file's mode and owner carried over, a new file 0666 minus the
/// umask); on the controller path the bytes are written with the connection's atomic write (the same rules).
/// </summary>
internal static class BodyPlacement
{
    /// <summary>
    /// The step placing <paramref name="info"/>'s body at <paramref name="dest"/>. With <paramref name="unlessSame"/> an
    /// identical dest is left untouched (the curl script compares, the controller path compares with
    /// <paramref name="destSha1"/>): then the step may be null.
    /// </summary>
    public static Step? Place(HttpInfo info, string dest, bool unlessSame, string? destSha1)
    {
        if (info.BodyFile is { } tmp)
        {
            var qt = ShellQuote.Quote(tmp);
            var qd = ShellQuote.Quote(dest);
            var move = $"if [ -e {qd} ]; then chmod --reference={qd} {qt} 2>/dev/null; chown --reference={qd} {qt} 2>/dev/null; " +
                       $"else chmod \"$(printf '%o' $((0666 & ~$(umask))))\" {qt}; fi; mv -f -- {qt} {qd}";
            var script = unlessSame ? $"if cmp -s -- {qt} {qd}; then rm -f -- {qt}; else {move}; fi" : move;
            return new RunStep(script) { Creates = new Planned.File(dest), FailMessage = $"failed to copy {tmp} to {dest}: {{stderr}}" };
        }
        var body = info.Body ?? Array.Empty<byte>();
        if (unlessSame && destSha1 is not null && Common.Hashes.Sha1(body) == destSha1) return null;
        return new PutFileStep(dest, body) { Creates = new Planned.File(dest) };
    }

    /// <summary>The step removing the body file on the target (curl path), or null when there is none.</summary>
    public static Step? Discard(HttpInfo info) =>
        info.BodyFile is { } tmp ? new RunStep(Argv.Of("rm", "-f", "--", tmp)) { CountsAsChange = false } : null;
}

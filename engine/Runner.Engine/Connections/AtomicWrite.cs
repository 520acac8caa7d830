using System.Security.Cryptography;

namespace Runner.Engine.Connections;

/// <summary>
/// The one way Runner writes a file on a target (every connection, every path: the persistent shell, an exec
/// channel, local): a POSIX sh script that reads the new content on stdin into a temp file in the destination's
/// folder, checks that every byte arrived (its sha256 computed on the target), fsyncs it, gives it the old
/// file's mode and owner (else 0644 minus the umask), and only then renames it onto the destination.
/// On any failure the temp file is removed and the destination is untouched: the destination is always the old
/// file or the new one, never a part (Ansible's atomic_move, module_utils/basic.py, gives the same guarantee).
/// A truncated stdin (a dropped connection, a killed controller: dash still runs a command whose here-document was
/// cut) fails the size or checksum check, so nothing is renamed.
/// The temp file's random name is made on the controller and created by the shell with O_EXCL (noclobber) and mode
/// 0600, as mktemp would, without its process start-up; the script starts as few processes as it can (each costs a
/// fork and exec on the target: cat, sha256sum, sync, chmod, chown, mv, rm).
/// Temp files of writes that never finished (the shell itself was killed) are listed in a journal in the writing
/// user's home (<c>~/.runner-inflight.PID.SUFFIX</c>, one line: the temp path, removed when the write ends, so a
/// finished run leaves nothing); <see cref="CleanupScript"/> removes those whose writer process is gone, and the
/// entries of older Runner versions (<c>~/.runner/inflight/PID.SUFFIX</c>).
/// Connections run it when they open and once per become user, before that user's first write.
/// Exit codes of the script: 0 written, 3 the folder is missing, 4 no temp file could be created there,
/// 5 the content could not be written (disk full, quota, read-only), 6 the content arrived incomplete,
/// 7 fsync, mode or rename failed. <see cref="Check"/> turns them into exceptions.
/// </summary>
public static class AtomicWrite
{
    /// <summary>The prefix of temp file names (in the destination's folder).</summary>
    public const string TempPrefix = ".runner-tmp.";

    /// <summary>The prefix of journal entries in the writing user's home (then the writer's PID and the temp suffix).</summary>
    public const string JournalPrefix = ".runner-inflight.";

    /// <summary>
    /// sh that removes the temp files of this user's writes whose writer process no longer runs, and their journal
    /// entries. Prints nothing; always succeeds.
    /// </summary>
    public const string CleanupScript =
        "for e in \"${HOME:-/nonexistent}/\"" + JournalPrefix + "* \"${HOME:-/nonexistent}/.runner/inflight/\"*; do [ -f \"$e\" ] || continue; " +
        "p=${e##*/}; p=${p#" + JournalPrefix + "}; p=${p%%.*}; " +
        "kill -0 \"$p\" 2>/dev/null && continue; t=$(cat -- \"$e\" 2>/dev/null); " +
        "case $t in */" + TempPrefix + "*) rm -f -- \"$t\";; esac; rm -f -- \"$e\"; done 2>/dev/null; " +
        "rmdir -- \"${HOME:-/nonexistent}/.runner/inflight\" \"${HOME:-/nonexistent}/.runner\" 2>/dev/null; :";

    /// <summary>
    /// The script that writes <paramref name="content"/> (given to it on stdin) to <paramref name="path"/>.
    /// With <paramref name="cleanupFirst"/>, <see cref="CleanupScript"/> runs first.
    /// </summary>
    public static string Script(string path, byte[] content, bool cleanupFirst)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var q = ShellQuote.Quote(path);
        var d = ShellQuote.Quote(DirName(path));
        var suffix = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 10);
        return
            (cleanupFirst ? CleanupScript + "\n" : "") +
            $"f={q}; d={d}; n={content.Length}; h={sha}; t=; e=; u=$(umask)\n" +
            // Clean up before anything else: a closed channel may kill us on the first write to stderr. Then read the
            // rest of stdin, so the sender is never cut off mid-stream (SSH servers drop a connection that sends data
            // to a closed channel).
            "fail() { rm -f -- ${t:+\"$t\"} ${e:+\"$e\"}; cat > /dev/null 2>&1; [ -z \"$2\" ] || echo \"$2\" >&2; exit \"$1\"; }\n" +
            "[ -d \"$d\" ] || fail 3 \"Destination directory $d does not exist\"\n" +
            // noclobber: the shell creates the temp file with O_EXCL (never an existing file or a symlink), mode 0600.
            $"umask 077; set -C; true > \"$d/{TempPrefix}{suffix}\" || fail 4; t=\"$d/{TempPrefix}{suffix}\"; set +C\n" +
            $"e=\"${{HOME:-/nonexistent}}/{JournalPrefix}$$.{suffix}\"; {{ printf '%s\\n' \"$t\" > \"$e\"; }} 2>/dev/null || e=\n" +
            "cat > \"$t\" || fail 5\n" +
            // One checksum covers both a cut stream and changed bytes (no separate size check: one process less a write).
            "set -- $(sha256sum < \"$t\"); [ \"$1\" = \"$h\" ] || fail 6 \"the content arrived incomplete or corrupted (sha256 of $n bytes does not match)\"\n" +
            "sync -- \"$t\" 2>/dev/null || sync || fail 7\n" +
            "if [ -e \"$f\" ]; then chmod --reference=\"$f\" -- \"$t\" 2>/dev/null; chown --reference=\"$f\" -- \"$t\" 2>/dev/null; " +
            "else chmod \"$(printf %o $(( 0644 & ~0$u )))\" -- \"$t\" || fail 7; fi\n" +
            "mv -f -- \"$t\" \"$f\" || fail 7\n" +
            "[ -z \"$e\" ] || rm -f -- \"$e\"; exit 0\n";
    }

    /// <summary>
    /// Turns the script's result into the outcome: returns on success, else throws
    /// <see cref="DirectoryNotFoundException"/> (exit 3), <see cref="UnauthorizedAccessException"/> (exit 4 with
    /// "Permission denied") or <see cref="IOException"/> with one line naming the path and the target's reason.
    /// </summary>
    public static void Check(CommandResult r, string path, string user)
    {
        var why = OneLine(r.Stderr);
        switch (r.ExitCode)
        {
            case 0: return;
            case 3: throw new DirectoryNotFoundException($"Destination directory {DirName(path)} does not exist");
            case 4 when why.Contains("Permission denied"):
                throw new UnauthorizedAccessException($"Permission denied writing to {DirName(path)} as {user}");
            default: throw new IOException($"Could not write {path}: {(why.Length > 0 ? why : $"exit code {r.ExitCode}")}; the old file is untouched");
        }
    }

    /// <summary>Which users' stale temp files a connection has already cleaned up (<see cref="CleanupScript"/> runs
    /// once per user per connection). Thread-safe.</summary>
    public sealed class CleanupOnce
    {
        private readonly HashSet<string> _done = new(StringComparer.Ordinal);

        /// <summary>True the first time for <paramref name="user"/> (the caller then runs the cleanup).</summary>
        public bool First(string user) { lock (_done) return _done.Add(user); }
    }

    /// <summary>The folder part of a target path ("." for a bare name, "/" for a top-level one).</summary>
    public static string DirName(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? "." : i == 0 ? "/" : path[..i];
    }

    private static string OneLine(string s) =>
        string.Join("; ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

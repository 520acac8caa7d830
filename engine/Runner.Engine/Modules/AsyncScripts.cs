using System.Text;
using Runner.Engine.Connections;

namespace Runner.Engine.Modules;

/// <summary>
/// The sh that runs an async job on a target without Python, in the layout of Ansible's async_wrapper
/// (lib/ansible/modules/async_wrapper.py) and async_status (modules/async_status.py):
/// <list type="bullet">
/// <item><c>~/.ansible_async/JID</c> (the remote user's home, or the become user's; the variable ansible_async_dir
/// names another folder) is the job file, always replaced
/// whole (a temp file, then mv): <c>{"started": 1, "finished": 0, "ansible_job_id": "JID"}</c> while the job runs;
/// when the commands have ended, Runner's raw record
/// <c>{"ansible_job_id": "JID", "runner_steps": [{"rc": N, "start": NS, "end": NS, "stdout": "BASE64", "stderr": "BASE64"}, ...]}</c>
/// (times in nanoseconds since the epoch, output base64 so that sh writes valid JSON), which the first status read
/// turns into the module's result (<see cref="AsyncJobs"/>); after a timeout, async_wrapper's
/// <c>{"msg": "Timeout exceeded", "failed": true, "child_pid": PID}</c>.</item>
/// <item><c>~/.ansible_async/.JID.runner/</c> holds the commands (<c>sN</c>), their stdin (<c>iN</c>) and output while the
/// job runs; it is removed when the job ends.</item>
/// </list>
/// The JID is async_wrapper's: <c>j</c>, a random number below 10^12, a dot and the launching shell's pid. A watcher in its
/// own session (setsid) starts the job in another session and, as async_wrapper's supervisor, checks every 5 seconds after
/// a first 5: once the time limit is used up it writes the timeout record and kills the job's process group (SIGKILL),
/// even when the job ended during the last 5 seconds (as async_wrapper, which does not look again).
/// Commands run in order with sh, stdin from their file or /dev/null; a command whose exit code fails it
/// (<see cref="PlanRunner.Fails"/>) ends the job. The job does not carry the run's mark (<see cref="RunMark"/>): an
/// interrupted run leaves it running, as ansible-playbook does.
/// </summary>
public static class AsyncScripts
{
    /// <summary>Ansible's default async_dir (the sh shell plugin's option, set with the variable ansible_async_dir).</summary>
    public const string DefaultDir = "~/.ansible_async";

    /// <summary>The folder as an sh word: quoted, a leading "~/" left for the target's sh to expand.</summary>
    public static string DirWord(string dir) =>
        dir == "~" ? "~" : dir.StartsWith("~/", StringComparison.Ordinal) ? "~/" + ShellQuote.Quote(dir[2..]) : ShellQuote.Quote(dir);

    /// <summary>
    /// sh that starts <paramref name="steps"/> as a job limited to <paramref name="limit"/> seconds and prints
    /// "JID RESULTS_FILE" on one line; exits 1 with a message on stderr when the folder cannot be made.
    /// </summary>
    public static string Launch(string dir, IReadOnlyList<RunStep> steps, long limit)
    {
        var sb = new StringBuilder();
        sb.Append($"d={DirWord(dir)}\n");
        sb.Append("mkdir -p \"$d\" || { echo \"could not create directory: $d\" >&2; exit 1; }\n");
        sb.Append($"jid=j{Random.Shared.NextInt64(0, 1_000_000_000_000)}.$$\n");
        sb.Append("w=\"$d/.$jid.runner\"\n");
        sb.Append("mkdir -m 700 \"$w\" || exit 1\n");
        sb.Append("printf '{\"started\": 1, \"finished\": 0, \"ansible_job_id\": \"%s\"}' \"$jid\" > \"$d/$jid.tmp\" && mv -f \"$d/$jid.tmp\" \"$d/$jid\" || exit 1\n");
        for (var i = 0; i < steps.Count; i++)
        {
            sb.Append(Put(Encoding.UTF8.GetBytes(steps[i].Script), $"s{i + 1}"));
            if (steps[i].Stdin is { } input) sb.Append(Put(input, $"i{i + 1}"));
        }
        sb.Append(Put(Encoding.UTF8.GetBytes(Job(steps)), "job"));
        sb.Append(Put(Encoding.UTF8.GetBytes(Watcher), "watch"));
        sb.Append($"unset {RunMark.Variable}\n");
        sb.Append($"setsid sh \"$w/watch\" \"$d\" \"$jid\" {limit} </dev/null >/dev/null 2>&1 &\n");
        sb.Append("printf '%s %s\\n' \"$jid\" \"$d/$jid\"\n");
        return sb.ToString();
    }

    /// <summary>sh that prints the expanded job folder on the first line, then "present" and the job file, or "missing".</summary>
    public static string Status(string dir, string jid) =>
        $"d={DirWord(dir)}; f=\"$d\"/{ShellQuote.Quote(jid)}; printf '%s\\n' \"$d\"; if [ -f \"$f\" ]; then echo present; cat \"$f\"; else echo missing; fi";

    /// <summary>sh that prints the expanded job folder, then removes the job file and its work folder ("present") or prints "missing".</summary>
    public static string Cleanup(string dir, string jid) =>
        $"d={DirWord(dir)}; f=\"$d\"/{ShellQuote.Quote(jid)}; printf '%s\\n' \"$d\"; if [ -f \"$f\" ]; then rm -f \"$f\"; rm -rf \"$d\"/.{ShellQuote.Quote(jid)}.runner; echo present; else echo missing; fi";

    private static string Put(byte[] content, string name) => $"printf %s {Convert.ToBase64String(content)} | base64 -d > \"$w/{name}\" || exit 1\n";

    /// <summary>The job: $1 the folder, $2 the JID; runs the commands, writes the raw record, removes the work folder.</summary>
    private static string Job(IReadOnlyList<RunStep> steps)
    {
        var calls = string.Join(" && ", steps.Select((s, i) =>
            $"step {i + 1} {ShellQuote.Quote(s.AnyExitCode ? "any" : string.Join(' ', s.OkExitCodes))}"));
        return """
            d=$1; jid=$2; w="$d/.$jid.runner"; steps=
            step() {
              in=/dev/null; [ -f "$w/i$1" ] && in="$w/i$1"
              s=$(date +%s%N)
              sh "$w/s$1" < "$in" > "$w/o$1" 2> "$w/e$1"
              rc=$?
              e=$(date +%s%N)
              steps="$steps${steps:+, }{\"rc\": $rc, \"start\": $s, \"end\": $e, \"stdout\": \"$(base64 -w0 < "$w/o$1")\", \"stderr\": \"$(base64 -w0 < "$w/e$1")\"}"
              [ "$rc" -eq 0 ] && return 0
              case " $2 " in *" any "*|*" $rc "*) return 0;; esac
              return 1
            }

            """ + (calls.Length > 0 ? calls : ":") + """

            printf '{"ansible_job_id": "%s", "runner_steps": [%s]}' "$jid" "$steps" > "$d/$jid.tmp" && mv -f "$d/$jid.tmp" "$d/$jid"
            rm -rf "$w"

            """;
    }

    /// <summary>The supervisor: $1 the folder, $2 the JID, $3 the limit in seconds (async_wrapper's 5-second steps).</summary>
    private const string Watcher = """
        d=$1; jid=$2; w="$d/.$jid.runner"
        setsid sh "$w/job" "$d" "$jid" </dev/null >/dev/null 2>&1 &
        pid=$!
        sleep 5
        left=$3
        while [ -d "$w" ]; do
          sleep 5
          left=$((left - 5))
          if [ "$left" -le 0 ]; then
            printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %s}' "$pid" > "$d/$jid.tmp" && mv -f "$d/$jid.tmp" "$d/$jid"
            kill -KILL -- "-$pid" 2>/dev/null
            sleep 1
            rm -rf "$w"
            exit 0
          fi
        done
        wait "$pid" 2>/dev/null
        exit 0

        """;
}

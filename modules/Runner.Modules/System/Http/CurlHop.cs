using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;

namespace Runner.Modules.Sys.Http;

/// <summary>
/// One HTTP request made on the target with curl (no redirect followed: <see cref="HttpExchange"/> decides each hop as
/// Ansible's redirect handler does). The URL, headers, credentials and body reach curl as a config file on its stdin,
/// never as arguments (every user of the target can read every process's arguments). The body lands in a mktemp file
/// (mode 0600) in a given folder; the script prints the response headers (curl -D), the status, curl's exit code and
/// that file's path, then optionally the body in base64, and removes the file unless it is kept for the task (get_url's
/// and uri's dest). HTTP/1.1 as Python's urllib, "Expect:" and "Accept:" cleared as urllib sends neither, the timeout
/// for the connection and for any stall (curl's --speed-time with a speed limit of 1 byte/s, as a socket timeout).
/// </summary>
internal static class CurlHop
{
    private const string StatusMark = "--runner-http--";
    private const string DoneMark = "--runner-http-done--";

    /// <summary>
    /// The step for <paramref name="request"/>: its body file goes in <paramref name="tempDir"/> (null: $TMPDIR or /tmp),
    /// kept with <paramref name="keep"/>, printed with <paramref name="printBody"/>; <paramref name="previous"/> (a body file
    /// of an earlier hop) is removed first. The step changes nothing the task reports (<see cref="Step.CountsAsChange"/> false).
    /// </summary>
    public static RunStep Step(HttpRequest request, string? tempDir, bool keep, bool printBody, string? previous)
    {
        var dir = tempDir is null ? "\"${TMPDIR:-/tmp}\"" : ShellQuote.Quote(tempDir.TrimEnd('/') is { Length: > 0 } d ? d : "/");
        var curl = Argv.Of("curl", "-q", "--config", "-", "-sS", "--http1.1", "-D", "-", "-w", $"\\n{StatusMark} %{{http_code}}\\n",
                "--connect-timeout", request.Timeout.ToString(), "--speed-limit", "1", "--speed-time", request.Timeout.ToString())
            .AddIf(!request.ValidateCerts, "-k")
            .Add(request.Method == "HEAD" ? new[] { "--head" } : new[] { "-X", request.Method });
        var script = new StringBuilder();
        if (previous is not null) script.Append("rm -f -- ").Append(ShellQuote.Quote(previous)).Append("; ");
        script.Append("t=$(mktemp ").Append(dir).Append("/.runner-http.XXXXXX) || exit 1; ");
        script.Append(curl).Append(" -o \"$t\"; rc=$?; ");
        script.Append("printf '%s %s %s\\n' ").Append(DoneMark).Append(" \"$rc\" \"$t\"");
        if (printBody) script.Append("; base64 < \"$t\"");
        if (!keep) script.Append("; rm -f -- \"$t\"");
        return new RunStep(script.ToString()) { Stdin = Config(request), AnyExitCode = true, CountsAsChange = false };
    }

    /// <summary>curl's config for the request: url, headers (Accept and Expect cleared unless given), user, data-raw.</summary>
    private static byte[] Config(HttpRequest r)
    {
        var sb = new StringBuilder();
        sb.Append("url = ").Append(Quote(r.Url)).Append('\n');
        foreach (var (k, v) in r.Headers) sb.Append("header = ").Append(Quote(OneLine($"{k}: {v}"))).Append('\n');
        foreach (var cleared in new[] { "Accept", "Expect" })
            if (r.Header(cleared) is null) sb.Append("header = ").Append(Quote(cleared + ":")).Append('\n');
        if (r.User is not null) sb.Append("anyauth\nuser = ").Append(Quote(r.User + ":" + (r.Password ?? ""))).Append('\n');
        var head = Encoding.UTF8.GetBytes(sb.ToString());
        if (r.Body is null) return head;
        return head.Concat("data-raw = \""u8.ToArray()).Concat(Escape(r.Body)).Concat("\"\n"u8.ToArray()).ToArray();
    }

    /// <summary>A curl config string: double quotes, with \, ", newline, CR and tab escaped (tool_parsecfg.c unslashquote).</summary>
    private static string Quote(string s) => "\"" + Encoding.UTF8.GetString(Escape(Encoding.UTF8.GetBytes(s)).ToArray()) + "\"";

    private static IEnumerable<byte> Escape(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\\': yield return (byte)'\\'; yield return (byte)'\\'; break;
                case (byte)'"': yield return (byte)'\\'; yield return (byte)'"'; break;
                case (byte)'\n': yield return (byte)'\\'; yield return (byte)'n'; break;
                case (byte)'\r': yield return (byte)'\\'; yield return (byte)'r'; break;
                case (byte)'\t': yield return (byte)'\\'; yield return (byte)'t'; break;
                default: yield return b; break;
            }
        }
    }

    private static string OneLine(string s) => s.Replace("\r", "").Replace("\n", "");

    /// <summary>
    /// The reply in <paramref name="output"/> (the step's result) and the body file's path on the target (null when it
    /// was not made). The body is there when the step printed it. Without curl's marks (mktemp failed) or with a curl
    /// error the reply is a failure with Ansible's message for it.
    /// </summary>
    public static (HttpReply Reply, string? BodyFile) Parse(CommandResult output, bool printedBody)
    {
        var s = output.Stdout;
        var done = s.LastIndexOf(DoneMark + " ", StringComparison.Ordinal);
        if (done < 0) return (HttpReply.Failed("Request failed: " + (output.Stderr.Trim() is { Length: > 0 } e ? e : "no temp file for the response")), null);
        var doneEnd = s.IndexOf('\n', done);
        var doneLine = s[(done + DoneMark.Length + 1)..(doneEnd < 0 ? s.Length : doneEnd)].Split(' ', 2);
        var rc = int.TryParse(doneLine[0], out var n) ? n : 1;
        var file = doneLine.Length > 1 ? doneLine[1] : null;
        if (rc != 0) return (HttpReply.Failed(FailureText(rc, output.Stderr)), file);
        var mark = s.LastIndexOf("\n" + StatusMark + " ", done, StringComparison.Ordinal);
        var headerText = mark < 0 ? "" : s[..mark];
        var (status, reason, headers) = ParseHeaders(headerText);
        byte[]? body = null;
        if (printedBody)
        {
            var b64 = doneEnd < 0 ? "" : s[(doneEnd + 1)..];
            body = Convert.FromBase64String(string.Concat(b64.Where(c => !char.IsWhiteSpace(c))));
        }
        return (new HttpReply(status, reason, headers, body), file);
    }

    /// <summary>The last response's status line and headers in curl's -D output (earlier blocks: 1xx interim responses).</summary>
    private static (int Status, string Reason, List<KeyValuePair<string, string>> Headers) ParseHeaders(string text)
    {
        var status = 0;
        var reason = "";
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 3);
                status = parts.Length > 1 && int.TryParse(parts[1], out var code) ? code : 0;
                reason = parts.Length > 2 ? parts[2] : "";
                headers.Clear();
            }
            else if (line.Length > 0 && line[0] is ' ' or '\t' && headers.Count > 0)
                headers[^1] = new(headers[^1].Key, headers[^1].Value + " " + line.Trim());
            else if (line.IndexOf(':') is var colon and > 0)
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        return (status, reason, headers);
    }

    /// <summary>Ansible's message (urllib's error text) for a curl exit code; curl's own message when there is no match.</summary>
    private static string FailureText(int rc, string stderr) => rc switch
    {
        6 => "Request failed: <urlopen error [Errno -2] Name or service not known>",
        7 => "Request failed: <urlopen error [Errno 111] Connection refused>",
        28 => "Request failed: <urlopen error timed out>",
        52 => "Connection failure: Remote end closed connection without response",
        _ => "Request failed: <urlopen error " + (stderr.Trim() is { Length: > 0 } e ? e.Replace("curl: ", "") : $"curl exited with {rc}") + ">",
    };
}

using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;

namespace Runner.Modules.Sys;

/// <summary>The outcome of one download on the target: tool exit code, HTTP status (0 when none) and the tool's error text.</summary>
internal sealed record DownloadResult(int ExitCode, int Status, string Error, string Tool)
{
    /// <summary>HTTP 2xx (or 304 when asked for If-Modified-Since) and a zero exit code.</summary>
    public bool Ok => ExitCode == 0 && Status is >= 200 and < 300;

    /// <summary>Failures worth a retry: 408, 429, 5xx, and connection/timeout errors of curl (6, 7, 28, 35, 52, 56) or wget (4).</summary>
    public bool Transient => Status is 408 or 429 or >= 500 ||
        (Status == 0 && (Tool is "curl" or "controller" ? ExitCode is 6 or 7 or 28 or 35 or 52 or 56 : ExitCode == 4));
}

/// <summary>
/// Downloads a URL to a file on the target with curl, or wget when curl is missing (Ansible's get_url runs on the
/// target too), or, when the target has neither (minimal images), on the controller, putting the bytes in place with
/// the connection's verified atomic write. Follows redirects; timeout in seconds; headers as "Name: value"; basic
/// auth with user/password. Credentials and headers reach curl/wget as a config file on stdin, never as arguments
/// (other users of the target can read every process's arguments). Transient failures are retried with Polly
/// (3 retries, exponential back-off from 1 s).
/// </summary>
internal static class Downloader
{
    private const string WgetPart = "__RUNNER_WGET_CONFIG__";

    /// <summary>Downloads <paramref name="url"/> to <paramref name="tmp"/>; with <paramref name="ifModifiedSince"/> a 304 leaves tmp empty.</summary>
    public static async Task<DownloadResult> FetchAsync(ModuleContext ctx, string url, string tmp, long timeout, Dict? headers,
        string? user, string? password, bool validateCerts, bool forceBasicAuth, string? ifModifiedSince, CancellationToken ct)
    {
        var h = (headers ?? new Dict()).Select(kv => (kv.Key, kv.Value as string ?? PyStr.Str(kv.Value))).ToList();
        var curl = new List<string> { "curl", "--config", "-", "-sS", "-L", "--max-time", timeout.ToString(), "-o", tmp, "-w", "%{http_code}", "-A", "ansible-httpget" };
        var wget = new List<string> { "wget", "--config=/dev/stdin", "-q", "--server-response", "-T", timeout.ToString(), "-O", tmp, "-U", "ansible-httpget" };
        var curlConfig = new System.Text.StringBuilder();
        var wgetConfig = new System.Text.StringBuilder();
        foreach (var (k, v) in h)
        {
            curlConfig.Append("header = ").Append(CurlQuote($"{k}: {v}")).Append('\n');
            wgetConfig.Append("header = ").Append(OneLine($"{k}: {v}")).Append('\n');
        }
        if (!validateCerts) { curl.Add("-k"); wget.Add("--no-check-certificate"); }
        if (user is not null)
        {
            curlConfig.Append("user = ").Append(CurlQuote(user + ":" + (password ?? ""))).Append('\n');
            wgetConfig.Append("user = ").Append(OneLine(user)).Append("\npassword = ").Append(OneLine(password ?? "")).Append('\n');
            if (forceBasicAuth) wget.Add("--auth-no-challenge");
        }
        if (ifModifiedSince is not null) { curl.Add("-z"); curl.Add(ifModifiedSince); }
        curl.Add("--"); curl.Add(url);
        wget.Add("--"); wget.Add(url);
        var stdin = System.Text.Encoding.UTF8.GetBytes(curlConfig + WgetPart + "\n" + wgetConfig);
        var script =
            $"if command -v curl >/dev/null 2>&1; then code=$(sed '/^{WgetPart}$/,$d' | {ShellQuote.Join(curl)} 2>/tmp/.runner-dl.$$); rc=$?; echo curl; " +
            $"elif command -v wget >/dev/null 2>&1; then sed '1,/^{WgetPart}$/d' | {ShellQuote.Join(wget)} 2>/tmp/.runner-dl.$$; rc=$?; " +
            "code=$(grep -o 'HTTP/[0-9.]* [0-9][0-9][0-9]' /tmp/.runner-dl.$$ | tail -n 1 | cut -d' ' -f2); echo wget; " +
            "else echo none; exit 0; fi; " +
            "echo \"$rc\"; echo \"${code:-0}\"; grep -v '^ ' /tmp/.runner-dl.$$ | tail -n 3 >&2; rm -f /tmp/.runner-dl.$$";
        var r = await TargetScript.RunWithRetryAsync(ctx, script, res => Parse(res).Transient, 3, TimeSpan.FromSeconds(1), ct, stdin);
        var result = Parse(r);
        if (result.Tool != "none") return result;
        return await ControllerDownload.FetchAsync(ctx, url, tmp, timeout, h, user, password, validateCerts, forceBasicAuth, ifModifiedSince, ct);
    }

    /// <summary>A curl config-file string (double quotes; backslash and quote escaped; no line breaks).</summary>
    private static string CurlQuote(string s) => "\"" + OneLine(s).Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string OneLine(string s) => s.Replace("\r", "").Replace("\n", "");

    private static DownloadResult Parse(CommandResult r)
    {
        var l = r.Stdout.Split('\n');
        if (l[0] == "none") return new DownloadResult(127, 0, "neither curl nor wget is installed on the target", "none");
        var rc = l.Length > 1 && int.TryParse(l[1], out var x) ? x : 1;
        var code = l.Length > 2 && int.TryParse(l[2], out var c) ? c : 0;
        return new DownloadResult(rc, code, r.Stderr.Trim(), l[0]);
    }
}

using System.Globalization;
using Runner.Engine.Errors;

namespace Runner.Engine.Connections;

/// <summary>How host keys are checked, as OpenSSH's StrictHostKeyChecking (ssh_config(5)).</summary>
public enum HostKeyChecking
{
    /// <summary>yes/ask: the key must already be in a known_hosts file.</summary>
    Strict,
    /// <summary>accept-new: unknown keys are appended to the known_hosts file; changed keys still fail.</summary>
    AcceptNew,
    /// <summary>no/off, or Ansible's host_key_checking=false: no check.</summary>
    Off,
}

/// <summary>
/// Everything <see cref="SshConnection"/> needs to reach one host.
/// Paths are controller-side; <paramref name="KnownHostsFiles"/> are checked in order, and the first is
/// the one accept-new appends to. Timeouts: <paramref name="ConnectTimeout"/> bounds TCP connect + handshake.
/// <paramref name="KexAlgorithms"/> is OpenSSH's KexAlgorithms value (ssh_config(5): a comma list that replaces the
/// defaults, or one starting with + (append), - (remove) or ^ (put first)), or null for SSH.NET's default order.
/// </summary>
public sealed record SshSettings(
    string Host,
    int Port,
    string User,
    string? Password,
    IReadOnlyList<string> KeyFiles,
    string? KeyPassphrase,
    IReadOnlyList<string> KnownHostsFiles,
    HostKeyChecking Checking,
    TimeSpan ConnectTimeout,
    string? KexAlgorithms = null)
{
    /// <summary>Ansible's default connection timeout (DEFAULT_TIMEOUT, 10 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The user's ~/.ssh/known_hosts.</summary>
    public static string DefaultKnownHosts =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");

    /// <summary>
    /// Reads Ansible's connection variables (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/ssh_connection.html):
    /// ansible_host (else the inventory name), ansible_port/ansible_ssh_port (22), ansible_user/ansible_ssh_user
    /// (else the controller user), ansible_password/ansible_ssh_pass, ansible_ssh_private_key_file / ansible_private_key_file,
    /// ansible_ssh_private_key_passphrase, ansible_host_key_checking / ansible_ssh_host_key_checking (and the
    /// ANSIBLE_HOST_KEY_CHECKING environment variable), ansible_timeout / ansible_ssh_timeout, and
    /// <c>-o StrictHostKeyChecking=</c>, <c>-o UserKnownHostsFile=</c>, <c>-o ConnectTimeout=</c>, <c>-o KexAlgorithms=</c>, <c>-i FILE</c>,
    /// <c>-p PORT</c> in ansible_ssh_common_args / ansible_ssh_extra_args. Errors: <see cref="RunnerException"/>
    /// (exit 5) for a port or timeout that is not a number or an unknown StrictHostKeyChecking value.
    /// </summary>
    public static SshSettings FromHostVars(string inventoryHostname, IReadOnlyDictionary<string, object?> hostVars)
    {
        string? Str(params string[] names)
        {
            foreach (var n in names)
                if (hostVars.TryGetValue(n, out var v) && v is not null && Convert.ToString(v, CultureInfo.InvariantCulture) is { Length: > 0 } s)
                    return s;
            return null;
        }

        var host = Str("ansible_host", "ansible_ssh_host") ?? inventoryHostname;
        var port = ParseInt(Str("ansible_port", "ansible_ssh_port"), "ansible_port") ?? 22;
        var user = Str("ansible_user", "ansible_ssh_user", "ansible_remote_user") ?? Environment.UserName;
        var keys = new List<string>();
        if (Str("ansible_ssh_private_key_file", "ansible_private_key_file") is { } key) keys.Add(ExpandHome(key));
        var knownHosts = new List<string>();
        var checking = HostKeyChecking.Strict;
        var hkc = Str("ansible_host_key_checking", "ansible_ssh_host_key_checking") ?? Environment.GetEnvironmentVariable("ANSIBLE_HOST_KEY_CHECKING");
        if (hkc is not null && !IsTrue(hkc)) checking = HostKeyChecking.Off;
        var timeout = ParseInt(Str("ansible_timeout", "ansible_ssh_timeout"), "ansible_timeout") is { } t ? TimeSpan.FromSeconds(t) : DefaultTimeout;

        string? kex = null;
        var args = SplitArgs(Str("ansible_ssh_common_args") ?? "").Concat(SplitArgs(Str("ansible_ssh_extra_args") ?? "")).ToList();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string? value = null;
            if (a is "-o" or "-i" or "-p" && i + 1 < args.Count) value = args[++i];
            else if (a.Length > 2 && (a.StartsWith("-o") || a.StartsWith("-i") || a.StartsWith("-p"))) value = a[2..];
            if (value is null) continue;
            switch (a[..2])
            {
                case "-i": keys.Add(ExpandHome(value)); break;
                case "-p": port = ParseInt(value, "-p") ?? port; break;
                case "-o":
                    var sep = value.IndexOfAny(new[] { '=', ' ' });
                    if (sep <= 0) break;
                    var (k, v) = (value[..sep].Trim(), value[(sep + 1)..].Trim());
                    switch (k.ToLowerInvariant())
                    {
                        case "stricthostkeychecking":
                            checking = v.ToLowerInvariant() switch
                            {
                                "yes" or "ask" or "true" => HostKeyChecking.Strict,
                                "accept-new" => HostKeyChecking.AcceptNew,
                                "no" or "off" or "false" => HostKeyChecking.Off,
                                _ => throw new RunnerException($"Unsupported StrictHostKeyChecking value '{v}' for host {inventoryHostname} (expected yes, no, ask or accept-new)", key: "ansible_ssh_common_args", exitCode: ExitCodes.BadOptions),
                            };
                            break;
                        case "userknownhostsfile":
                            knownHosts.AddRange(v.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ExpandHome));
                            break;
                        case "connecttimeout":
                            timeout = TimeSpan.FromSeconds(ParseInt(v, "ConnectTimeout") ?? 10);
                            break;
                        case "port":
                            port = ParseInt(v, "Port") ?? port;
                            break;
                        case "kexalgorithms":
                            kex = v;
                            break;
                    }
                    break;
            }
        }
        if (knownHosts.Count == 0) knownHosts.Add(DefaultKnownHosts);
        return new SshSettings(host, port, user, Str("ansible_password", "ansible_ssh_pass", "ansible_ssh_password"), keys,
            Str("ansible_ssh_private_key_passphrase"), knownHosts, checking, timeout, kex);
    }

    private static bool IsTrue(string s) => s.Trim().ToLowerInvariant() is "true" or "yes" or "1" or "on" or "y" or "t";

    private static int? ParseInt(string? s, string what)
    {
        if (s is null) return null;
        if (int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0) return v;
        throw new RunnerException($"'{s}' is not a valid number for {what}", key: what, exitCode: ExitCodes.BadOptions);
    }

    private static string ExpandHome(string p) =>
        p == "~" || p.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + p[1..]
            : p;

    /// <summary>Splits a command-line string into words as POSIX sh does for quotes and backslashes (like Python's shlex.split).</summary>
    internal static List<string> SplitArgs(string s)
    {
        var words = new List<string>();
        var cur = new System.Text.StringBuilder();
        var inWord = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\'')
            {
                var end = s.IndexOf('\'', i + 1);
                if (end < 0) end = s.Length;
                cur.Append(s, i + 1, Math.Max(0, end - i - 1)); i = end; inWord = true;
            }
            else if (c == '"')
            {
                i++;
                for (; i < s.Length && s[i] != '"'; i++)
                {
                    if (s[i] == '\\' && i + 1 < s.Length && "\"\\$`".Contains(s[i + 1])) i++;
                    cur.Append(s[i]);
                }
                inWord = true;
            }
            else if (c == '\\' && i + 1 < s.Length) { cur.Append(s[++i]); inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(cur.ToString()); cur.Clear(); inWord = false; }
            }
            else { cur.Append(c); inWord = true; }
        }
        if (inWord) words.Add(cur.ToString());
        return words;
    }
}
